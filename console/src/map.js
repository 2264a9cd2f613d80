// The map: Leaflet over Natural Earth land and borders (world-atlas), bundled, no tiles.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature, mesh } from "topojson-client";
import land from "world-atlas/land-50m.json";
import countries from "world-atlas/countries-50m.json";
import { h } from "./dom.js";

let shared;

/** Break border lines where they jump across the antimeridian (else they cross the map). */
function splitAtAntimeridian(multiLine) {
  const lines = [];
  for (const line of multiLine.coordinates) {
    let current = [line[0]];
    for (let i = 1; i < line.length; i++) {
      if (Math.abs(line[i][0] - line[i - 1][0]) > 180) {
        lines.push(current);
        current = [];
      }
      current.push(line[i]);
    }
    lines.push(current);
  }
  return { type: "MultiLineString", coordinates: lines.filter((l) => l.length > 1) };
}

/** The one map of the console (moved between pages), with layers a page may clear. */
export function theMap() {
  if (shared) return shared;
  const element = document.createElement("div");
  element.id = "map";
  const map = L.map(element, { worldCopyJump: true, minZoom: 2, maxZoom: 14, zoomSnap: 0.5, zoomAnimation: false, fadeAnimation: false });
  // The basemap has a pane (and renderer) of its own, under images and footprints.
  map.createPane("basemap").style.zIndex = 150;
  const renderer = L.svg({ pane: "basemap" });
  L.geoJSON(feature(land, land.objects.land), {
    style: { color: "#9aa57a", weight: 0.5, fillColor: "#e8e4cf", fillOpacity: 1 },
    interactive: false,
    pane: "basemap",
    renderer,
  }).addTo(map);
  L.geoJSON(splitAtAntimeridian(mesh(countries, countries.objects.countries, (a, b) => a !== b)), {
    style: { color: "#a89f86", weight: 0.6, fill: false },
    interactive: false,
    pane: "basemap",
    renderer,
  }).addTo(map);
  map.setView([30, 5], 2);
  map.attributionControl.addAttribution("Natural Earth (world-atlas)");
  const layers = L.featureGroup().addTo(map);
  shared = { element, map, layers, aoi: null, aoiLayer: null, listeners: new Set() };
  return shared;
}

/** Put the map into `host` (a page's map slot) and clear what the previous page drew. */
export function mountMap(host) {
  const m = theMap();
  host.replaceChildren(m.element);
  m.layers.clearLayers();
  setTimeout(() => m.map.invalidateSize(), 0);
  return m;
}

/** Points as circles (Leaflet's default marker needs image files the bundle does not ship). */
const dot = (_, latlng) => L.circleMarker(latlng, { radius: 7 });

export function showGeometry(geometry, style = {}, popup) {
  const m = theMap();
  const layer = L.geoJSON(geometry, { style: { weight: 2, fillOpacity: 0.1, ...style }, pointToLayer: dot });
  if (popup) layer.bindPopup(popup);
  layer.addTo(m.layers);
  return layer;
}

export function showImage(url, geometry) {
  const m = theMap();
  const bounds = L.geoJSON(geometry).getBounds();
  const overlay = L.imageOverlay(url, bounds, { opacity: 0.9, className: "preview-overlay" });
  overlay.addTo(m.layers);
  return overlay;
}

export function fitTo(layerOrGeometry) {
  const m = theMap();
  const layer = layerOrGeometry.getBounds ? layerOrGeometry : L.geoJSON(layerOrGeometry);
  const bounds = layer.getBounds();
  if (bounds.isValid()) m.map.fitBounds(bounds, { maxZoom: 12, padding: [30, 30] });
}

function setAoi(geometry) {
  const m = theMap();
  if (m.aoiLayer) m.aoiLayer.remove();
  m.aoi = geometry;
  m.aoiLayer = geometry
    ? L.geoJSON(geometry, { style: { color: "#d9480f", weight: 2, dashArray: "4 4", fillOpacity: 0.05 }, pointToLayer: dot }).addTo(m.map)
    : null;
  for (const listener of [...m.listeners]) listener(geometry);
}

/** Call `listener(aoi)` on every AOI change while `element` is on the page. */
export function onAoiChange(element, listener) {
  const m = theMap();
  const wrapped = (geometry) => (element.isConnected ? listener(geometry) : m.listeners.delete(wrapped));
  m.listeners.add(wrapped);
}

export const currentAoi = () => theMap().aoi;
export const clearAoi = () => setAoi(null);

/** Let the user drag a rectangle on the map; it becomes the AOI (a GeoJSON Polygon). */
export function drawRectangle() {
  const m = theMap();
  const map = m.map;
  if (polygonDrawing) polygonDrawing.cancel();
  map.dragging.disable();
  map.getContainer().classList.add("drawing");
  let start = null;
  let box = null;
  const down = (e) => {
    start = e.latlng;
    box = L.rectangle([start, start], { color: "#d9480f", weight: 2 }).addTo(map);
  };
  const move = (e) => {
    if (start && box) box.setBounds([start, e.latlng]);
  };
  const up = (e) => {
    if (!start) return;
    const b = L.latLngBounds(start, e.latlng);
    box.remove();
    finish();
    if (b.getNorth() - b.getSouth() < 1e-6 || b.getEast() - b.getWest() < 1e-6) return;
    const [w, s, e2, n] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => +v.toFixed(5));
    setAoi({ type: "Polygon", coordinates: [[[w, s], [e2, s], [e2, n], [w, n], [w, s]]] });
  };
  const finish = () => {
    map.off("mousedown", down).off("mousemove", move).off("mouseup", up);
    map.dragging.enable();
    map.getContainer().classList.remove("drawing");
    start = null;
  };
  map.on("mousedown", down).on("mousemove", move).on("mouseup", up);
}

