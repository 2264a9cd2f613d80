// Tasking: an AOI and a window (with a priority, and repeated if wanted); access
// opportunities on a timeline with their footprints; feasibility with its reasons; quote and order.
import { get, post } from "../api.js";
import { fmtTime, h, withProgress } from "../dom.js";
import { aoiControls, currentAoi, fitTo, mountMap, showGeometry, theMap } from "../map.js";
import { products, quoteAndOrder } from "../quote.js";

const day = 86_400_000;
const iso = (d) => d.toISOString().slice(0, 16);

export async function taskingPage(root) {
  const clock = await get("/v1/sandbox/clock").catch(() => ({ now: new Date().toISOString() }));
  const start0 = new Date(Date.parse(clock.now) + day);
  const mapSlot = h("div", { class: "map-slot" });
  const product = h("select", { id: "tasking-product" });
  const start = h("input", { id: "window-start", type: "datetime-local", value: iso(start0) });
  const end = h("input", { id: "window-end", type: "datetime-local", value: iso(new Date(start0.getTime() + 14 * day)) });
  const offNadir = h("input", { id: "max-off-nadir", type: "number", value: 30, min: 1, max: 60 });
  const cloud = h("input", { id: "tasking-cloud", type: "number", value: 30, min: 0, max: 100 });
  const priority = h("select", { id: "tasking-priority" }, h("option", { value: "standard" }, "standard"), h("option", { value: "rush" }, "rush"));
  const recurrence = h("select", { id: "recurrence" }, h("option", { value: "" }, "does not repeat"),
    ["WEEKLY", "BIWEEKLY", "MONTHLY", "BIMONTHLY", "QUARTERLY"].map((k) => h("option", { value: k }, k.toLowerCase())));
  const occurrences = h("input", { id: "occurrences", type: "number", value: 4, min: 1, max: 100, disabled: true });
  recurrence.onchange = () => (occurrences.disabled = !recurrence.value);
  const out = h("div", { id: "opportunities" });
  const feas = h("div", { id: "feasibility" });
  const quoteBox = h("div", { id: "quote" });
  root.replaceChildren(
    h(
      "section",
      { class: "side" },
      h("h2", {}, "Tasking"),
      aoiControls(),
      h("div", { class: "filters" }, h("label", {}, "Product ", product), h("label", {}, "From ", start), h("label", {}, "To ", end),
        h("label", {}, "Max off-nadir° ", offNadir), h("label", {}, "Max cloud % ", cloud),
        h("label", {}, "Priority ", priority), h("label", {}, "Repeat ", recurrence), h("label", {}, "Occurrences ", occurrences)),
      h("button", { id: "find-opportunities", class: "primary", onclick: find }, "Find opportunities"),
      " ",
      h("button", { id: "check-feasibility", onclick: feasibility }, "Check feasibility"),
      " ",
      h("button", { id: "quote-tasking", onclick: quote }, "Quote"),
      out,
      feas,
      quoteBox,
    ),
    mapSlot,
  );
  mountMap(mapSlot);
  (await products()).filter((p) => p.kind === "tasking").forEach((p) => product.append(h("option", { value: p.sku }, `${p.name} (${p.sku})`)));
  const window_ = () => ({ start: new Date(start.value + "Z").toISOString(), end: new Date(end.value + "Z").toISOString() });
  const item = () => ({
    kind: "tasking",
    product: product.value,
    aoi: currentAoi(),
    window: window_(),
    max_off_nadir: Number(offNadir.value),
    max_cloud_cover: Number(cloud.value),
    priority: priority.value,
    ...(recurrence.value ? { recurrence: { kind: recurrence.value, occurrences: Number(occurrences.value) } } : {}),
  });
  const needAoi = (where) => {
    if (currentAoi()) return true;
    where.replaceChildren(h("p", { class: "problem" }, "Draw or upload an AOI first."));
    return false;
  };

  async function find() {
    if (!needAoi(out)) return;
    const w = window_();
    const body = { aoi: currentAoi(), start: w.start, end: w.end, max_off_nadir: Number(offNadir.value), product: product.value };
    const found = await withProgress(out, "Computing access windows…", () => post("/v1/opportunities", body));
    if (!found) return;
    mountMap(mapSlot);
    const t0 = Date.parse(w.start);
    const span = Date.parse(w.end) - t0;
    const bars = found.results.map((o, i) => {
      const x = ((Date.parse(o.start) - t0) / span) * 100;
      const layer = o.footprint ? showGeometry(o.footprint, { color: "#5f3dc4", weight: 1, fillOpacity: 0.02 }, `${o.satellite} ${o.start}`) : null;
      if (o.ground_track) showGeometry(o.ground_track, { color: "#5f3dc4", weight: 1, dashArray: "4 3" });
      const bar = h("div", { class: "opportunity", style: `left:${x.toFixed(2)}%`, title: `${o.satellite} ${fmtTime(o.start)} off-nadir ${o.off_nadir_min?.toFixed?.(1)}–${o.off_nadir_max?.toFixed?.(1)}°, cloud ${o.expected_cloud_cover ?? "?"}%` });
      bar.onclick = () => layer && fitTo(layer);
      return bar;
    });
    out.replaceChildren(
      h("p", {}, `${found.count} opportunities`),
      h("div", { class: "timeline", id: "timeline" }, bars, h("span", { class: "from" }, fmtTime(w.start)), h("span", { class: "to" }, fmtTime(w.end))),
    );
    fitTo(theMap().layers);
  }

  async function feasibility() {
    if (!needAoi(feas)) return;
    const f = await withProgress(feas, "Judging feasibility…", () => post("/v1/feasibility", item()));
    if (!f) return;
    feas.replaceChildren(
      h("p", {}, "Feasibility ", h("strong", { id: "feasibility-status" }, f.feasibility_status), f.chance != null ? ` · chance ${Math.round(f.chance * 100)}%` : ""),
      h("p", { id: "feasibility-reason" }, f.reason || ""),
      f.considered ? h("p", { class: "muted" }, `searched ${fmtTime(f.considered.start)} to ${fmtTime(f.considered.end)}; ${(f.windows || []).length} passes considered`) : "",
    );
  }

  function quote() {
    if (!needAoi(quoteBox)) return;
    quoteAndOrder(quoteBox, [item()], `Tasking ${product.value}`);
  }
}
