/* The search index is the largest file of the site (megabytes for a long timeline): the theme
 * requests it as every page loads. Hold that request until the reader first uses the search box
 * (focus, a click on its button, or the theme's keyboard shortcut), then send it. Loaded before
 * the theme's script, which requests the index with XMLHttpRequest. */
(function () {
  "use strict";
  var INDEX = /(^|\/)search\/search_index\.json(\?|#|$)/;
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  var waiting = [], used = false;

  function use() {
    if (used) return;
    used = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }
  XMLHttpRequest.prototype.open = function (method, url) {
    this.tlLazy = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (request.tlLazy && !used) {
      waiting.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(this, arguments);
  };
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest(".md-search")) use();
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest('.md-search, label[for="__search"]')) use();
  }, true);
  document.addEventListener("change", function (event) { if (event.target.id === "__search") use(); }, true);
  document.addEventListener("keydown", function (event) {  // the theme opens search on "/", "s" and "f"
    if (!typing(event.target) && /^[/sSfF]$/.test(event.key)) use();
  }, true);
})();
