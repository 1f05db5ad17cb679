/* Etalase UMKM's service worker (offline/views.py renders it: the URLs below come from url_for, and its bytes change
   whenever a file it loads changes, so browsers install the new version).
   - The owner's product form pages: network first (a copy kept on each visit), the copy when there is no signal.
   - Static files with a version (?v=): from the cache, else fetched and kept; they never change under one URL.
   - Background Sync "etalase-queue": the waiting submissions are sent (offline-queue.js) even with no page open.
   - Logging out deletes the kept pages (they show the owner's business). Nothing else is touched. */
"use strict";
importScripts({{ scripts|map("tojson")|join(", ") }});

var PAGES = "etalase-pages-v1";
var STATIC = "etalase-static-v1";
var FORM_PAGES = {{ form_pages|tojson }}.map(function (source) { return new RegExp(source); });
var LOGOUT = {{ logout|tojson }};
var URLS = {{ urls|tojson }};
var NETWORK_WAIT = 8000; // ms: on a weak signal the kept copy is better than an endless wait

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== PAGES && name !== STATIC; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request) {
  var network = fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  });
  var timeout = new Promise(function (resolve, reject) { setTimeout(reject, NETWORK_WAIT); });
  return Promise.race([network, timeout]).catch(function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(request); }).then(function (kept) {
      return kept || network;
    });
  });
}

function cacheFirst(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT) {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && FORM_PAGES.some(function (page) { return page.test(url.pathname); })) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.indexOf(URLS.static) === 0 && url.searchParams.has("v")) {
    event.respondWith(cacheFirst(request));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "etalase-queue") event.waitUntil(self.EtalaseOffline.replay(URLS));
});
