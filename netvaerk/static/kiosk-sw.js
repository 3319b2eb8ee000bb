/* netvaerk kiosk: the service worker that keeps the check-in grid for when the network drops.

   Served as /kiosk/sw.js (scope /kiosk/, the kiosk account only). It keeps one cache per day,
   "netvaerk-kiosk-<YYYY-MM-DD>", holding the grid page (/kiosk/: today's meeting and the
   residents' first names and initials, nothing more) and the static files it uses. Pages are
   always asked from the network first; the cache answers only when the network does not.
   A cache of another day is deleted, and so is today's when the kiosk answers with the
   closed screen (the meeting is over): nothing of an earlier day stays on the tablet.
   Check-ins are never cached here: the page keeps a tap made offline (kiosk.js, IndexedDB).
*/
"use strict";

var PREFIX = "netvaerk-kiosk-";

function today() {
  var d = new Date();
  return PREFIX + d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
    String(d.getDate()).padStart(2, "0");
}

function forgetOtherDays(keep) {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf(PREFIX) === 0 && key !== keep;
    }).map(function (key) { return caches.delete(key); }));
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(forgetOtherDays(today()).then(function () { return self.clients.claim(); }));
});

function gridPath() {
  return new URL(self.registration.scope).pathname;
}

function isGrid(request, url) {
  return request.mode === "navigate" && url.pathname === gridPath();
}

function fromNetwork(request, grid) {
  return fetch(request).then(function (response) {
    if (!response.ok || response.redirected || response.type !== "basic") { return response; }
    var name = today();
    if (!grid) {
      var asset = response.clone();
      caches.open(name).then(function (cache) { cache.put(request.url, asset); });
      return response;
    }
    return response.clone().text().then(function (html) {
      if (html.indexOf("data-kiosk-grid") !== -1) {
        return caches.open(name).then(function (cache) {
          return forgetOtherDays(name).then(function () {
            return cache.put(gridPath(), new Response(html, { headers: response.headers }));
          });
        }).then(function () { return response; });
      }
      if (html.indexOf("data-kiosk-closed") !== -1) {
        return forgetOtherDays(null).then(function () { return response; });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var grid = isGrid(request, url);
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!grid && !asset) { return; }
  event.respondWith(fromNetwork(request, grid).catch(function () {
    return caches.open(today()).then(function (cache) {
      return cache.match(grid ? gridPath() : request.url, { ignoreSearch: !grid });
    }).then(function (cached) { return cached || Response.error(); });
  }));
});
