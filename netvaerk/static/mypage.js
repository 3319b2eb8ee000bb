/* netvaerk: the resident's own page on the kiosk closes itself.

   [data-mypage-close="<url>"][data-seconds="N"]
     After N seconds the tablet goes to <url> (which ends the page's grant and leads to the
     names) with location.replace, so the page is not left in the tablet's history: "Back"
     cannot bring it up again. "Færdig" ([data-mypage-done]) does the same at once. Without
     the script "Færdig" is a plain link to <url>, and the server refuses the page anyway
     once its grant has ended.
*/
(function () {
  "use strict";

  function start(box) {
    var url = box.getAttribute("data-mypage-close");
    var left = parseInt(box.getAttribute("data-seconds"), 10) || 60;
    var number = box.querySelector("[data-seconds-left]");
    var timer = null;
    function close() {
      // Once: a second navigation would abort the first.
      if (timer === null) { return; }
      window.clearInterval(timer);
      timer = null;
      window.location.replace(url);
    }
    timer = window.setInterval(function () {
      left -= 1;
      if (left <= 0) { close(); return; }
      if (number) { number.textContent = String(left); }
    }, 1000);
    var done = document.querySelectorAll("[data-mypage-done]");
    for (var i = 0; i < done.length; i += 1) {
      done[i].addEventListener("click", function (event) {
        event.preventDefault();
        close();
      });
    }
  }

  var boxes = document.querySelectorAll("[data-mypage-close]");
  for (var i = 0; i < boxes.length; i += 1) { start(boxes[i]); }
}());
