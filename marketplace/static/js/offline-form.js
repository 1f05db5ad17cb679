/* The owner's product form on a weak signal (docs/ARCHITECTURE.md, "Offline product form"). With JavaScript:
   - what is typed is kept as a draft on this device (IndexedDB, offline-queue.js) at every change, with the chosen
     photos made smaller first (longest side 1600 px, JPEG); the draft is put back when the page opens again;
   - the submit goes into the waiting list on this device first, then is sent at once: photos one by one, then the
     form, with a fresh CSRF token and the item's idempotency key. Without a signal it stays in the list
     ("Waiting to send (n)"), where it can be edited or discarded, and is sent when the page opens again, when the
     browser says the network is back, or by the service worker's Background Sync where the browser has it;
   - a form the server refuses (a field to fix) is shown with its messages, nothing typed lost.
   Without JavaScript (or without IndexedDB) the form is sent the ordinary way, as before. The texts come from the
   template's data- attributes (translated there). */
(function () {
  "use strict";

  var MAX_SIDE = 1600;
  var QUALITY = 0.85;
  var SHRINK_WAIT = 8000; // ms
  var Q = window.EtalaseOffline;
  var box, form, user, urls, path, restoring = false;
  var photosNow = []; // the chosen photos, made smaller, as the draft keeps them
  var pendingPhotos = Promise.resolve([]); // resolves to photosNow once the chosen photos are made smaller
  var writes = Promise.resolve(); // the draft's writes, one after the other (the last one typed wins)

  function text(name) { return box.getAttribute("data-text-" + name) || ""; }

  function say(message) {
    var status = box.querySelector("[data-offline-status]");
    status.textContent = message;
  }

  function fieldsOf(theForm) {
    var fields = [];
    new FormData(theForm).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrf_token") fields.push([name, value]);
    });
    return fields;
  }

  function photoInput() { return form.querySelector("input[type=file][name=photos]"); }

  /* A photo made smaller on the device: longest side at most 1600 px, JPEG; a file the browser cannot draw (HEIC
     on some phones) is kept as it is, and the server converts it. */
  function shrink(file) {
    if (!window.createImageBitmap) return Promise.resolve(file);
    // a phone that takes too long to redraw a photo sends it as it is (the server makes it smaller): the send waits
    // for the chosen photos, and must never wait for ever
    var late = new Promise(function (resolve) { setTimeout(function () { resolve(file); }, SHRINK_WAIT); });
    return Promise.race([redraw(file), late]);
  }

  function redraw(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", QUALITY);
      });
    }, function () { return file; });
  }

  function jpegName(name) { return (name || "foto").replace(/\.[^.]*$/, "") + ".jpg"; }

  function saveDraft() {
    var draft = { fields: fieldsOf(form), photos: photosNow, savedAt: Date.now() };
    var draftUser = user, draftPath = path;
    writes = writes.then(function () { return Q.saveDraft(draftUser, draftPath, draft); }).then(function () {
      say(text("saved"));
    }, function () { /* a full or refused storage: the form still works the ordinary way */ });
    return writes;
  }

  function dropDraft() {
    var draftUser = user, draftPath = path;
    writes = writes.then(function () { return Q.dropDraft(draftUser, draftPath); }).catch(function () {});
    return writes;
  }

  function choosePhotos(input) {
    var files = Array.prototype.slice.call(input.files || []);
    pendingPhotos = files.reduce(function (chain, file) {
      return chain.then(function (photos) {
        return shrink(file).then(function (blob) {
          photos.push({ key: Q.uuid(), name: blob === file ? file.name : jpegName(file.name), blob: blob });
          return photos;
        });
      });
    }, Promise.resolve([])).then(function (photos) {
      photosNow = photos;
      return saveDraft().then(function () { return photos; });
    });
  }

  function clearPhotos() {
    var input = photoInput();
    photosNow = [];
    pendingPhotos = Promise.resolve([]);
    if (!input) return;
    input.value = "";
    restoring = true;
    input.dispatchEvent(new Event("change", { bubbles: true })); // the preview (uploads.js) empties
    restoring = false;
  }

  function setValue(name, value) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name !== name || element.type === "file" || name === "csrf_token") return;
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.value === value) element.checked = true;
      } else {
        element.value = value;
      }
    });
  }

  function fill(fields, photos) {
    restoring = true;
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.type === "checkbox") element.checked = false; // only the ticked ones are in a FormData
    });
    fields.forEach(function (pair) { setValue(pair[0], pair[1]); });
    var input = photoInput();
    if (input && photos && photos.length && window.DataTransfer) {
      var chosen = new DataTransfer();
      photos.forEach(function (photo) { chosen.items.add(new File([photo.blob], photo.name, { type: photo.blob.type })); });
      input.files = chosen.files;
      input.dispatchEvent(new Event("change", { bubbles: true })); // the preview (uploads.js)
    }
    Array.prototype.forEach.call(form.querySelectorAll("select, input[type=radio]:checked"), function (element) {
      element.dispatchEvent(new Event("change", { bubbles: true })); // attribute groups, price range (product-form.js)
    });
    restoring = false;
    photosNow = photos || [];
    pendingPhotos = Promise.resolve(photosNow);
  }

  function showPage(html, url) {
    var page = new DOMParser().parseFromString(html, "text/html");
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    if (url && url !== location.href) history.replaceState(null, "", url);
    window.scrollTo(0, 0);
    var main = document.getElementById("main");
    if (main) main.focus();
    document.dispatchEvent(new Event("etalase:page"));
  }

  function time(ms) {
    return new Intl.DateTimeFormat(document.documentElement.lang || "id", { dateStyle: "medium", timeStyle: "short" })
      .format(new Date(ms));
  }

  function renderQueue() {
    return Q.items(user).then(function (items) {
      var section = box.querySelector("[data-offline-queue]");
      var list = section.querySelector("ul");
      section.querySelector("h2").textContent = text("waiting") + " (" + items.length + ")";
      section.hidden = items.length === 0;
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var title = document.createElement("strong");
        title.textContent = item.title || text("untitled");
        var detail = document.createElement("span");
        var failed = item.photos.filter(function (photo) { return photo.error; }).length;
        detail.textContent = " · " + time(item.createdAt) + " · " + text("photos") + " " + item.photos.length +
          (failed ? " (" + text("photo-failed") + " " + failed + ")" : "") + " · " +
          (item.state === "refused" ? text("refused") : text("waiting-signal"));
        var edit = document.createElement("button");
        edit.type = "button";
        edit.className = "button button-small";
        edit.textContent = text("edit");
        edit.setAttribute("data-offline-edit", item.id);
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "button button-small";
        discard.textContent = text("discard");
        discard.setAttribute("data-offline-discard", item.id);
        li.appendChild(title);
        li.appendChild(detail);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(edit);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(discard);
        list.appendChild(li);
      });
    });
  }

  /* Back into the form: a refused item as the server answered it (its messages beside the fields), a waiting one
     with its values; it leaves the list (sending the form again queues it anew). Another form's item opens there. */
  function editItem(id) {
    return Q.getItem(user, id).then(function (item) {
      if (!item) return null;
      if (item.url !== path) {
        location.assign(item.url + "#offline-" + item.id);
        return null;
      }
      return Q.dropItem(item).then(function () {
        // the server's page is shown only when it is the form with its messages (not an error page: then the values
        // go back into this form, as for a waiting item)
        if (item.state === "refused" && item.html && item.html.indexOf('id="' + form.id + '"') >= 0) {
          showPage(item.html);
          photosNow = [];
          return saveDraft();
        }
        fill(item.fields, item.photos.filter(function (photo) { return !photo.stagedId; }));
        var staged = item.photos.filter(function (photo) { return photo.stagedId; }).map(function (photo) { return photo.stagedId; });
        if (staged.length) setValue("staged", staged.join(","));
        return saveDraft();
      });
    }).then(renderQueue);
  }

  /* The progress of one send, in the form's upload box (_partials/upload_progress.html): photos sent of how many,
     the button disabled meanwhile. */
  function busy(on) {
    var progressBox = form.querySelector("[data-upload-progress]");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (button) { button.disabled = on; });
    if (on) form.setAttribute("aria-busy", "true"); else form.removeAttribute("aria-busy");
    if (!progressBox) return null;
    progressBox.hidden = !on;
    progressBox.classList.remove("failed");
    var status = progressBox.querySelector("[role=status]");
    var bar = progressBox.querySelector("progress");
    status.textContent = on ? status.getAttribute("data-sending") : "";
    return function (sent, total) {
      bar.value = total ? Math.round((sent / total) * 100) : 100;
      progressBox.querySelector("[data-percent]").textContent = bar.value + "%";
      if (sent === total) status.textContent = status.getAttribute("data-saving");
    };
  }

  function replay(only, progress) {
    return Q.items(user).then(function (items) {
      // nothing waiting: no request at all (a page opened on a weak signal costs nothing more)
      var waiting = items.some(function (item) { return item.state !== "refused"; });
      return waiting ? Q.replay(urls, only, progress) : { results: {} };
    }).then(function (outcome) {
      if (outcome.loggedOut) say(text("log-in"));
      var sent = Object.keys(outcome.results).map(function (id) { return outcome.results[id]; })
        .filter(function (result) { return result.sent; });
      if (sent.length && !only) {
        say(text("sent") + " " + sent.map(function (result) { return result.title || text("untitled"); }).join(", "));
      }
      return renderQueue().then(function () { return outcome; });
    });
  }

  function submit(event) {
    if (event.target !== form || event.defaultPrevented) return;
    event.preventDefault();
    var title = (form.elements.name && form.elements.name.value) || "";
    pendingPhotos.then(function (photos) {
      var item = {
        id: Q.uuid(), user: user, url: path, title: title, fields: fieldsOf(form), state: "waiting",
        photos: photos.map(function (photo) { return { key: photo.key, name: photo.name, blob: photo.blob }; }),
        createdAt: Date.now(),
      };
      return Q.saveItem(item).then(dropDraft).then(function () {
        say(text("sending"));
        return replay(item.id, busy(true));
      }).then(function (outcome) {
        var result = outcome.results[item.id];
        busy(false);
        if (result && result.sent) return showPage(result.html, result.url);
        if (result && result.refused) {
          // the values go back into the form; an answer that is not the form with its messages (an error page:
          // an expired session, a refused request) is named, so the owner knows it was not sent
          var page = new DOMParser().parseFromString(result.html || "", "text/html");
          var isForm = !!page.getElementById(form.id);
          return Q.getItem(user, item.id).then(function (kept) { return kept ? editItem(item.id) : null; })
            .then(function () { if (!isForm) say(text("not-sent") + " " + (page.title || "")); });
        }
        form.reset();
        clearPhotos();
        say(outcome.loggedOut ? text("log-in") : text("queued"));
        if (navigator.serviceWorker && navigator.serviceWorker.ready) {
          navigator.serviceWorker.ready.then(function (registration) {
            if (registration.sync) return registration.sync.register("etalase-queue");
          }).catch(function () { /* no Background Sync: the page sends when it opens or the network is back */ });
        }
      });
    }).catch(function () { form.submit(); }); // the device storage failed: the ordinary way
  }

  function keepForOffline() {
    if (!("serviceWorker" in navigator) || !window.caches) return;
    navigator.serviceWorker.register(box.getAttribute("data-service-worker"), { scope: "/" }).then(function () {
      var assets = Array.prototype.map.call(document.querySelectorAll("script[src], link[rel=stylesheet][href]"),
        function (element) { return element.src || element.href; });
      caches.open("etalase-static-v1").then(function (cache) { return cache.addAll(assets); }).catch(function () {});
      caches.open("etalase-pages-v1").then(function (cache) { return cache.add(location.href); }).catch(function () {});
    }).catch(function () { /* no service worker (a private window): drafts and the list still work */ });
  }

  function start() {
    box = document.querySelector("[data-offline-form]");
    form = box && document.getElementById(box.getAttribute("data-offline-form"));
    if (!form || !Q || !window.indexedDB || !window.FormData) return;
    user = box.getAttribute("data-user");
    urls = { token: box.getAttribute("data-url-token"), photo: box.getAttribute("data-url-photo"),
             login: box.getAttribute("data-url-login") };
    path = location.pathname;
    box.hidden = false;
    var resume = /^#offline-(.+)$/.exec(location.hash);
    Q.getDraft(user, path).then(function (draft) {
      // a page the server sent back with errors already shows what was sent; otherwise the draft goes back in
      if (draft && !form.querySelector(".field-error")) {
        fill(draft.fields, draft.photos);
        say(text("restored"));
      }
      return resume ? editItem(resume[1]) : renderQueue();
    }).then(function () { return replay(); }, function () {});
  }

  document.addEventListener("submit", function (event) { if (form) submit(event); }, true);
  document.addEventListener("input", function (event) {
    if (form && !restoring && form.contains(event.target) && event.target.type !== "file") saveDraft();
  });
  document.addEventListener("change", function (event) {
    if (!form || restoring || !form.contains(event.target)) return;
    if (event.target.type === "file") choosePhotos(event.target); else saveDraft();
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement) || !box) return;
    if (target.hasAttribute("data-offline-edit")) editItem(target.getAttribute("data-offline-edit"));
    if (target.hasAttribute("data-offline-discard")) {
      Q.getItem(user, target.getAttribute("data-offline-discard")).then(function (item) {
        return item && Q.dropItem(item);
      }).then(function () { say(text("discarded")); return renderQueue(); });
    }
  });
  window.addEventListener("online", function () { if (form) replay(); });
  if (Q && Q.channel) {
    Q.channel.addEventListener("message", function (event) {
      if (!form) return;
      if (event.data && event.data.type === "sent") say(text("sent") + " " + (event.data.title || ""));
      renderQueue();
    });
  }
  document.addEventListener("etalase:page", start); // a page put in place after a send (uploads.js, showPage)
  start();
  keepForOffline();
})();
