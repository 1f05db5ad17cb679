/* The offline product form's device storage and its replay, shared by the page (offline-form.js) and the service
   worker (sw.js): both load it after vendor/idb-keyval-6.3.0/umd.js and use the global EtalaseOffline.

   IndexedDB database "etalase-offline", one key per thing, each key carrying the id of the user it belongs to (a
   shared phone keeps one owner's drafts from another):
     draft:<user>:<form path>  {fields: [[name, value]...], photos: [{key, name, blob}], savedAt}
     item:<user>:<uuid>        a submission waiting to be sent: {id, user, url, title, fields, photos, createdAt,
                               state: "waiting" | "refused", html (the server's answer when refused)}
   The item's id is its idempotency key: the server saves one product per key, however often it is replayed.
   Each photo has a key of its own and is uploaded alone (POST /my/photos), with retries: a photo that fails costs
   that photo, never the others, and one already uploaded is not sent again. Replays are serialised through a Web
   Lock, so a page and the service worker never send the same item at the same moment. */
(function (global) {
  "use strict";

  var idb = global.idbKeyval;
  var store = idb.createStore("etalase-offline", "kv");
  var LOCK = "etalase-offline-queue";
  var RETRY_DELAYS = [600, 1800]; // ms before the 2nd and 3rd try of one photo
  var channel = global.BroadcastChannel ? new BroadcastChannel("etalase-offline") : null;

  function uuid() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function announce(message) {
    if (channel) channel.postMessage(message);
  }

  function draftKey(user, path) { return "draft:" + user + ":" + path; }
  function itemKey(user, id) { return "item:" + user + ":" + id; }

  function getDraft(user, path) { return idb.get(draftKey(user, path), store); }
  function saveDraft(user, path, draft) { return idb.set(draftKey(user, path), draft, store); }
  function dropDraft(user, path) { return idb.del(draftKey(user, path), store); }

  function items(user) {
    var prefix = "item:" + user + ":";
    return idb.entries(store).then(function (entries) {
      return entries.filter(function (entry) { return String(entry[0]).indexOf(prefix) === 0; })
        .map(function (entry) { return entry[1]; })
        .sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  function saveItem(item) {
    return idb.set(itemKey(item.user, item.id), item, store).then(function () { announce({ type: "changed" }); });
  }

  function dropItem(item) {
    return idb.del(itemKey(item.user, item.id), store).then(function () { announce({ type: "changed" }); });
  }

  function getItem(user, id) { return idb.get(itemKey(user, id), store); }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function Offline() { this.name = "Offline"; }

  /* One photo, up to three tries: a lost connection or a server error (5xx, 429) is tried again; a refusal of the
     photo itself (4xx: not a usable image) is final for that photo. Resolves {id} or {error}; rejects Offline when
     every try failed to reach the server. */
  function uploadPhoto(urls, token, photo) {
    var attempt = 0;
    function once() {
      var body = new FormData();
      body.append("key", photo.key);
      body.append("photo", photo.blob, photo.name || "photo.jpg");
      return fetch(urls.photo, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token } })
        .then(function (response) {
          if (response.ok) return response.json().then(function (data) { return { id: data.id }; });
          if (response.status >= 500 || response.status === 429) throw new Offline();
          return response.json().then(function (data) { return { error: data.error || String(response.status) }; },
                                      function () { return { error: String(response.status) }; });
        }, function () { throw new Offline(); })
        .catch(function (error) {
          if (!(error instanceof Offline) || attempt >= RETRY_DELAYS.length) throw error;
          return wait(RETRY_DELAYS[attempt++]).then(once);
        });
    }
    return once();
  }

  /* {token, user} for the session now open; rejects Offline without a connection; resolves null when nobody is
     logged in (the answer is the login page, not JSON). */
  function freshToken(urls) {
    return fetch(urls.token, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") !== 0) return null;
      return response.json().then(function (data) { return { token: data.csrf_token, user: String(data.user_id) }; });
    }, function () { throw new Offline(); });
  }

  function stagedField(item) {
    var staged = [];
    item.fields.forEach(function (pair) { if (pair[0] === "staged" && pair[1]) staged = staged.concat(pair[1].split(",")); });
    item.photos.forEach(function (photo) { if (photo.stagedId) staged.push(String(photo.stagedId)); });
    return staged.join(",");
  }

  /* Send one item: its photos first (each on its own), then the form with a fresh CSRF token and the item's key.
     Resolves {sent, url} | {refused, html} | {offline} | {loggedOut}. */
  function sendItem(urls, session, item, progress) {
    var chain = Promise.resolve();
    var done = function () { return item.photos.filter(function (photo) { return photo.stagedId || photo.error; }).length; };
    if (progress) progress(done(), item.photos.length);
    item.photos.forEach(function (photo) {
      if (photo.stagedId || photo.error) return;
      chain = chain.then(function () { return uploadPhoto(urls, session.token, photo); }).then(function (result) {
        if (result.id) photo.stagedId = result.id; else photo.error = result.error;
        if (progress) progress(done(), item.photos.length);
        return saveItem(item); // what is uploaded stays uploaded, whatever happens to the next photo
      });
    });
    return chain.then(function () {
      var body = new FormData();
      item.fields.forEach(function (pair) { if (pair[0] !== "staged" && pair[0] !== "csrf_token") body.append(pair[0], pair[1]); });
      body.append("staged", stagedField(item));
      body.append("idempotency_key", item.id);
      body.append("csrf_token", session.token);
      return fetch(item.url, { method: "POST", body: body, credentials: "same-origin" });
    }).then(function (response) {
      if (response.redirected && response.url.indexOf(urls.login) < 0) {
        return dropItem(item).then(function () {
          announce({ type: "sent", id: item.id, title: item.title, url: response.url });
          return response.text(); // the page saved product answers with, its message in it
        }).then(function (html) {
          return { sent: true, url: response.url, title: item.title, html: html };
        });
      }
      if (response.status >= 500 || response.status === 429) return { offline: true };
      return response.text().then(function (html) {
        item.state = "refused";
        item.html = html;
        return saveItem(item).then(function () { return { refused: true, html: html, url: response.url }; });
      });
    }, function (error) {
      if (error instanceof Offline || error instanceof TypeError) return { offline: true };
      throw error;
    });
  }

  function locked(work) {
    if (global.navigator && navigator.locks) return navigator.locks.request(LOCK, work);
    locked.chain = (locked.chain || Promise.resolve()).then(work, work);
    return locked.chain;
  }

  /* Send the waiting items of whoever is logged in now (refused ones wait for the owner to edit them). Resolves
     {results: {id: result}, loggedOut, offline}. Only: an item id to send just that one; progress(photos sent, of
     how many) follows it. */
  function replay(urls, only, progress) {
    return locked(function () {
      return freshToken(urls).then(function (session) {
        if (!session) return { results: {}, loggedOut: true };
        return items(session.user).then(function (waiting) {
          var results = {};
          var chain = Promise.resolve(false);
          waiting.forEach(function (item) {
            if (item.state === "refused" || (only && item.id !== only)) return;
            chain = chain.then(function (offline) {
              if (offline) return true;
              return sendItem(urls, session, item, only ? progress : null).then(function (result) {
                results[item.id] = result;
                return !!result.offline;
              });
            });
          });
          return chain.then(function (offline) { return { results: results, offline: offline }; });
        });
      }, function () { return { results: {}, offline: true }; });
    });
  }

  global.EtalaseOffline = {
    uuid: uuid, getDraft: getDraft, saveDraft: saveDraft, dropDraft: dropDraft, items: items, getItem: getItem,
    saveItem: saveItem, dropItem: dropItem, replay: replay, channel: channel,
  };
})(self);
