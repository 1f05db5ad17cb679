/* Photo uploads: a preview of the chosen photos before they are sent, and the progress while they are sent.
   Used by forms holding _partials/upload_progress.html. Without JavaScript the same form is sent the ordinary way;
   with it, the form is sent by XMLHttpRequest (for its upload progress) and the page it answers replaces this one.
   A lost connection leaves the form as it was, with a message. */
(function () {
  "use strict";

  var THUMB = 192; // px, the longer side of a preview

  function megabytes(bytes) {
    var lang = document.documentElement.lang || "id";
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / 1048576) + " MB";
  }

  function drawInto(frame, file) {
    if (!window.createImageBitmap) return Promise.resolve();
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, THUMB / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.setAttribute("aria-hidden", "true");
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      frame.appendChild(canvas);
    }, function () { /* a format the browser cannot draw (HEIC): the name and size stay */ });
  }

  function preview(input, list) {
    var files = Array.prototype.slice.call(input.files || []);
    list.textContent = "";
    list.hidden = files.length === 0;
    var drawing = Promise.resolve();
    files.forEach(function (file) {
      var item = document.createElement("li");
      var frame = document.createElement("div");
      var caption = document.createElement("span");
      frame.className = "preview-frame";
      caption.textContent = file.name + " · " + megabytes(file.size);
      item.appendChild(frame);
      item.appendChild(caption);
      list.appendChild(item);
      // one photo decoded at a time: eight 12-megapixel photos at once are too much for a cheap phone
      drawing = drawing.then(function () { return drawInto(frame, file); });
    });
  }

  function showPage(html, url) {
    var page = new DOMParser().parseFromString(html, "text/html");
    document.title = page.title;
    document.documentElement.lang = page.documentElement.lang || document.documentElement.lang;
    document.body.replaceWith(document.adoptNode(page.body));
    if (url && url !== location.href) history.replaceState(null, "", url);
    window.scrollTo(0, 0);
    var main = document.getElementById("main");
    if (main) main.focus();
    document.dispatchEvent(new Event("etalase:page"));
  }

  function send(form, event) {
    var box = form.querySelector("[data-upload-progress]");
    var chosen = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
    if (!box || !chosen || !window.FormData || !window.DOMParser) return; // the ordinary way
    event.preventDefault();
    var bar = box.querySelector("progress");
    var percent = box.querySelector("[data-percent]");
    var status = box.querySelector("[role=status]");
    var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
    var data;
    try { data = new FormData(form, event.submitter); } catch (error) { data = new FormData(form); }

    function setBusy(busy) {
      Array.prototype.forEach.call(buttons, function (button) { button.disabled = busy; });
      if (busy) form.setAttribute("aria-busy", "true"); else form.removeAttribute("aria-busy");
    }
    function failed() {
      setBusy(false);
      bar.value = 0;
      percent.textContent = "";
      status.textContent = status.getAttribute("data-failed");
      box.classList.add("failed");
    }

    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (progress) {
      if (!progress.lengthComputable) return;
      bar.value = Math.round((progress.loaded / progress.total) * 100);
      percent.textContent = bar.value + "%";
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // sent: the server is storing them, for an unknown short time
      percent.textContent = "";
      status.textContent = status.getAttribute("data-saving");
    });
    request.addEventListener("load", function () {
      var type = request.getResponseHeader("Content-Type") || "";
      if (type.indexOf("text/html") === 0) showPage(request.responseText, request.responseURL);
      else location.assign(request.responseURL || form.action);
    });
    request.addEventListener("error", failed);
    request.addEventListener("timeout", failed);
    request.addEventListener("abort", failed);

    box.hidden = false;
    box.classList.remove("failed");
    bar.value = 0;
    percent.textContent = "0%";
    status.textContent = status.getAttribute("data-sending");
    setBusy(true);
    request.send(data);
  }

  // Listening on the document: the page that replaces this one after a send needs no new listeners.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.id) return;
    var list = document.querySelector('[data-photo-preview="' + input.id + '"]');
    if (list) preview(input, list);
  });
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && event.target instanceof HTMLFormElement) send(event.target, event);
  });
})();
