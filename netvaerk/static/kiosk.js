/* netvaerk kiosk: bring the shared tablet back to the names by itself.

   Progressive enhancement only: every kiosk page also works without this script (a big
   "Back to the names" button is always shown). Loaded from 'self' as an external file, so a
   strict Content-Security-Policy (no inline scripts) is fine.

   [data-kiosk-return="<url>"][data-seconds="N"]  (the check-in confirmation)
     A visible countdown, then the grid. A "More time" button stops the countdown, so nobody is
     hurried away from their task of the day (WCAG 2.2.1 Timing Adjustable).

   [data-kiosk-url="<url>"]  (the check-in confirmation, the answer to the tap's POST)
     Puts <url> in the tablet's history in place of the POST, so "reload" and "forward" are
     GETs of the confirmation's own page and never ask to send the check-in again. Without the
     script a resend is harmless: the database records a check-in once.

   [data-kiosk-undo][data-seconds="N"]  (the check-in confirmation's "That wasn't me")
     Hidden after N seconds: the undo is for a wrong tap, right after it. Without the script
     the button stays, and the server refuses an undo that comes too late.

   [data-kiosk-refresh="<url>"][data-seconds="N"]  (the grid, the closed screen)
     Loads <url> again after N seconds in which nobody touched the tablet, so the grid shows
     who has checked in and the closed screen turns into the grid when the meeting opens,
     without ever pulling the page away from someone who is using it.
*/
(function () {
  "use strict";

  var ACTIVITY = ["pointerdown", "keydown", "touchstart", "input", "scroll", "focusin"];

  function seconds(element, fallback) {
    var value = parseInt(element.getAttribute("data-seconds"), 10);
    return value > 0 ? value : fallback;
  }

  function countdown(box) {
    var url = box.getAttribute("data-kiosk-return");
    var left = seconds(box, 10);
    var running = box.querySelector("[data-countdown]");
    var number = box.querySelector("[data-seconds-left]");
    var stopped = box.querySelector("[data-stopped]");
    var without = box.querySelector("[data-without-script]");
    var button = box.querySelector("[data-more-time]");
    var timer = window.setInterval(function () {
      left -= 1;
      if (left <= 0) {
        window.clearInterval(timer);
        window.location.assign(url);
        return;
      }
      number.textContent = String(left);
    }, 1000);

    number.textContent = String(left);
    if (without) { without.hidden = true; }
    running.hidden = false;
    button.hidden = false;
    button.addEventListener("click", function () {
      window.clearInterval(timer);
      running.hidden = true;
      button.hidden = true;
      stopped.hidden = false;
      // The button disappears: keep keyboard focus on the page, on the message that replaced it.
      stopped.focus();
    });
  }

  function hideUndoLater(form) {
    window.setTimeout(function () { form.hidden = true; }, seconds(form, 10) * 1000);
  }

  function refreshWhenIdle(box) {
    var url = box.getAttribute("data-kiosk-refresh");
    var wait = seconds(box, 120) * 1000;
    var timer = null;
    function restart() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { window.location.assign(url); }, wait);
    }
    ACTIVITY.forEach(function (name) {
      document.addEventListener(name, restart, { passive: true, capture: true });
    });
    restart();
  }

  function ownUrl(element) {
    var url = element.getAttribute("data-kiosk-url");
    if (window.history.replaceState && window.location.pathname !== url) {
      window.history.replaceState(null, "", url);
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-url]"), ownUrl);
    Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-return]"), countdown);
    Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-undo]"), hideUndoLater);
    Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-refresh]"), refreshWhenIdle);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
