// One order: items, captures (centre lines, footprints, failed attempts and why),
// deliverables (footprints, preview on the map, downloads) and events arriving live (SSE).
import { get, post } from "../api.js";
import { fmtTime, h, problemBox, table, withProgress } from "../dom.js";
import { fitTo, mountMap, showGeometry, showImage, theMap } from "../map.js";

let stream;

export function stopStreams() {
  if (stream) stream.close();
  stream = undefined;
}

function reasonOf(entity) {
  const e = entity.latest_event;
  return e?.details?.reason || e?.details?.failure_reason || e?.message || "";
}

export async function orderPage(root, id) {
  const mapSlot = h("div", { class: "map-slot" });
  const head = h("div", { id: "order-head" });
  const items = h("div", { id: "order-items" });
  const captures = h("div", { id: "order-captures" });
  const deliverables = h("div", { id: "order-deliverables" });
  const events = h("ol", { id: "events", class: "events" });
  const live = h("span", { id: "live", class: "muted" }, "connecting…");
  root.replaceChildren(
    h(
      "section",
      { class: "side" },
      head,
      h("h3", {}, "Items"),
      items,
      h("h3", {}, "Captures"),
      captures,
      h("h3", {}, "Deliverables"),
      deliverables,
      h("h3", {}, "Events ", live),
      events,
    ),
    mapSlot,
  );
  mountMap(mapSlot);

  let fitted = 0;
  const previews = new Set(); // deliverables whose preview is on the map (kept across refreshes)
  let refreshing = false;
  let again = false;
  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      const [order, caps, dels] = await Promise.all([
        get(`/v1/orders/${id}`),
        get(`/v1/orders/${id}/captures?limit=100`),
        get(`/v1/orders/${id}/deliverables?limit=100`),
      ]);
      render(order, caps.results, dels.results);
    } catch (error) {
      head.replaceChildren(problemBox(error));
    } finally {
      refreshing = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  function render(order, caps, dels) {
    mountMap(mapSlot);
    const cancel = ["accepted", "pending", "processing", "draft"].includes(order.status)
      ? h("button", { id: "cancel-order", onclick: () => cancelOrder(order) }, "Cancel order")
      : "";
    head.replaceChildren(
      h("h2", {}, `Order ${order.order_number}: ${order.name}`),
      h("p", {}, "Status ", h("strong", { id: "order-status", class: `status ${order.status}` }, order.status),
        ` · payment ${order.payment_status} · ${order.total_amount} ${order.currency}`),
      order.checkout_url && order.payment_status !== "paid" ? h("p", {}, h("a", { href: order.checkout_url, class: "button" }, "Pay at the checkout")) : "",
      cancel,
    );
    items.replaceChildren(
      table(
        ["Item", "Product", "Status", "km²", "Price"],
        order.items.map((it, i) => {
          if (it.aoi) showGeometry(it.aoi, { color: "#d9480f", dashArray: "4 4", fillOpacity: 0.03 }, `item ${i + 1}`);
          return h("tr", {}, h("td", {}, it.name || String(i + 1)), h("td", {}, it.product), h("td", {}, h("span", { class: `status ${it.status}` }, it.status)),
            h("td", {}, it.area_km2?.toFixed?.(2) ?? ""), h("td", {}, it.price ? String(it.price.total) : ""));
        }),
      ),
    );
    captures.replaceChildren(
      caps.length
        ? table(
            ["Satellite", "When", "Status", "Cloud %", "Reason"],
            caps.map((c) => {
              const failed = c.status === "failed";
              if (c.footprint) showGeometry(c.footprint, { color: failed ? "#c92a2a" : "#2b8a3e" }, `${c.satellite} ${c.status}`);
              if (c.ground_track) showGeometry(c.ground_track, { color: "#862e9c", weight: 1.5, dashArray: "6 3" }, "imaged centre line");
              return h("tr", { class: `capture ${c.status}` }, h("td", {}, c.satellite), h("td", {}, fmtTime(c.start)),
                h("td", {}, h("span", { class: `status ${c.status}` }, c.status)), h("td", {}, c.cloud_cover ?? ""),
                h("td", { class: "reason" }, failed ? reasonOf(c) : ""));
            }),
          )
        : h("p", { class: "muted" }, "No capture (archive items are made from existing scenes)."),
    );
    deliverables.replaceChildren(
      dels.length
        ? h("div", {}, dels.map((d) => deliverableCard(d)))
        : h("p", { class: "muted" }, "No deliverable yet."),
    );
    const drawn = theMap().layers;
    const count = drawn.getLayers().length;
    if (count > fitted) {
      fitTo(drawn); // again only when something new is drawn (a capture, a deliverable)
      fitted = count;
    }
  }

  function deliverableCard(d) {
    if (d.footprint) showGeometry(d.footprint, { color: "#1971c2", fillOpacity: 0.05 }, `deliverable ${d.processing_level}`);
    const assets = Object.entries(d.assets || {});
    const preview = d.assets?.preview?.href;
    if (preview && previews.has(d.id)) showImage(preview, d.footprint);
    const show = preview
      ? h("button", { class: "show-preview", onclick: () => { previews.add(d.id); showImage(preview, d.footprint); fitTo(d.footprint); } }, "Preview on the map")
      : "";
    return h(
      "div",
      { class: `deliverable ${d.status}`, "data-id": d.id },
      h("p", {}, h("strong", {}, d.processing_level), " ", h("span", { class: `status ${d.status}` }, d.status),
        d.status === "failed" || d.status === "rejected" ? h("span", { class: "reason" }, ` ${reasonOf(d)}`) : ""),
      show,
      h("div", { class: "downloads" }, assets.map(([key, a]) =>
        h("a", { href: a.href, class: "button download", "data-asset": key, download: "" }, `${a.title || key}${a.size ? ` (${Math.round(a.size / 1024)} kB)` : ""}`))),
    );
  }

  async function cancelOrder(order) {
    const done = await withProgress(head, "Cancelling…", () => post(`/v1/orders/${order.id}/cancel`));
    if (done) refresh();
  }

  stopStreams();
  stream = new EventSource(`/v1/orders/${id}/events/stream`, { withCredentials: true });
  stream.addEventListener("open", () => (live.textContent = "live"));
  stream.addEventListener("error", () => (live.textContent = "reconnecting…"));
  stream.addEventListener("order-event", (message) => {
    const e = JSON.parse(message.data);
    events.append(h("li", { class: "event", "data-type": e.type }, h("time", {}, fmtTime(e.timestamp)), " ", h("strong", {}, e.type), " ", e.message));
    refresh();
  });
  await refresh();
}
