// Quote and order: the price with its breakdown, licences to accept, placing the order.
import { get, post, session } from "./api.js";
import { h, problemBox, table, withProgress } from "./dom.js";

let productsCache;
export async function products() {
  productsCache ??= await get("/v1/products");
  return productsCache;
}

function breakdown(quote) {
  const rows = quote.items.map((item, i) =>
    h(
      "tr",
      {},
      h("td", {}, String(i + 1)),
      h("td", {}, item.sku ?? ""),
      h("td", {}, item.requested_km2?.toFixed(2)),
      h("td", {}, item.clipped_km2?.toFixed(2)),
      h("td", {}, item.billable_km2?.toFixed(2)),
      h("td", {}, item.unit_price),
      h("td", {}, String(item.base_amount)),
      h("td", {}, item.uplifts.map((u) => `${u.title} +${u.percentage}% = ${u.amount}`).join(", ") || "—"),
      h("td", {}, String(item.total) + (item.estimated ? " (estimate)" : "")),
    ),
  );
  return table(
    ["#", "Product", "Requested km²", "Clipped km²", "Billable km² (minimums applied)", "Unit price", "Base", "Uplifts", "Total"],
    rows,
    { id: "quote-breakdown" },
  );
}

/** Price `items`, show the breakdown and the licences, and place the order on request. */
export async function quoteAndOrder(where, items, name) {
  const quote = await withProgress(where, "Pricing…", () => post("/v1/quotes", { items }));
  if (!quote) return;
  const all = await products();
  const skus = new Set(quote.items.map((i) => i.sku));
  const licences = all.filter((p) => skus.has(p.sku)).flatMap((p) => p.licences ?? []);
  const unique = [...new Map(licences.map((l) => [`${l.name}@${l.version}`, l])).values()];
  const boxes = unique.map((l) =>
    h(
      "label",
      { class: "licence" },
      h("input", { type: "checkbox", class: "licence-accept", "data-name": l.name, "data-version": l.version }),
      ` I accept the licence ${l.name} ${l.version} `,
      l.link ? h("small", {}, `(${l.link})`) : "",
    ),
  );
  const result = h("div", { id: "order-result" });
  const nameInput = h("input", { id: "order-name", value: name, maxlength: 200 });
  const place = h("button", { id: "place-order", class: "primary" }, `Place order: ${quote.total} ${quote.currency}`);
  place.onclick = async () => {
    const accepted = boxes.map((b) => b.querySelector("input")).filter((i) => i.checked);
    const body = {
      name: nameInput.value || name,
      quote_id: quote.id,
      items: quote.request.items,
      licences: accepted.map((i) => ({ name: i.dataset.name, version: i.dataset.version })),
    };
    const order = await withProgress(result, "Placing the order…", () => post("/v1/orders", body));
    if (!order) return;
    const pay = order.checkout_url
      ? h("a", { href: order.checkout_url, class: "button", id: "checkout-link" }, "Pay at the checkout")
      : "";
    result.replaceChildren(
      h("p", { class: "ok", id: "order-placed" }, `Order ${order.order_number} placed: ${order.status}, payment ${order.payment_status}. `,
        h("a", { href: `#/orders/${order.id}`, id: "open-order" }, "Follow it"), " ", pay),
    );
  };
  where.replaceChildren(
    h("h3", {}, "Quote"),
    h("p", {}, `Total `, h("strong", { id: "quote-total" }, `${quote.total} ${quote.currency}`), `, valid until ${quote.expires_at}`),
    breakdown(quote),
    boxes.length ? h("div", { class: "licences" }, h("h4", {}, "Licences"), boxes) : "",
    h("label", {}, "Order name ", nameInput),
    session.role === "viewer" ? h("p", { class: "muted" }, "You are a viewer: the server will refuse to place orders.") : "",
    place,
    result,
  );
}

export { problemBox };
