/* netvaerk: progressive enhancement only; every page works without this script.

   1. Fill a form in again after the session ended.

   [script#netvaerk-draft] holds {"action": "/path", "fields": [[name, value], ...]}: what the
   user typed into the form that posts to `action` when the session had ended. The form is
   filled in again (nothing is sent); without this script the page lists the texts instead.

   2. form[data-submit-once]: the first tap sends the form and disables its buttons, so a double
   tap sends one request (the server also answers a repeat as the success it is).
*/
(function () {
  "use strict";

  function fill() {
    var data = document.getElementById("netvaerk-draft");
    if (!data) { return; }
    var draft = JSON.parse(data.textContent);
    var forms = Array.prototype.filter.call(document.forms, function (form) {
      return new URL(form.action, window.location.href).pathname === draft.action;
    });
    if (!forms.length) { return; }
    var form = forms[0];
    draft.fields.forEach(function (pair) {
      var field = form.elements.namedItem(pair[0]);
      if (!field || field.type === "hidden") { return; }
      if (field.length !== undefined && field.tagName !== "SELECT") {
        Array.prototype.forEach.call(field, function (option) {
          if (option.value === pair[1]) { option.checked = true; }
        });
      } else if (field.type === "checkbox" || field.type === "radio") {
        field.checked = field.value === pair[1];
      } else {
        field.value = pair[1];
      }
    });
    var first = form.querySelector("textarea, input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fill);
  } else {
    fill();
  }
})();

(function () {
  "use strict";

  function buttons(form) {
    return form.querySelectorAll("button:not([type]), button[type=submit], input[type=submit]");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-submit-once")) { return; }
    if (form.getAttribute("data-sent") === "1") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "1");
    // After this tick, so that the browser has read the form before its buttons are disabled.
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons(form), function (button) { button.disabled = true; });
    }, 0);
  });

  // Coming back with the browser's back button shows the page as it was left: enable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sent]"), function (form) {
      form.removeAttribute("data-sent");
      Array.prototype.forEach.call(buttons(form), function (button) { button.disabled = false; });
    });
  });
})();
