/* cpd-evidence pages: the little the pages do in the browser, in plain JavaScript (no library, no CDN).
   Everything works without it: the forms post and the page reloads. With it:
   - the upload form sends the files one request each, with a progress bar over all of them (XHR upload
     progress), and says in words what happened to each;
   - while an upload is being read, its row updates itself (GET /member/uploads/state every 2 seconds), and
     the page reloads once all are read, unless the person is in the middle of a form. */
(function () {
  "use strict";

  function text(el, value) { if (el) { el.textContent = value; } }

  function sendOne(form, file, onProgress) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrf", form.dataset.csrf);
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
      xhr.upload.addEventListener("progress", function (e) { if (e.lengthComputable) { onProgress(e.loaded); } });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
        if (xhr.status >= 200 && xhr.status < 300) { resolve({ ok: true }); return; }
        var message = body && body.error && body.error.message ? body.error.message
          : "The server answered " + xhr.status + ". Try again in a minute.";
        resolve({ ok: false, message: message });
      });
      xhr.addEventListener("error", function () {
        resolve({ ok: false, message: "The connection was lost. Check your network and upload the file again." });
      });
      xhr.send(data);
    });
  }

  function setUpUpload() {
    var form = document.getElementById("upload-form");
    if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
    var input = document.getElementById("files");
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-bar");
    var list = document.getElementById("upload-files");
    var status = document.getElementById("upload-status");
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) { return; }
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      box.hidden = false;
      list.textContent = "";
      status.classList.remove("error-text");
      var total = files.reduce(function (sum, f) { return sum + f.size; }, 0) || 1;
      var done = 0, failed = 0;
      var rows = files.map(function (f) {
        var li = document.createElement("li");
        li.textContent = f.name + ": waiting";
        list.appendChild(li);
        return li;
      });
      text(status, "Uploading " + files.length + (files.length === 1 ? " file" : " files") + "…");
      var chain = Promise.resolve();
      files.forEach(function (file, i) {
        chain = chain.then(function () {
          rows[i].textContent = file.name + ": uploading";
          return sendOne(form, file, function (loaded) {
            bar.value = Math.min(100, Math.round(100 * (done + loaded) / total));
            rows[i].textContent = file.name + ": " + Math.round(100 * loaded / (file.size || 1)) + "%";
          }).then(function (result) {
            done += file.size;
            bar.value = Math.round(100 * done / total);
            if (result.ok) {
              rows[i].textContent = file.name + ": uploaded";
            } else {
              failed += 1;
              rows[i].textContent = file.name + ": not uploaded. " + result.message;
            }
          });
        });
      });
      chain.then(function () {
        bar.value = 100;
        button.disabled = false;
        if (failed) {
          status.classList.add("error-text");
          text(status, failed + " of " + files.length + " not uploaded; see why above.");
          return;
        }
        text(status, "Uploaded. Reading " + (files.length === 1 ? "it" : "them") + " now…");
        var params = new URLSearchParams(window.location.search);
        params.set("notice", "uploaded");
        window.location.assign(window.location.pathname + "?" + params.toString() + "#uploads");
      });
    });
  }

  function busy() {
    var active = document.activeElement;
    if (active && active.form && active.tagName !== "BUTTON") { return true; }
    return document.querySelector("details[open]") !== null;
  }

  function setUpPolling() {
    var section = document.getElementById("uploads");
    if (!section || section.dataset.pending !== "true" || !window.fetch) { return; }
    var timer = window.setInterval(function () {
      window.fetch("/member/uploads/state", { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (!body) { return; }
          body.uploads.forEach(function (u) {
            var row = document.getElementById("upload-" + u.id);
            if (!row || row.dataset.state === u.state) { return; }
            row.dataset.state = u.state;
            var badge = row.querySelector(".state");
            if (badge) { badge.className = "state state-" + u.state; badge.textContent = u.state_text; }
          });
          if (!body.pending) {
            window.clearInterval(timer);
            if (!busy()) { window.location.reload(); return; }
            var note = document.createElement("p");
            note.className = "notice";
            note.setAttribute("role", "status");
            note.innerHTML = "";
            var link = document.createElement("a");
            link.href = window.location.pathname + window.location.search + "#uploads";
            link.textContent = "Every upload is read: reload the page to see the new activities.";
            note.appendChild(link);
            section.insertBefore(note, section.children[1] || null);
          }
        })
        .catch(function () { /* the next tick tries again */ });
    }, 2000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpUpload();
    setUpPolling();
  });
}());
