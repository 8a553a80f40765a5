/* Inside worker.html: runs one worker script of this site as if it were a Web Worker. Its
 * postMessage answers through the channel handed to the page; the page's messages arrive as the
 * "message" events a worker listens for. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var site = new URL("../../", location.href).href;  // this file is in assets/timeline/
  var script = new URL(decodeURIComponent(location.hash.slice(1)), location.href);
  if (script.protocol !== "file:" || script.href.indexOf(site) !== 0 || !/\.js$/.test(script.pathname)) return;
  var channel = new MessageChannel();
  channel.port1.onmessage = function (message) {
    window.dispatchEvent(new MessageEvent("message", { data: message.data }));
  };
  parent.postMessage("timeline-worker", "*", [channel.port2]);
  // What a worker has: postMessage answers the page; importScripts (as a promise, which the theme's
  // search awaits) resolves against the worker script's address. And no parent: the page is
  // another origin on disk, and reading anything from it would throw.
  window.postMessage = function (data) { channel.port1.postMessage(data); };
  window.parent = window;
  window.importScripts = function () {
    return Array.prototype.reduce.call(arguments, function (done, url) {
      return done.then(function () {
        return new Promise(function (resolve, reject) {
          var tag = document.createElement("script");
          tag.src = new URL(url, script.href).href;
          tag.onload = resolve;
          tag.onerror = reject;
          document.head.appendChild(tag);
        });
      });
    }, Promise.resolve());
  };
  var tag = document.createElement("script");
  tag.src = script.href;
  document.head.appendChild(tag);
})();
