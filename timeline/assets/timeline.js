/* The reader's filters on the timeline page: by tag, place, source, year and a date range.
 * Within one filter any ticked value matches; across filters all must match; the range keeps
 * the events that overlap it. The state lives in the URL (?tag=a,b&place=c&from=2020-02&to=2020-03)
 * so a filtered view can be shared, and reloading restores it. Without this script the page is the
 * complete list. The range is chosen in two date fields, by dragging across the overview, or with
 * its two handles (arrow keys); the overview dims what is filtered out, and the map follows
 * ("tl:shown", read by map.js). Active filters show as chips that remove them.
 * A timeline too long for one page lists years instead; then the filters search
 * timeline-index.json (fetched on first use) and list the matching events here. */
(function () {
  "use strict";
  // The theme's search dialog has no accessible name (axe: aria-dialog-name); give it one.
  var search = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
  if (search) search.setAttribute("aria-label", "Search");

  // A wide table scrolls inside the theme's wrapper: let the keyboard reach it (axe: scrollable-region-focusable).
  // The theme wraps tables once the page has loaded, after this script runs.
  function focusableTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])"), function (wrap) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table (scrolls sideways)");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(focusableTables, 0); });
  window.addEventListener("load", focusableTables);

  var form = document.getElementById("tl-filters");
  if (!form) return;
  // Each filter, and what it matches: the list items' data-* attribute and timeline-index.json's
  // column of the same name (both written from indexes.filter_values).
  var FIELDS = { tag: "tags", place: "places", publisher: "publishers", year: "year", status: "status" };
  var SHOW_AT_MOST = 500;
  var items = Array.prototype.slice.call(document.querySelectorAll("li.tl-item[data-year]"));
  var status = form.querySelector(".tl-status");
  var total = Number(form.getAttribute("data-count")) || items.length;
  var indexUrl = form.getAttribute("data-index");
  var optionsUrl = indexUrl || form.getAttribute("data-options");  // where a find box looks
  var overview = document.querySelector(".tl-overview");
  var results = document.querySelector("ol.tl-results");
  var index = null;
  var groupHeading = /^(\d{4}|[a-z]+-\d{4})$/;  // the year and month headings the timeline generates
  var DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];
  var fromBox = form.querySelector('input[name="from"]'), toBox = form.querySelector('input[name="to"]');
  var chips = form.querySelector(".tl-chips"), reset = form.querySelector(".tl-reset");
  var panel = form.querySelector(".tl-filter-panel");
  var svg = document.querySelector(".tl-ov-svg");
  var marks = svg ? Array.prototype.slice.call(svg.querySelectorAll(".tl-ov-mark, .tl-ov-week")) : [];

  // Dates as text: "2020", "2020-02" and "2020-02-05" stand for the first or last day they cover.
  function low(text) { return text.length === 4 ? text + "-01-01" : text.length === 7 ? text + "-01" : text; }
  function high(text) { return text.length === 4 ? text + "-12-31" : text.length === 7 ? text + "-31" : text; }
  function human(text) {
    var parts = text.split("-");
    if (parts.length === 1) return parts[0];
    var month = MONTHS[Number(parts[1]) - 1] || parts[1];
    return parts.length === 2 ? month + " " + parts[0] : Number(parts[2]) + " " + month + " " + parts[0];
  }
  function range() {
    var from = fromBox ? fromBox.value.trim() : "", to = toBox ? toBox.value.trim() : "";
    return { from: DATE.test(from) ? from : "", to: DATE.test(to) ? to : "" };
  }
  function overlaps(first, last, r) {  // first, last: the days an event covers, as YYYY-MM-DD
    return (!r.from || last >= low(r.from)) && (!r.to || first <= high(r.to));
  }

  function chosen() {
    var state = {};
    Object.keys(FIELDS).forEach(function (name) {
      state[name] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked'))
        .map(function (box) { return box.value; });
    });
    return state;
  }

  function anyChosen(state) {
    var r = range();
    return !!(r.from || r.to) || Object.keys(state).some(function (name) { return state[name].length; });
  }

  function matches(values, state, first, last) {  // values(name) → the event's values for that filter
    if (!overlaps(first, last, range())) return false;
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
      // The table of contents lists the months too: hide those the filters emptied.
      Array.prototype.forEach.call(document.querySelectorAll('.md-nav--secondary a[href="#' + heading.id + '"]'),
        function (a) { a.parentNode.hidden = !visible; });
    });
  }

  // A period's mark goes before its first shown event, so its label survives that event's filtering out.
  function placePeriodMarks() {
    Array.prototype.forEach.call(form.parentNode.querySelectorAll("li.tl-period-mark"), function (mark) {
      var id = mark.id.replace(/^period-/, "");
      var first = items.filter(function (item) {
        return !item.hidden && (item.getAttribute("data-periods") || "").split(" ").indexOf(id) !== -1;
      })[0];
      mark.hidden = !first;
      if (first && mark.nextElementSibling !== first) first.parentNode.insertBefore(mark, first);
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
      index = (location.protocol === "file:" ? fromScript(optionsUrl) : fetch(optionsUrl).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })).then(function (data) { index = data; return data; }, function (failure) {
        index = null;  // the next use tries again
        throw failure;
      });
    }
    return Promise.resolve(index);
  }

  function showIndexResults(state) {
    if (!anyChosen(state)) {
      results.hidden = true;
      results.textContent = "";
      overview.hidden = false;
      shown(null);
      status.textContent = "Showing all " + total + " events, by year";
      return;
    }
    status.textContent = "Searching the whole timeline…";
    load().then(function (data) {
      var found = data.events.filter(function (event) {
        return matches(function (name) {
          var have = value(event, FIELDS[name]);
          return name === "year" || name === "status" ? [String(have)] : have;
        }, state, value(event, "first"), value(event, "last"));
      });
      shown(found.map(function (event) { return [value(event, "id"), value(event, "places")]; }));
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
    var count = 0, seen = [];
    items.forEach(function (item) {
      var ok = matches(function (name) {
        return (item.getAttribute("data-" + FIELDS[name]) || "").split(" ");
      }, state, item.getAttribute("data-first"), item.getAttribute("data-last"));
      item.hidden = !ok;
      if (ok) {
        count += 1;
        seen.push([item.getAttribute("data-event"), (item.getAttribute("data-places") || "").split(" ")]);
      }
    });
    placePeriodMarks();
    tidy();
    var any = anyChosen(state);
    shown(any ? seen : null);
    status.textContent = any ? "Showing " + count + " of " + total + " events" : "Showing all " + total + " events";
  }

  // What is shown, for the overview (dim the rest) and the map (count per place): [[id, places]…], or null for all.
  function shown(events) {
    var ids = null, places = null;
    if (events) {
      ids = {}; places = {};
      events.forEach(function (pair) {
        ids[pair[0]] = true;
        pair[1].forEach(function (place) { if (place) places[place] = (places[place] || 0) + 1; });
      });
    }
    var r = range();
    marks.forEach(function (mark) {
      var id = mark.getAttribute("data-event");
      var out = !overlaps(mark.getAttribute("data-start"), mark.getAttribute("data-end"), r)
        || (ids !== null && id !== null && !ids[id]);
      mark.classList.toggle("tl-ov-out", out);
    });
    drawRange();
    document.tlShown = { places: places };  // for a map that starts later (map.js)
    document.dispatchEvent(new CustomEvent("tl:shown", { detail: document.tlShown }));
  }

  function chip(text, remove) {
    var button = element("button", "tl-chip");
    button.type = "button";
    button.setAttribute("aria-label", "Remove the filter " + text);
    button.appendChild(element("span", "", text));
    button.appendChild(element("span", "tl-chip-x", "×"));
    button.addEventListener("click", function () { remove(); apply(); });
    chips.appendChild(button);
  }

  function drawChips(state) {
    chips.textContent = "";
    var r = range();
    if (r.from || r.to) {
      chip("Dates: " + (r.from ? human(r.from) : "the start") + " – " + (r.to ? human(r.to) : "the end"), function () {
        fromBox.value = ""; toBox.value = "";
      });
    }
    Object.keys(FIELDS).forEach(function (name) {
      var legend = form.querySelector('details[data-filter="' + name + '"] > summary').firstChild.textContent.trim();
      state[name].forEach(function (wanted) {
        Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (box) {
          if (box.value !== wanted) return;
          var text = box.parentNode.querySelector("span[dir]");
          chip(legend.replace(/s$/, "") + ": " + (text ? text.textContent : wanted), function () { box.checked = false; });
        });
      });
    });
    reset.hidden = !anyChosen(state);
  }

  function apply() {
    var state = chosen();
    if (indexUrl && results && overview) showIndexResults(state);
    else showPageItems(state);
    drawChips(state);
    Object.keys(FIELDS).forEach(function (name) {
      var label = form.querySelector('.tl-chosen[data-for="' + name + '"]');
      if (label) label.textContent = state[name].length ? "(" + state[name].length + " chosen)" : "";
    });
    var params = new URLSearchParams(window.location.search);
    Object.keys(FIELDS).forEach(function (name) {
      if (state[name].length) params.set(name, state[name].join(","));
      else params.delete(name);
    });
    var r = range();
    ["from", "to"].forEach(function (name) { if (r[name]) params.set(name, r[name]); else params.delete(name); });
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
      wanted.forEach(function (value) { restoreFound(name, value); });
      if (wanted.length) form.querySelector('details[data-filter="' + name + '"]').open = true;
    });
    if (fromBox) fromBox.value = DATE.test(params.get("from") || "") ? params.get("from") : "";
    if (toBox) toBox.value = DATE.test(params.get("to") || "") ? params.get("to") : "";
  }

  // ------------------------------------------------------------ the overview: drag and handles
  var axis = null, selection = null, handles = [];
  function setupOverview() {
    if (!svg || !fromBox) return;
    var NS = "http://www.w3.org/2000/svg";
    var first = new Date(svg.getAttribute("data-first") + "T00:00:00Z").getTime();
    var last = new Date(svg.getAttribute("data-last") + "T00:00:00Z").getTime() + 864e5;
    var left = Number(svg.getAttribute("data-left")), right = Number(svg.getAttribute("data-right"));
    var top = Number(svg.getAttribute("data-top")), bottom = Number(svg.getAttribute("data-bottom"));
    var byMonth = last - first > 200 * 864e5;  // a long timeline is chosen by the month, a short one by the day
    var steps = [];  // the values a handle can take: each month (or day) of the axis, as text
    for (var t = first; t < last; t += 864e5) {
      var text = new Date(t).toISOString().slice(0, byMonth ? 7 : 10);
      if (steps[steps.length - 1] !== text) steps.push(text);
    }
    function x(text, end) {  // the x of a step's start (or end)
      var day = new Date(low(text) + "T00:00:00Z");
      if (end) {
        if (text.length === 10) day = new Date(day.getTime() + 864e5);
        else if (text.length === 7) day.setUTCMonth(day.getUTCMonth() + 1);
        else day.setUTCFullYear(day.getUTCFullYear() + 1);
      }
      var share = Math.min(1, Math.max(0, (day.getTime() - first) / (last - first)));
      return left + share * (right - left);
    }
    function stepAt(svgX) {
      var share = Math.min(0.99999, Math.max(0, (svgX - left) / (right - left)));
      return new Date(first + share * (last - first)).toISOString().slice(0, byMonth ? 7 : 10);
    }
    function svgX(clientX) {
      var point = svg.createSVGPoint();
      point.x = clientX; point.y = 0;
      return point.matrixTransform(svg.getScreenCTM().inverse()).x;
    }
    axis = { steps: steps, x: x, stepOf: stepOf };
    // The step a typed value falls in (2020, 2020-02 or 2020-02-05, whatever the steps are): for a
    // range's start the last step starting at or before it, for its end the first ending at or after it.
    function stepOf(value, end) {
      if (!value) return end ? steps.length - 1 : 0;
      if (end) {
        for (var k = 0; k < steps.length; k++) if (high(steps[k]) >= high(value)) return k;
        return steps.length - 1;
      }
      for (var m = steps.length - 1; m >= 0; m--) if (low(steps[m]) <= low(value)) return m;
      return 0;
    }
    selection = document.createElementNS(NS, "rect");
    selection.setAttribute("class", "tl-ov-selection");
    selection.setAttribute("y", top); selection.setAttribute("height", bottom - top);
    selection.style.pointerEvents = "none";
    svg.insertBefore(selection, svg.querySelector(".tl-ov-marks"));
    ["from", "to"].forEach(function (name, i) {
      var handle = document.createElementNS(NS, "rect");
      handle.setAttribute("class", "tl-ov-handle");
      handle.setAttribute("width", 4); handle.setAttribute("y", top - 2); handle.setAttribute("height", bottom - top + 4);
      handle.setAttribute("rx", 2);
      handle.setAttribute("tabindex", "0");
      handle.setAttribute("role", "slider");
      handle.setAttribute("aria-label", i ? "End of the date range" : "Start of the date range");
      handle.setAttribute("aria-valuemin", "0");
      handle.setAttribute("aria-valuemax", String(steps.length - 1));
      handle.addEventListener("keydown", function (event) {
        var r = range(), box = i ? toBox : fromBox;
        var at = stepOf(i ? r.to : r.from, i === 1);
        var moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -12, PageUp: 12 };
        if (event.key in moves) at += moves[event.key];
        else if (event.key === "Home") at = 0;
        else if (event.key === "End") at = steps.length - 1;
        else if (event.key !== "Enter") return;
        event.preventDefault();
        at = Math.max(0, Math.min(steps.length - 1, at));
        var otherValue = i ? r.from : r.to;
        if (otherValue) {
          var other = stepOf(otherValue, i === 0);
          at = i ? Math.max(at, other) : Math.min(at, other);
        }
        box.value = steps[at];
        apply();
      });
      svg.appendChild(handle);
      handles.push(handle);
    });
    // Dragging across the chart chooses the range it covers; a click on a mark still opens it.
    var start = null, dragged = false;
    svg.classList.add("tl-ov-live");
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.target.classList.contains("tl-ov-handle")) return;
      start = svgX(event.clientX); dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (start === null) return;
      var now = svgX(event.clientX);
      if (!dragged && Math.abs(now - start) < 4) return;
      if (!dragged) svg.setPointerCapture(event.pointerId);
      dragged = true;
      var a = stepAt(Math.min(start, now)), b = stepAt(Math.max(start, now));
      fromBox.value = a; toBox.value = b;
      drawRange();
    });
    svg.addEventListener("pointerup", function () {
      if (start !== null && dragged) apply();
      start = null;
    });
    svg.addEventListener("click", function (event) {
      if (dragged) { event.preventDefault(); dragged = false; }
    }, true);
  }

  function drawRange() {
    if (!axis) return;
    var r = range(), steps = axis.steps;
    var a = r.from ? axis.x(r.from, false) : axis.x(steps[0], false);
    var b = r.to ? axis.x(r.to, true) : axis.x(steps[steps.length - 1], true);
    selection.setAttribute("x", Math.min(a, b)); selection.setAttribute("width", Math.max(0, Math.abs(b - a)));
    selection.style.display = r.from || r.to ? "" : "none";
    [[handles[0], a, r.from || steps[0], axis.stepOf(r.from, false)],
     [handles[1], b, r.to || steps[steps.length - 1], axis.stepOf(r.to, true)]]
      .forEach(function (h) {
        h[0].setAttribute("x", h[1] - 2);
        h[0].setAttribute("aria-valuenow", String(Math.max(0, h[3])));
        h[0].setAttribute("aria-valuetext", human(h[2]));
      });
  }

  // ------------------------------------------------------------ find boxes of long lists
  // A list of thousands of places, tags or sources shows its busiest on the page (pages/timeline.py);
  // its find box lists every value whose name holds what is typed, from timeline-index.json.
  var FIND_AT_MOST = 50;
  var NAMES = { tag: null, place: "places", publisher: "publishers" };
  var options = {};  // filter → [{ value, text, count }], busiest first, once the index is loaded
  function optionsOf(name) {
    if (!options[name]) {
      var counts = {};
      index.events.forEach(function (event) {
        value(event, FIELDS[name]).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      var names = NAMES[name] ? index[NAMES[name]] || {} : {};
      options[name] = Object.keys(counts).map(function (v) { return { value: v, text: names[v] || v, count: counts[v] }; })
        .sort(function (a, b) { return b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0); });
    }
    return options[name];
  }
  function boxOf(name, wanted) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (box) {
      return box.value === wanted;
    })[0];
  }
  function addBox(name, option) {  // the same label pages/timeline.py writes, marked as found
    var label = element("label", "tl-found"), box = element("input");
    box.type = "checkbox"; box.name = name; box.value = option.value;
    var text = element("span", "", option.text);
    text.setAttribute("dir", "auto");
    label.appendChild(box);
    label.appendChild(document.createTextNode(" "));
    label.appendChild(text);
    label.appendChild(document.createTextNode(" "));
    label.appendChild(element("span", "tl-count-n", option.count === null ? "" : "(" + option.count + ")"));
    form.querySelector('details[data-filter="' + name + '"] fieldset').appendChild(label);
    return box;
  }
  function find(input) {
    var name = input.getAttribute("data-for"), words = input.value.trim().toLowerCase();
    var fieldset = form.querySelector('details[data-filter="' + name + '"] fieldset');
    var status = form.querySelector('.tl-find-status[data-for="' + name + '"]');
    function matching(label) { return label.querySelector("span[dir]").textContent.toLowerCase().indexOf(words) !== -1; }
    Array.prototype.forEach.call(fieldset.querySelectorAll("label.tl-found"), function (label) {
      if (!label.querySelector("input").checked) fieldset.removeChild(label);
    });
    Array.prototype.forEach.call(fieldset.querySelectorAll("label"), function (label) {
      label.hidden = !!words && !matching(label) && !label.querySelector("input").checked;
    });
    status.textContent = "";
    if (!words) return;
    status.textContent = "Looking…";
    load().then(function () {
      if (input.value.trim().toLowerCase() !== words) return;  // a later keystroke has its own turn
      var found = optionsOf(name).filter(function (o) { return o.text.toLowerCase().indexOf(words) !== -1; });
      var added = 0;
      found.forEach(function (option) {
        if (boxOf(name, option.value) || added >= FIND_AT_MOST) return;
        addBox(name, option);
        added += 1;
      });
      var listed = Array.prototype.filter.call(fieldset.querySelectorAll("label"), matching).length;
      status.textContent = !found.length ? "None match." : found.length > listed
        ? "The " + listed + " with the most events of the " + found.length + " that match: type more to narrow."
        : found.length + (found.length === 1 ? " matches." : " match.");
    }).catch(function () {
      if (input.value.trim().toLowerCase() === words) status.textContent = "The full list could not be loaded.";
    });
  }
  // A value chosen in the URL but not on the page: its box is added, and named once the index is in.
  function restoreFound(name, wanted) {
    if (boxOf(name, wanted) || !form.querySelector('.tl-find[data-for="' + name + '"]')) return;
    addBox(name, { value: wanted, text: wanted, count: null }).checked = true;
    load().then(function () {
      var option = optionsOf(name).filter(function (o) { return o.value === wanted; })[0];
      var box = boxOf(name, wanted);
      if (!box) return;
      var label = box.parentNode;
      if (!option) {  // no event has it (a mistyped or crafted link): not a filter at all
        label.parentNode.removeChild(label);
        apply();
        return;
      }
      label.querySelector("span[dir]").textContent = option.text;
      label.querySelector(".tl-count-n").textContent = "(" + option.count + ")";
      drawChips(chosen());
    }).catch(function () { /* the chip keeps the value's id */ });
  }
  Array.prototype.forEach.call(form.querySelectorAll(".tl-find"), function (input) {
    input.addEventListener("input", function () { find(input); });
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
  });

  // Escape closes the innermost open list (or the panel) and gives the focus back to its button.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.activeElement && document.activeElement.closest("details[open]");
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
    event.preventDefault();
  });
  // Opening a long list scrolls its first ticked value into view.
  Array.prototype.forEach.call(form.querySelectorAll("details.tl-filter"), function (details) {
    details.addEventListener("toggle", function () {
      var ticked = details.querySelector("input:checked"), box = details.querySelector("fieldset");
      if (details.open && ticked && box) box.scrollTop = ticked.parentNode.offsetTop - box.offsetTop - 8;
    });
  });
  [fromBox, toBox].forEach(function (box) {
    if (!box) return;
    box.addEventListener("input", function () { if (!box.value.trim() || DATE.test(box.value.trim())) apply(); });
  });

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.querySelectorAll(".tl-find"), find);
      apply();
    }, 0);
  });
  form.hidden = false;
  setupOverview();
  restore();
  // A phone scrolls the overview: show its latest part, or the chosen range.
  var scroller = svg && svg.parentNode;
  if (scroller && scroller.scrollWidth > scroller.clientWidth) {
    var r0 = range(), scale = scroller.scrollWidth / svg.viewBox.baseVal.width;
    var at = r0.from && axis ? axis.x(r0.from, false) * scale - 16 : scroller.scrollWidth;
    scroller.scrollLeft = Math.max(0, at);
  }
  if (panel && window.matchMedia("(min-width: 60em)").matches && anyChosen(chosen())) panel.open = true;
  apply();
  window.addEventListener("popstate", function () { restore(); apply(); });
})();
