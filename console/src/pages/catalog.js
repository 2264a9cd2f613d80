// Catalog: search the archive by AOI, date, cloud cover and collection; footprints and
// thumbnails on the map; a scene's details; quote and order it.
import { get, post } from "../api.js";
import { fmtTime, h, table, withProgress } from "../dom.js";
import { aoiControls, currentAoi, fitTo, mountMap, onAoiChange, showGeometry, showImage } from "../map.js";
import { products, quoteAndOrder } from "../quote.js";

export async function catalogPage(root) {
  const mapSlot = h("div", { class: "map-slot" });
  const results = h("div", { id: "results" });
  const details = h("div", { id: "scene-details" });
  const collection = h("select", { id: "collection" }, h("option", { value: "" }, "every collection"));
  const from = h("input", { type: "date", id: "date-from" });
  const to = h("input", { type: "date", id: "date-to" });
  const cloud = h("input", { type: "number", id: "max-cloud", min: 0, max: 100, value: 100 });
  const search = h("button", { id: "search", class: "primary" }, "Search");
  const form = h(
    "div",
    { class: "filters" },
    h("label", {}, "Collection ", collection),
    h("label", {}, "From ", from),
    h("label", {}, "To ", to),
    h("label", {}, "Max cloud % ", cloud),
    search,
  );
  root.replaceChildren(
    h("section", { class: "side" }, h("h2", {}, "Catalog"), aoiControls(), form, results, details),
    mapSlot,
  );
  mountMap(mapSlot);
  get("/stac/collections")
    .then((c) => c.collections.forEach((x) => collection.append(h("option", { value: x.id }, x.title || x.id))))
    .catch(() => {});

  search.onclick = async () => {
    const body = { limit: 50 };
    const aoi = currentAoi();
    if (aoi) body.intersects = aoi;
    if (collection.value) body.collections = [collection.value];
    if (from.value || to.value) {
      body.datetime = `${from.value ? `${from.value}T00:00:00Z` : ".."}/${to.value ? `${to.value}T23:59:59Z` : ".."}`;
    }
    if (cloud.value !== "" && Number(cloud.value) < 100) {
      body["filter-lang"] = "cql2-json";
      body.filter = { op: "<=", args: [{ property: "eo:cloud_cover" }, Number(cloud.value)] };
    }
    details.replaceChildren();
    const found = await withProgress(results, "Searching the archive…", () => post("/stac/search", body));
    if (!found) return;
    showResults(found.features);
  };

  function showResults(features) {
    const map = mountMap(mapSlot);
    if (!features.length) {
      results.replaceChildren(h("p", { class: "muted" }, "No scene matches."));
      return;
    }
    const rows = features.map((f) => {
      const layer = showGeometry(f.geometry, { color: "#1c7ed6" }, f.id);
      const thumb = f.assets?.thumbnail?.href;
      const row = h(
        "tr",
        { class: "scene", "data-id": f.id, onclick: () => showScene(f) },
        h("td", {}, thumb ? h("img", { src: thumb, class: "thumb", alt: "", loading: "lazy" }) : ""),
        h("td", {}, h("div", { class: "scene-id" }, f.id), h("small", {}, f.collection)),
        h("td", {}, fmtTime(f.properties.datetime)),
        h("td", {}, f.properties["eo:cloud_cover"] ?? "—"),
      );
      layer.on("click", () => showScene(f));
      return row;
    });
    results.replaceChildren(h("p", {}, `${features.length} scenes`), table(["", "Scene", "Acquired", "Cloud %"], rows, { class: "scenes" }));
    fitTo(map.layers);
  }

  async function showScene(f) {
    mountMap(mapSlot);
    showGeometry(f.geometry, { color: "#1c7ed6" });
    const thumb = f.assets?.thumbnail?.href;
    if (thumb) showImage(thumb, f.geometry);
    const aoi = currentAoi();
    fitTo(f.geometry);
    const all = await products();
    const product = all.find((p) => p.collection === f.collection && p.kind === "archive");
    const levels = f.properties["skyorder:processing_levels"] ?? product?.processing_levels ?? [];
    const level = h("select", { id: "processing-level" }, levels.map((l) => h("option", { value: l }, l)));
    const quoteBox = h("div", { id: "quote" });
    const label = (g) => (g ? "Quote the AOI in this scene" : "Quote the whole scene");
    const quoteButton = h("button", { id: "quote-scene", class: "primary" }, label(aoi));
    onAoiChange(quoteButton, (g) => (quoteButton.textContent = label(g)));
    quoteButton.onclick = () => {
      const item = { kind: "archive", collection: f.collection, item_id: f.id, processing_level: level.value };
      if (currentAoi()) item.aoi = currentAoi();
      quoteAndOrder(quoteBox, [item], `${f.id} (${level.value})`);
    };
    const props = Object.entries(f.properties).map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, typeof v === "object" ? JSON.stringify(v) : String(v))));
    details.replaceChildren(
      h("h3", { id: "scene-title" }, f.id),
      thumb ? h("img", { src: thumb, class: "thumb-large", alt: "thumbnail" }) : "",
      h("table", { class: "props" }, props),
      h("label", {}, "Processing level ", level),
      quoteButton,
      quoteBox,
    );
    details.scrollIntoView({ block: "start" });
  }
}
