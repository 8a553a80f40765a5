#!/usr/bin/env bash
# Copy the front-end libraries the site ships from node_modules into timeline/assets/vendor/.
# They are committed, so building the site needs no npm; run this after changing package.json.
# tests/test_repo.py checks the copies match node_modules whenever node_modules is there.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --ignore-scripts
out=timeline/assets/vendor
rm -rf "$out" && mkdir -p "$out/leaflet/images"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$out/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$out/leaflet/images/"
cp node_modules/leaflet/LICENSE "$out/leaflet/LICENSE"
mkdir -p "$out/topojson-client" "$out/world-atlas"
cp node_modules/topojson-client/dist/topojson-client.min.js node_modules/topojson-client/LICENSE "$out/topojson-client/"
cp node_modules/world-atlas/countries-110m.json node_modules/world-atlas/LICENSE "$out/world-atlas/"
echo "vendored into $out:"; find "$out" -type f | sort
