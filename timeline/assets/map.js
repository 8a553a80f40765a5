/* Draws a Leaflet map for every .tl-map on the page. Places come from a JSON block beside the
 * map; tiles come from the site's settings and are optional: with none, the map shows the
 * country outlines bundled with the site, so the reader's browser contacts no other host. */
(function () {
  "use strict";
  if (!window.L) return;

  // The country outlines: fetched, or from disk (file://, where fetch is refused) the copy a site
  // built with --offline has as a script beside the JSON.
  function world(url) {
    if (location.protocol !== "file:") {
      return fetch(url).then(function (response) { return response.json(); });
    }
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url.replace(/\.json$/, ".js");
      tag.onload = function () { if (window.tlWorld) resolve(window.tlWorld); else reject(); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".tl-map"), function (element) {
    var places = JSON.parse(document.getElementById(element.getAttribute("data-places")).textContent);
    var map = L.map(element, { scrollWheelZoom: false, attributionControl: true });
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
    } else if (window.topojson) {
      world(element.getAttribute("data-world"))
        .then(function (world) {
          L.geoJSON(topojson.feature(world, world.objects.countries), {
            style: { color: "#8a8a8a", weight: 1, fillColor: "#e8e4da", fillOpacity: 1 },
            interactive: false
          }).addTo(map).bringToBack();
        })
        .catch(function () { /* no outlines: the markers and their labels still work */ });
    }
    var bounds = [];
    places.forEach(function (place) {
      var label = document.createElement("span");
      label.textContent = place.name + " (" + place.count + ")";
      var marker = L.circleMarker([place.lat, place.lon], {
        radius: 5 + 3 * Math.sqrt(place.count),
        className: "tl-marker",
        color: "#263238", weight: 1, fillColor: "#ff5722", fillOpacity: 0.85
      }).bindTooltip(label, { direction: "top" });
      marker.on("click", function () { window.location.href = place.url; });
      marker.addTo(map);
      bounds.push([place.lat, place.lon]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 8);
    else map.fitBounds(bounds, { padding: [30, 30], maxZoom: 9 });
  });
})();
