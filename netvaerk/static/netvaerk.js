/* netvaerk: progressive enhancement only; every page works without this script.

   1. Fill a form in again after the session ended.

   [script#netvaerk-draft] holds {"action": "/path", "fields": [[name, value], ...]}: what the
   user typed into the form that posts to `action` when the session had ended. The form is
   filled in again (nothing is sent); without this script the page lists the texts instead.

   2. form[data-submit-once]: the first tap sends the form and disables its buttons, so a double
   tap sends one request (the server also answers a repeat as the success it is).

   3. button[data-copy-target=ID] (hidden without this script): copies the text of the element
   ID to the clipboard; where the clipboard cannot be used, the text is selected instead, so a
   long press or Ctrl+C copies it. [data-copy-status] beside it says what happened.
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

(function () {
  "use strict";

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function say(button, key) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) { status.textContent = button.getAttribute(key); }
  }

  function copy(button) {
    var element = document.getElementById(button.getAttribute("data-copy-target"));
    if (!element) { return; }
    var text = element.textContent.trim();
    function fallback() {
      select(element);
      say(button, "data-selected-text");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        say(button, "data-copied-text");
      }, fallback);
    } else {
      fallback();
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy-target]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