let polygonDrawing = null;

/**
 * Let the user click the polygon's corners on the map; a double-click, the returned
 * `finish()` or a click on the first corner closes it into the AOI; Escape cancels.
 * `onChange(corners)` hears the count of corners so far (null once done).
 */
export function drawPolygon(onChange = () => {}) {
  const m = theMap();
  const map = m.map;
  if (polygonDrawing) polygonDrawing.cancel();
  map.doubleClickZoom.disable();
  map.getContainer().classList.add("drawing");
  const corners = [];
  const style = { color: "#d9480f", weight: 2, dashArray: "4 4" };
  const outline = L.polyline([], style).addTo(map);
  const band = L.polyline([], { ...style, opacity: 0.5 }).addTo(map);
  const near = (a, b) => map.latLngToContainerPoint(a).distanceTo(map.latLngToContainerPoint(b)) < 6;
  const click = (e) => {
    if (corners.length >= 3 && near(e.latlng, corners[0])) return finish();
    if (corners.length && near(e.latlng, corners[corners.length - 1])) return; // a double-click's clicks
    corners.push(e.latlng);
    outline.setLatLngs(corners);
    onChange(corners.length);
  };
  const move = (e) => {
    if (corners.length) band.setLatLngs([corners[corners.length - 1], e.latlng, corners[0]]);
  };
  const key = (e) => {
    if (e.originalEvent.key === "Escape") cancel();
  };
  const stop = () => {
    map.off("click", click).off("mousemove", move).off("dblclick", finish).off("keydown", key);
    outline.remove();
    band.remove();
    map.getContainer().classList.remove("drawing");
    setTimeout(() => map.doubleClickZoom.enable(), 0);
    polygonDrawing = null;
    onChange(null);
  };
  const cancel = () => stop();
  function finish() {
    if (corners.length < 3) return false;
    // On a copy of the world, move every corner by the same 360° (the shape stays whole).
    const shift = L.Util.wrapNum(corners[0].lng, [-180, 180], true) - corners[0].lng;
    const ring = corners.map((c) => [+(c.lng + shift).toFixed(5), +c.lat.toFixed(5)]);
    stop();
    setAoi({ type: "Polygon", coordinates: [[...ring, ring[0]]] });
    return true;
  }
  map.on("click", click).on("mousemove", move).on("dblclick", finish).on("keydown", key);
  polygonDrawing = { finish, cancel };
  onChange(0);
  return polygonDrawing;
}

/** Read a GeoJSON file (a geometry, a Feature or a FeatureCollection's first feature). */
export async function uploadAoi(file) {
  const data = JSON.parse(await file.text());
  const geometry = data.type === "FeatureCollection" ? data.features?.[0]?.geometry : data.type === "Feature" ? data.geometry : data;
  if (!geometry || !["Polygon", "MultiPolygon", "Point"].includes(geometry.type)) {
    throw new Error("the file must hold a GeoJSON Polygon, MultiPolygon or Point");
  }
  setAoi(geometry);
  fitTo(geometry);
}

export function bboxOf(geometry) {
  const b = L.geoJSON(geometry).getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
}

/** Buttons to draw, upload or clear the AOI, and a line saying what it is. */
export function aoiControls() {
  const status = document.createElement("span");
  status.className = "muted";
  status.id = "aoi-status";
  const m = theMap();
  const describe = (g) => {
    if (!g) return "no AOI: draw one on the map or upload GeoJSON";
    const [w, s, e, n] = bboxOf(g);
    return `AOI ${w.toFixed(3)}, ${s.toFixed(3)} → ${e.toFixed(3)}, ${n.toFixed(3)}`;
  };
  onAoiChange(status, (g) => (status.textContent = describe(g)));
  status.textContent = describe(m.aoi);
  const draw = h("button", { type: "button", id: "draw-aoi" }, "Draw rectangle");
  draw.onclick = () => {
    status.textContent = "drag a rectangle on the map";
    drawRectangle();
  };
  const finish = h("button", { type: "button", id: "finish-polygon", hidden: true }, "Finish polygon");
  const polygon = h("button", { type: "button", id: "draw-polygon" }, "Draw polygon");
  polygon.onclick = () => {
    status.textContent = "click the corners on the map; double-click or Finish to close, Escape to cancel";
    const drawing = drawPolygon((count) => {
      finish.hidden = count === null;
      finish.disabled = count !== null && count < 3;
      if (count !== null) status.textContent = `${count} corner${count === 1 ? "" : "s"}: double-click or Finish to close`;
      else status.textContent = describe(m.aoi);
    });
    finish.onclick = () => drawing.finish();
  };
  const upload = document.createElement("input");
  upload.type = "file";
  upload.accept = ".json,.geojson,application/geo+json,application/json";
  upload.id = "upload-aoi";
  upload.onchange = async () => {
    try {
      if (upload.files[0]) await uploadAoi(upload.files[0]);
    } catch (error) {
      status.textContent = `not an AOI: ${error.message}`;
    }
  };
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Clear";
  clear.onclick = () => clearAoi();
  const label = document.createElement("label");
  label.className = "upload";
  label.append("Upload GeoJSON ", upload);
  const box = document.createElement("div");
  box.className = "aoi-controls";
  box.append(draw, polygon, finish, label, clear, status);
  return box;
}
