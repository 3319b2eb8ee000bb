/* netvaerk: a live character counter beside free-text answers (progressive enhancement only).

   [data-counter-for=NAME][data-cap=N] shows "used / N" for the textarea NAME as the person
   types, counted in characters as the server counts them (newlines as one); over the cap it is
   marked. Without this script the page says the limit and the server refuses longer answers,
   keeping what was typed.
*/
(function () {
  "use strict";

  function length(text) {
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }

  function watch(counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var cap = parseInt(counter.getAttribute("data-cap"), 10);
    if (!field) { return; }
    function update() {
      var used = length(field.value);
      counter.textContent = used + " / " + cap;
      counter.classList.toggle("char-counter--over", used > cap);
    }
    field.addEventListener("input", update);
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-counter-for]"), watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
