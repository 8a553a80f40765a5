/* The reader's filters on the timeline page: by tag, place, source and year.
 * Within one filter any ticked value matches; across filters all must match.
 * The state lives in the URL (?tag=a,b&place=c) so a filtered view can be shared,
 * and reloading restores it. Without this script the page is the complete list. */
(function () {
  "use strict";
  // The theme's search dialog has no accessible name (axe: aria-dialog-name); give it one.
  var search = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
  if (search) search.setAttribute("aria-label", "Search");

  var form = document.getElementById("tl-filters");
  if (!form) return;
  var FIELDS = { tag: "tags", place: "places", publisher: "publishers", year: "year" };
  var items = Array.prototype.slice.call(document.querySelectorAll("li.tl-item[data-year]"));
  var status = form.querySelector(".tl-status");
  var total = items.length;
  var groupHeading = /^(\d{4}|[a-z]+-\d{4})$/;  // the year and month headings the timeline generates

  function chosen() {
    var state = {};
    Object.keys(FIELDS).forEach(function (name) {
      state[name] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked'))
        .map(function (box) { return box.value; });
    });
    return state;
  }

  function matches(item, state) {
    return Object.keys(FIELDS).every(function (name) {
      if (!state[name].length) return true;
      var have = (item.getAttribute("data-" + FIELDS[name]) || "").split(" ");
      return state[name].some(function (value) { return have.indexOf(value) !== -1; });
    });
  }

  // Hide a year or month heading, and a period mark, when nothing under it is shown.
  function tidy() {
    var content = form.parentNode;
    Array.prototype.forEach.call(content.querySelectorAll("ol.tl-list"), function (list) {
      list.hidden = !list.querySelector("li.tl-item:not([hidden])");
    });
    var headings = Array.prototype.filter.call(content.querySelectorAll("h2, h3"), function (h) {
      return groupHeading.test(h.id);
    });
    headings.forEach(function (heading) {
      var level = heading.tagName, node = heading.nextElementSibling, visible = false;
      while (node && !(node.tagName === "H2" || (level === "H3" && node.tagName === "H3"))) {
        if (node.tagName === "OL" && !node.hidden) visible = true;
        node = node.nextElementSibling;
      }
      heading.hidden = !visible;
    });
  }

  function apply() {
    var state = chosen(), shown = 0;
    items.forEach(function (item) {
      var ok = matches(item, state);
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    tidy();
    var any = Object.keys(state).some(function (name) { return state[name].length; });
    status.textContent = any ? "Showing " + shown + " of " + total + " events" : "Showing all " + total + " events";
    Object.keys(FIELDS).forEach(function (name) {
      var label = form.querySelector('.tl-chosen[data-for="' + name + '"]');
      if (label) label.textContent = state[name].length ? "(" + state[name].length + " chosen)" : "";
    });
    var params = new URLSearchParams(window.location.search);
    Object.keys(FIELDS).forEach(function (name) {
      if (state[name].length) params.set(name, state[name].join(","));
      else params.delete(name);
    });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    Object.keys(FIELDS).forEach(function (name) {
      var wanted = (params.get(name) || "").split(",").filter(Boolean);
      Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (box) {
        box.checked = wanted.indexOf(box.value) !== -1;
      });
      if (wanted.length) form.querySelector('details[data-filter="' + name + '"]').open = true;
    });
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  restore();
  apply();
})();
