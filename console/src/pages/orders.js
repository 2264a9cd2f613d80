// Orders: the list with the native filters.
import { get } from "../api.js";
import { fmtTime, h, table, withProgress } from "../dom.js";

const STATUSES = ["", "draft", "pending", "accepted", "processing", "partially_delivered", "delivered", "completed", "failed", "cancelled", "rejected"];

export async function ordersPage(root) {
  const status = h("select", { id: "filter-status" }, STATUSES.map((s) => h("option", { value: s }, s || "any status")));
  const kind = h("select", { id: "filter-kind" }, ["", "archive", "tasking", "mixed"].map((s) => h("option", { value: s }, s || "any kind")));
  const product = h("input", { id: "filter-product", placeholder: "product SKU" });
  const name = h("input", { id: "filter-name", placeholder: "name contains" });
  const since = h("input", { id: "filter-since", type: "date" });
  const until = h("input", { id: "filter-until", type: "date" });
  const updated = h("input", { id: "filter-updated", type: "date" });
  const creator = h("input", { id: "filter-created-by", placeholder: "created by (email or id)" });
  const project = h("input", { id: "filter-project", placeholder: "project id" });
  const bbox = h("input", { id: "filter-bbox", placeholder: "bbox: west,south,east,north" });
  const list = h("div", { id: "orders-list" });
  const apply = h("button", { id: "apply-filters", class: "primary" }, "Apply");
  root.replaceChildren(
    h(
      "section",
      { class: "wide" },
      h("h2", {}, "Orders"),
      h(
        "div",
        { class: "filters" },
        status,
        kind,
        product,
        name,
        creator,
        project,
        bbox,
        h("label", {}, "Created from ", since),
        h("label", {}, " to ", until),
        h("label", {}, "Updated since ", updated),
        apply,
      ),
      list,
    ),
  );
  const load = async (offset = 0) => {
    const q = new URLSearchParams({ limit: "25", offset: String(offset) });
    if (status.value) q.set("status", status.value);
    if (kind.value) q.set("kind", kind.value);
    if (product.value) q.set("product", product.value.trim());
    if (name.value) q.set("name__contains", name.value.trim());
    if (since.value) q.set("created_at__gte", `${since.value}T00:00:00Z`);
    if (until.value) q.set("created_at__lte", `${until.value}T23:59:59Z`);
    if (updated.value) q.set("updated_at__gte", `${updated.value}T00:00:00Z`);
    if (creator.value) q.set("created_by", creator.value.trim());
    if (project.value) q.set("project_id", project.value.trim());
    if (bbox.value) q.set("bbox", bbox.value.replace(/\s+/g, ""));
    const page = await withProgress(list, "Loading orders…", () => get(`/v1/orders?${q}`));
    if (!page) return;
    const rows = page.results.map((o) =>
      h(
        "tr",
        { class: "order-row", "data-id": o.id },
        h("td", {}, h("a", { href: `#/orders/${o.id}` }, o.order_number)),
        h("td", {}, o.name),
        h("td", {}, h("span", { class: `status ${o.status}` }, o.status)),
        h("td", {}, o.kind),
        h("td", {}, (o.products || []).join(", ")),
        h("td", {}, `${o.total_amount ?? ""} ${o.currency ?? ""}`),
        h("td", {}, fmtTime(o.created_at)),
      ),
    );
    const more = [];
    if (page.previous) more.push(h("button", { onclick: () => load(Math.max(0, offset - 25)) }, "Previous"));
    if (page.next) more.push(h("button", { onclick: () => load(offset + 25) }, "Next"));
    list.replaceChildren(
      h("p", {}, `${page.count} orders`),
      table(["Number", "Name", "Status", "Kind", "Products", "Total", "Created"], rows, { class: "orders" }),
      h("div", {}, more),
    );
  };
  apply.onclick = () => load(0);
  await load(0);
}
