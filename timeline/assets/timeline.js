/* The reader's filters on the timeline page: by tag, place, source and year.
 * Within one filter any ticked value matches; across filters all must match.
 * The state lives in the URL (?tag=a,b&place=c) so a filtered view can be shared,
 * and reloading restores it. Without this script the page is the complete list.
 * A timeline too long for one page lists years instead; then the filters search
 * timeline-index.json (fetched on first use) and list the matching events here. */
(function () {
  "use strict";
  // The theme's search dialog has no accessible name (axe: aria-dialog-name); give it one.
  var search = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
  if (search) search.setAttribute("aria-label", "Search");

  var form = document.getElementById("tl-filters");
  if (!form) return;
  // Each filter, and what it matches: the list items' data-* attribute and timeline-index.json's
  // column of the same name (both written from indexes.filter_values).
  var FIELDS = { tag: "tags", place: "places", publisher: "publishers", year: "year" };
  var SHOW_AT_MOST = 500;
  var items = Array.prototype.slice.call(document.querySelectorAll("li.tl-item[data-year]"));
  var status = form.querySelector(".tl-status");
  var total = Number(form.getAttribute("data-count")) || items.length;
  var indexUrl = form.getAttribute("data-index");
  var overview = document.querySelector(".tl-overview");
  var results = document.querySelector("ol.tl-results");
  var index = null;
  var groupHeading = /^(\d{4}|[a-z]+-\d{4})$/;  // the year and month headings the timeline generates

  function chosen() {
    var state = {};
    Object.keys(FIELDS).forEach(function (name) {
      state[name] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked'))
        .map(function (box) { return box.value; });
    });
    return state;
  }

  function anyChosen(state) {
    return Object.keys(state).some(function (name) { return state[name].length; });
  }

  function matches(values, state) {  // values(name) → the event's values for that filter
    return Object.keys(FIELDS).every(function (name) {
      if (!state[name].length) return true;
      var have = values(name);
      return state[name].some(function (value) { return have.indexOf(value) !== -1; });
    });
  }

  // Hide a year or month heading, and a list, when nothing under it is shown.
  function tidy() {
    var content = form.parentNode;
    Array.prototype.forEach.call(content.querySelectorAll("ol.tl-list:not(.tl-results)"), function (list) {
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

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;  // text, never HTML
    return node;
  }

  function link(href, text, className) {
    var a = element("a", className, text);
    a.setAttribute("href", href);
    return a;
  }

  // timeline-index.json names its columns ("columns": ["id", "title", …]): find them by name.
  function value(event, column) {
    return event[index.columns.indexOf(column)];
  }

  function row(event) {  // one timeline-index.json row → the same <li> the pages use
    var li = element("li", "tl-item tl-" + value(event, "precision"));
    var time = element("time", "tl-date", value(event, "date_text"));
    time.setAttribute("datetime", value(event, "start"));
    li.appendChild(time);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(link(value(event, "url"), value(event, "title"), "tl-title"));
    var meta = element("span", "tl-meta"), where = element("span", "tl-where");
    value(event, "places").forEach(function (place, i) {
      if (i) where.appendChild(document.createTextNode(", "));
      where.appendChild(link(index.urls.place.replace("{id}", place), index.places[place] || place));
    });
    meta.appendChild(where);
    if (value(event, "tags").length) {
      var tags = element("span", "tl-tags");
      value(event, "tags").forEach(function (tag) {
        tags.appendChild(document.createTextNode(" "));
        tags.appendChild(link(index.urls.tag.replace("{id}", tag), tag, "tl-tag"));
      });
      meta.appendChild(tags);
    }
    li.appendChild(meta);
    return li;
  }

  // From disk (file://), where fetch is refused, a site built with --offline has the index as a
  // script beside the JSON.
  function fromScript(url) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url.replace(/\.json$/, ".js");
      tag.onload = function () { if (window.tlIndex) resolve(window.tlIndex); else reject(new Error(url)); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function load() {
    if (!index) {
      index = (location.protocol === "file:" ? fromScript(indexUrl) : fetch(indexUrl).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })).then(function (data) { index = data; return data; });
    }
    return Promise.resolve(index);
  }

  function showIndexResults(state) {
    if (!anyChosen(state)) {
      results.hidden = true;
      results.textContent = "";
      overview.hidden = false;
      status.textContent = "Showing all " + total + " events, by year";
      return;
    }
    status.textContent = "Searching the whole timeline…";
    load().then(function (data) {
      var found = data.events.filter(function (event) {
        return matches(function (name) {
          var have = value(event, FIELDS[name]);
          return name === "year" ? [String(have)] : have;
        }, state);
      });
      results.textContent = "";
      found.slice(0, SHOW_AT_MOST).forEach(function (event) { results.appendChild(row(event)); });
      overview.hidden = true;
      results.hidden = false;
      status.textContent = "Showing " + (found.length > SHOW_AT_MOST ? "the first " + SHOW_AT_MOST + " of " : "")
        + found.length + " of " + total + " events";
    }).catch(function () {
      status.textContent = "The event list could not be loaded; browse by year below.";
    });
  }

  function showPageItems(state) {
    var shown = 0;
    items.forEach(function (item) {
      var ok = matches(function (name) {
        return (item.getAttribute("data-" + FIELDS[name]) || "").split(" ");
      }, state);
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    tidy();
    status.textContent = anyChosen(state) ? "Showing " + shown + " of " + total + " events"
      : "Showing all " + total + " events";
  }

  function apply() {
    var state = chosen();
    if (indexUrl && results && overview) showIndexResults(state);
    else showPageItems(state);
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
