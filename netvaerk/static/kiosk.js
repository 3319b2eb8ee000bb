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

   [data-kiosk-grid]  (the grid; issue 30)
     A tap is one small request (POST <data-tap-url><id>, JSON, the CSRF token in X-CSRFToken)
     and the confirmation is shown in the page. The service worker (<data-sw-url>) keeps the
     grid for when the network drops. Offline, a tap is kept in IndexedDB with a key made on
     the tablet (crypto.randomUUID()) and its time, and sent to <data-offline-url> when the
     network is back, or when the page is loaded again; the server counts each key once.
     A banner says the tablet is offline and how many check-ins wait. Only the grid (first
     name and initial) and the waiting taps are kept; both are cleared when the day is over.
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
    var grid = document.querySelector("[data-kiosk-grid]");
    if (grid) { offlineGrid(grid); } else { endOfDay(); }
  }

  /* --- the tap as data, and the offline kiosk ------------------------------------------- */

  var DB_NAME = "netvaerk-kiosk";
  var STORE = "taps";

  function localDay(date) {
    var d = date || new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function allTaps() { return withStore("readonly", function (store) { return store.getAll(); }); }
  function keepTap(tap) { return withStore("readwrite", function (store) { store.put(tap); }); }
  function dropTap(key) { return withStore("readwrite", function (store) { store["delete"](key); }); }

  function csrfToken() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // A text of the page (data-text-<name> on the grid), or of the tap's answer when it has
  // its own (own: the answer's "texts", in the resident's language).
  function text(grid, name, values, own) {
    var value = (own && own[name]) || grid.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { value = value.split("{" + key + "}").join(values[key]); });
    return value;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  // Send the stored taps one by one; a tap the server answered (recorded, counted before, or
  // refused for good: 422) is dropped; on a network error the rest wait for the next try.
  // Then taps of an earlier day are dropped: they can never count any more.
  function sendTaps(url, today) {
    return allTaps().then(function (taps) {
      return taps.reduce(function (previous, stored) {
        return previous.then(function (go) {
          if (!go) { return false; }
          var body = { key: stored.key, participant: stored.participant, time: stored.time };
          if (stored.code) { body.code = stored.code; }
          return fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify(body)
          }).then(function (response) {
            if (response.ok || response.status === 422) {
              return dropTap(stored.key).then(function () { return true; });
            }
            return false;
          }, function () { return false; });
        });
      }, Promise.resolve(true));
    }).then(function () {
      return allTaps().then(function (taps) {
        var day = today || localDay();
        return Promise.all(taps.filter(function (t) { return t.day < day; })
          .map(function (t) { return dropTap(t.key); }));
      });
    })["catch"](function () {});
  }

  function offlineGrid(grid) {
    var names = document.querySelector("[data-kiosk-names]");
    var inpage = document.querySelector("[data-kiosk-inpage]");
    var banner = document.querySelector("[data-kiosk-banner]");
    var sending = false;
    var returnTimer = null;

    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(grid.getAttribute("data-sw-url"), {
        scope: grid.getAttribute("data-scope")
      })["catch"](function () { /* the grid works without it, only not offline */ });
    }

    function showBanner() {
      allTaps().then(function (taps) {
        var parts = [];
        if (!navigator.onLine) { parts.push(text(grid, "offline")); }
        if (taps.length) { parts.push(text(grid, "waiting", { n: String(taps.length) })); }
        banner.textContent = parts.join(" ");
        banner.hidden = parts.length === 0;
        banner.setAttribute("data-waiting", String(taps.length));
      })["catch"](function () { banner.hidden = navigator.onLine; });
    }

    function backToNames() {
      window.clearInterval(returnTimer);
      inpage.hidden = true;
      inpage.textContent = "";
      names.hidden = false;
      showBanner();
    }

    function returnBox(own) {
      var box = element("div", "kiosk-return");
      var left = 10;
      var running = element("p", "kiosk-return__text", text(grid, "countdown", { n: String(left) }, own));
      var stopped = element("p", "kiosk-return__text", text(grid, "stopped", {}, own));
      stopped.hidden = true;
      stopped.tabIndex = -1;
      var buttons = element("div", "kiosk-return__buttons");
      var more = element("button", "button button--secondary kiosk-more-time", text(grid, "more-time", {}, own));
      more.type = "button";
      var back = element("button", "button kiosk-back", text(grid, "back", {}, own));
      back.type = "button";
      back.setAttribute("data-kiosk-back", "");
      buttons.appendChild(more);
      buttons.appendChild(back);
      box.appendChild(running);
      box.appendChild(stopped);
      box.appendChild(buttons);
      window.clearInterval(returnTimer);
      returnTimer = window.setInterval(function () {
        left -= 1;
        if (left <= 0) { backToNames(); return; }
        running.textContent = text(grid, "countdown", { n: String(left) }, own);
      }, 1000);
      more.addEventListener("click", function () {
        window.clearInterval(returnTimer);
        running.hidden = true;
        more.hidden = true;
        stopped.hidden = false;
        stopped.focus();
      });
      back.addEventListener("click", backToNames);
      return box;
    }

    function show(children, lang) {
      inpage.textContent = "";
      var box = element("div", "kiosk-confirmation");
      box.setAttribute("role", "status");
      // The whole confirmation (its buttons too) speaks the resident's language.
      if (lang) { inpage.setAttribute("lang", lang); } else { inpage.removeAttribute("lang"); }
      box.appendChild(element("p", "kiosk-confirmation__mark", "✓")).setAttribute("aria-hidden", "true");
      children.forEach(function (child) { box.appendChild(child); });
      inpage.appendChild(box);
      names.hidden = true;
      inpage.hidden = false;
      window.scrollTo(0, 0);
    }

    function confirmed(data, form) {
      var children = [element("h1", "kiosk__title", data.title), element("p", "kiosk__meeting", data.meeting)];
      if (data.task) { children.push(element("p", "rota-kiosk-task", data.task)); }
      show(children, data.lang);
      if (data.activities && data.activities.length) {
        var section = element("section", "kiosk-activities");
        section.setAttribute("aria-label", data.activities_heading);
        section.appendChild(element("h2", "", data.activities_heading));
        var list = element("ul");
        data.activities.forEach(function (line) { list.appendChild(element("li", "", line)); });
        section.appendChild(list);
        inpage.appendChild(section);
      }
      (data.links || []).forEach(function (link) {
        var item = element("p", "mypage-open");
        var anchor = element("a", "button", link.label);
        anchor.href = link.url;
        item.appendChild(anchor);
        inpage.appendChild(item);
      });
      if (data.undo) {
        var undo = element("form", "kiosk-undo");
        undo.method = "post";
        undo.action = data.undo.url;
        undo.setAttribute("data-kiosk-undo", "");
        var token = element("input");
        token.type = "hidden";
        token.name = "csrf_token";
        token.value = csrfToken();
        var button = element("button", "button button--secondary kiosk-undo__button", text(grid, "undo", {}, data.texts));
        button.type = "submit";
        undo.appendChild(token);
        undo.appendChild(button);
        inpage.appendChild(undo);
        window.setTimeout(function () { undo.hidden = true; }, data.undo.seconds * 1000);
      }
      inpage.appendChild(returnBox(data.texts));
      // Back on the names, theirs shows as checked in, as the grid from the server does.
      var name = form.querySelector(".kiosk-name");
      if (name && !name.classList.contains("kiosk-name--in")) {
        name.classList.add("kiosk-name--in");
        name.appendChild(element("span", "kiosk-name__state", "✓ " + text(grid, "checked-in")));
      }
    }

    function savedOffline(label) {
      show([element("h1", "kiosk__title", text(grid, "saved", { name: label }))]);
      inpage.appendChild(returnBox());
    }

    function storeTap(form, code) {
      var label = form.querySelector(".kiosk-name__name").textContent;
      var tap = {
        key: window.crypto.randomUUID(),
        participant: parseInt(form.getAttribute("data-participant"), 10),
        time: Date.now(),
        day: localDay()
      };
      if (code) { tap.code = code; }
      return keepTap(tap).then(function () { savedOffline(label); showBanner(); });
    }

    function askCode(form) {
      var ask = element("form", "kiosk-code");
      var label = element("label", "kiosk-code__label", text(grid, "code"));
      label.htmlFor = "offline-code";
      var input = element("input", "kiosk-code__input");
      input.id = "offline-code";
      input.type = "password";
      input.inputMode = "numeric";
      input.autocomplete = "off";
      input.maxLength = 4;
      var submit = element("button", "button kiosk-code__submit", text(grid, "check-in"));
      submit.type = "submit";
      var back = element("button", "button button--secondary kiosk-back", text(grid, "back"));
      back.type = "button";
      ask.appendChild(label);
      ask.appendChild(input);
      ask.appendChild(submit);
      inpage.textContent = "";
      inpage.appendChild(element("h1", "kiosk__title", form.querySelector(".kiosk-name__name").textContent));
      inpage.appendChild(ask);
      inpage.appendChild(back);
      names.hidden = true;
      inpage.hidden = false;
      input.focus();
      back.addEventListener("click", backToNames);
      ask.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!/^[0-9]{4}$/.test(input.value)) { input.focus(); return; }
        storeTap(form, input.value);
      });
    }

    function offlineTap(form) {
      if (form.hasAttribute("data-code")) { askCode(form); } else { storeTap(form); }
    }

    function tap(event) {
      var form = event.target;
      if (!form.hasAttribute || !form.hasAttribute("data-participant")) { return; }
      event.preventDefault();
      if (!navigator.onLine) { offlineTap(form); return; }
      fetch(grid.getAttribute("data-tap-url") + form.getAttribute("data-participant"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { form.submit(); return null; }  // the page says what went wrong
        return response.json().then(function (data) {
          if (data.status === "code") { window.location.assign(data.url); return; }
          confirmed(data, form);
        });
      }, function () { offlineTap(form); });
    }

    function send() {
      if (sending || !navigator.onLine) { return; }
      sending = true;
      sendTaps(grid.getAttribute("data-offline-url"), grid.getAttribute("data-day"))
        .then(function () { sending = false; showBanner(); });
    }

    names.addEventListener("submit", tap);
    window.addEventListener("online", function () { showBanner(); send(); });
    window.addEventListener("offline", showBanner);
    window.setInterval(send, 30000);
    showBanner();
    send();
  }

  // Outside a meeting (the closed screen): send what waits, then, with nothing left, forget
  // the day on the tablet (the cached grid and the store of taps).
  function endOfDay() {
    var box = document.querySelector("[data-kiosk-closed]");
    if (!box || !window.indexedDB) { return; }
    sendTaps(box.getAttribute("data-offline-url")).then(allTaps).then(function (taps) {
      if (taps.length) { return; }
      if (window.caches) {
        window.caches.keys().then(function (keys) {
          keys.filter(function (k) { return k.indexOf("netvaerk-kiosk-") === 0; })
            .forEach(function (k) { window.caches["delete"](k); });
        });
      }
      window.indexedDB.deleteDatabase(DB_NAME);
    })["catch"](function () {});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
