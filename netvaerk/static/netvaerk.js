/* netvaerk: fill a form in again after the session ended (progressive enhancement only).

   [script#netvaerk-draft] holds {"action": "/path", "fields": [[name, value], ...]}: what the
   user typed into the form that posts to `action` when the session had ended. The form is
   filled in again (nothing is sent); without this script the page lists the texts instead.
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
