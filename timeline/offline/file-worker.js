/* A Web Worker for pages opened from disk (file://), where browsers refuse to start one: the
 * theme's search runs its worker script in a hidden frame (worker.html) instead, and the two talk
 * through a MessageChannel. Loaded only by a site built for local viewing (build --offline).
 * The idea is iframe-worker's (MIT, Martin Donath); this version needs no inline script, so the
 * pages' Content-Security-Policy stays as strict as on the web. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var frameUrl = document.currentScript.src.replace(/file-worker\.js(\?.*)?$/, "worker.html");

  function FrameWorker(url) {
    var target = new EventTarget();
    var frame = document.createElement("iframe");
    var port = null, queue = [];
    frame.hidden = true;
    frame.src = frameUrl + "#" + encodeURIComponent(new URL(url, location.href).href);
    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || !event.ports.length || port) return;
      port = event.ports[0];
      port.onmessage = function (message) {
        var copy = new MessageEvent("message", { data: message.data });
        target.dispatchEvent(copy);
        if (typeof target.onmessage === "function") target.onmessage(copy);
      };
      queue.forEach(function (data) { port.postMessage(data); });
      queue = [];
    });
    (document.body || document.documentElement).appendChild(frame);
    target.postMessage = function (data) { if (port) port.postMessage(data); else queue.push(data); };
    target.terminate = function () { frame.remove(); if (port) port.close(); };
    return target;
  }

  window.Worker = FrameWorker;
})();
