/* Draws a Leaflet map for every .tl-map on the page. Places come from a JSON block beside the
 * map; tiles come from the site's settings and are optional: with none, the map shows the
 * country outlines bundled with the site, so the reader's browser contacts no other host.
 *
 * The first view fits the busiest places ("core" in the data: pages/places.py); a "Show all
 * places" button reaches the far ones. Markers are named links a keyboard can reach (Tab, then
 * Enter opens the place); the busiest are labelled. On the timeline page the map follows the
 * filters and the date range: timeline.js sends "tl:shown" with the count of shown events per place.
 * On a touch screen one finger scrolls the page, two zoom the map. */
(function () {
  "use strict";
  if (!window.L) return;
  var LABELLED = 10;  // the busiest places get a label that is always shown

  // A JSON file (the country outlines, the places): fetched, or from disk (file://, where fetch is
  // refused) the copy a site built with --offline has as a script beside it, setting window[name].
  function data(url, name) {
    if (location.protocol !== "file:") {
      return fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
    }
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url.replace(/\.json$/, ".js");
      tag.onload = function () { if (window[name]) resolve(window[name]); else reject(); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  // The places: a JSON block beside the map, or for a map of very many places map-places.json,
  // whose links are relative to the file.
  function placesOf(element) {
    var src = element.getAttribute("data-src");
    if (!src) return Promise.resolve(JSON.parse(document.getElementById(element.getAttribute("data-places")).textContent));
    var base = new URL(src, window.location.href);
    return data(src, "tlMapPlaces").then(function (file) {
      return file.places.map(function (place) { place.url = new URL(place.url, base).href; return place; });
    });
  }

  function plural(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }

  // At least 24 px: a touch target (WCAG 2.5.8). pages/places.py draws the key with the same sizes.
  function diameter(count) { return Math.round(19 + 5 * Math.sqrt(Math.max(count, 1))); }

  function draw(element, places) {
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false,
                               attributionControl: true });
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
    } else if (window.topojson) {
      data(element.getAttribute("data-world"), "tlWorld")
        .then(function (world) {
          L.geoJSON(topojson.feature(world, world.objects.countries), {
            style: { className: "tl-country", weight: 1, fillOpacity: 1 },
            interactive: false
          }).addTo(map).bringToBack();
        })
        .catch(function () { /* no outlines: the markers and their labels still work */ });
    }
    var focus = places.filter(function (p) { return p.here; })[0];
    var ranked = places.slice().sort(function (a, b) { return b.count - a.count || (a.name < b.name ? -1 : 1); });
    var labelled = {};
    ranked.slice(0, LABELLED).forEach(function (p) { if (p.count) labelled[p.id] = true; });
    if (focus) labelled = {}, labelled[focus.id] = true;
    var markers = {};

    function icon(place, count) {
      var d = place.here ? 30 : (focus ? 24 : diameter(count));
      return L.divIcon({ className: "tl-marker" + (place.here ? " tl-marker-here" : "") + (focus && !place.here ? " tl-marker-other" : ""),
                         iconSize: [d, d], html: "" });
    }

    function name(place, count) {
      return place.name + ", " + plural(count, "event") + (place.here ? " (this place)" : "");
    }

    function show(place, count) {
      var marker = markers[place.id];
      if (!count && !place.here) {
        if (marker) { map.removeLayer(marker); delete markers[place.id]; }
        return;
      }
      if (!marker) {
        marker = L.marker([place.lat, place.lon], { icon: icon(place, count), keyboard: true, riseOnHover: true });
        marker.on("click", function () { window.location.href = place.url; });
        marker.addTo(map);
        markers[place.id] = marker;
        var el = marker.getElement();
        el.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); window.location.href = place.url; }
        });
      } else {
        marker.setIcon(icon(place, count));
      }
      var element = marker.getElement();
      element.setAttribute("role", "link");
      element.setAttribute("aria-label", name(place, count));
      element.removeAttribute("title");
      marker.unbindTooltip();
      // An element, never a string: Leaflet writes a string tooltip as HTML, and a name is an editor's text.
      var label = document.createElement("span");
      label.textContent = labelled[place.id] ? place.name : name(place, count);
      label.setAttribute("dir", "auto");
      marker.bindTooltip(label, {
        permanent: !!labelled[place.id], direction: "right", className: labelled[place.id] ? "tl-map-label" : "",
        offset: [icon(place, count).options.iconSize[0] / 2, 0]
      });
    }

    function fit(all) {
      var chosen = places.filter(function (p) { return all || p.core; });
      if (!chosen.length) chosen = places;
      if (focus && !all) { map.setView([focus.lat, focus.lon], 9); return; }
      if (chosen.length === 1) map.setView([chosen[0].lat, chosen[0].lon], 8);
      else map.fitBounds(chosen.map(function (p) { return [p.lat, p.lon]; }), { padding: [50, 50], maxZoom: 9 });
    }
    fit(false);

    // Markers that would overlap at this zoom are moved apart on screen (never in the data) so each
    // can be seen, pointed at and touched; zooming in brings them back to their places.
    function dodge() {
      var ids = Object.keys(markers), points = {};
      if (ids.length > 80) return;  // a crowd is not made readable by spreading it; zooming in does that
      ids.forEach(function (id) {
        var place = places.filter(function (p) { return p.id === id; })[0];
        points[id] = { place: place, at: map.latLngToContainerPoint([place.lat, place.lon]),
                       r: markers[id].options.icon.options.iconSize[0] / 2 };
      });
      for (var pass = 0; pass < 30; pass++) {
        var moved = false;
        for (var i = 0; i < ids.length; i++) {
          for (var k = i + 1; k < ids.length; k++) {
            var a = points[ids[i]], b = points[ids[k]];
            // Markers are square boxes to the browser (and to a finger): keep the boxes apart.
            var dx = b.at.x - a.at.x, dy = b.at.y - a.at.y, need = a.r + b.r + 2;
            if (Math.abs(dx) >= need || Math.abs(dy) >= need) continue;
            var alongX = Math.abs(dx) >= Math.abs(dy), gap = alongX ? dx : dy;
            var push = (need - Math.abs(gap)) / 2 * (gap < 0 ? -1 : 1);
            a.at = L.point(a.at.x - (alongX ? push : 0), a.at.y - (alongX ? 0 : push));
            b.at = L.point(b.at.x + (alongX ? push : 0), b.at.y + (alongX ? 0 : push));
            moved = true;
          }
        }
        if (!moved) break;
      }
      ids.forEach(function (id) { markers[id].setLatLng(map.containerPointToLatLng(points[id].at)); });
    }
    map.on("zoomend", dodge);

    // Markers in name order: the order Tab visits them in.
    var byName = places.slice().sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    byName.forEach(function (place) { show(place, place.count); });
    dodge();


    if (places.some(function (p) { return !p.core; })) {
      var all = false;
      var Toggle = L.Control.extend({
        options: { position: "bottomleft" },
        onAdd: function () {
          var button = L.DomUtil.create("button", "tl-map-all");
          button.type = "button";
          button.textContent = "Show all places";
          L.DomEvent.disableClickPropagation(button);
          L.DomEvent.on(button, "click", function () {
            all = !all;
            button.textContent = all ? (focus ? "Back to " + focus.name : "Zoom to the busiest places") : "Show all places";
            fit(all);
          });
          return button;
        }
      });
      map.addControl(new Toggle());
    }

    // The timeline's filters: counts of the shown events per place (null: every event is shown).
    // A map whose places came from a file may start after the filters first spoke: it reads their
    // last word from document.tlShown.
    function follow(detail) {
      var counts = detail && detail.places;
      byName.forEach(function (place) { show(place, counts ? counts[place.id] || 0 : place.count); });
      dodge();
    }
    document.addEventListener("tl:shown", function (event) { follow(event.detail); });
    if (document.tlShown) follow(document.tlShown);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".tl-map"), function (element) {
    placesOf(element).then(function (places) { draw(element, places); })
      .catch(function () { /* no map: the places page and the lists still carry every place */ });
  });
})();
