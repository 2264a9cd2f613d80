// Account: balances, the ledger, the usage report (charts per month and per product, CSV)
// and webhooks with their delivery log.
import { api, get, post } from "../api.js";
import { fmtTime, h, problemBox, table, withProgress } from "../dom.js";

function parseCsv(text) {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const names = head.split(",");
  return lines.filter(Boolean).map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i], v])));
}

/** A horizontal bar chart (SVG) of `value` per `label`. */
function barChart(rows, label, value, id) {
  const max = Math.max(1, ...rows.map((r) => Number(r[value]) || 0));
  const height = 22 * rows.length + 10;
  const bars = rows.map((r, i) => {
    const w = ((Number(r[value]) || 0) / max) * 260;
    return `<text x="0" y="${i * 22 + 16}" font-size="12">${escapeXml(r[label])}</text>` +
      `<rect x="140" y="${i * 22 + 4}" width="${w.toFixed(1)}" height="16" fill="#1c7ed6"></rect>` +
      `<text x="${145 + w}" y="${i * 22 + 16}" font-size="12">${escapeXml(r[value])} ${escapeXml(r.currency || "")}</text>`;
  });
  return h("div", { class: "chart", id, html: `<svg width="520" height="${height}" role="img">${bars.join("")}</svg>` });
}

const escapeXml = (s) => String(s ?? "").replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]);

async function usage(where, groupBy, id) {
  const response = await api("GET", `/v1/reports/usage?group_by=${groupBy}`, undefined, { raw: true });
  const rows = parseCsv(await response.text());
  where.append(h("h4", {}, `Charged per ${groupBy}`), rows.length ? barChart(rows, groupBy, "amount_charged", id) : h("p", { class: "muted" }, "Nothing delivered yet."));
}

function webhookForm(reload) {
  const url = h("input", { id: "webhook-url", type: "url", placeholder: "https://example.com/hooks", size: 40 });
  const types = h("input", { id: "webhook-types", placeholder: "event types, comma-separated (empty: every event)", size: 40 });
  const out = h("div", { id: "webhook-result" });
  const add = h("button", { id: "add-webhook", class: "primary" }, "Add webhook");
  add.onclick = async () => {
    const event_types = types.value.split(",").map((t) => t.trim()).filter(Boolean);
    const made = await withProgress(out, "Adding the webhook…", () => post("/v1/webhooks", { url: url.value, event_types: event_types.length ? event_types : null }));
    if (made) {
      out.replaceChildren(h("div", { class: "once" }, h("strong", {}, "Signing secret (shown only now): "), h("pre", {}, made.secret)));
      reload();
    }
  };
  return h("div", {}, h("div", { class: "filters" }, url, types, add), out);
}

export async function accountPage(root) {
  const balances = h("div", { id: "balances" });
  const ledger = h("div", { id: "ledger" });
  const report = h("div", { id: "usage" });
  const hooks = h("div", { id: "webhooks" });
  root.replaceChildren(
    h("section", { class: "wide" },
      h("h2", {}, "Account"), balances,
      h("h3", {}, "Ledger"), ledger,
      h("h3", {}, "Usage report ", h("a", { href: "/v1/reports/usage?format=csv", download: "usage.csv", class: "button", id: "usage-csv" }, "Download CSV")), report,
      h("h3", {}, "Webhooks"), webhookForm(() => loadHooks()), hooks),
  );
  const contracts = await withProgress(balances, "Loading contracts…", () => get("/v1/contracts"));
  if (contracts) {
    const rows = await Promise.all(contracts.map(async (c) => {
      const b = await get(`/v1/contracts/${c.id}/balance`).catch((e) => ({ error: e }));
      return h("tr", {}, h("td", {}, c.name), h("td", {}, c.payment_mode ?? ""),
        b.error ? h("td", { colspan: 3 }, problemBox(b.error)) : [h("td", { class: "available" }, `${b.available} ${b.currency}`), h("td", {}, String(b.held)), h("td", {}, String(b.spent))]);
    }));
    balances.replaceChildren(table(["Contract", "Payment", "Available", "Held", "Spent"], rows));
    if (contracts[0]) {
      const page = await withProgress(ledger, "Loading the ledger…", () => get(`/v1/contracts/${contracts[0].id}/ledger?limit=50`));
      if (page) ledger.replaceChildren(table(["When", "Kind", "Account", "Amount", "Memo"], page.results.map((e) =>
        h("tr", {}, h("td", {}, fmtTime(e.created_at)), h("td", {}, e.kind), h("td", {}, e.account), h("td", {}, String(e.amount)), h("td", {}, e.memo ?? "")))));
    }
  }
  await usage(report, "month", "chart-month").catch((e) => report.append(problemBox(e)));
  await usage(report, "product", "chart-product").catch((e) => report.append(problemBox(e)));
  async function loadHooks() {
  const list = await withProgress(hooks, "Loading webhooks…", () => get("/v1/webhooks"));
  if (list) {
    if (!list.results.length) hooks.replaceChildren(h("p", { class: "muted" }, "No webhook (POST /v1/webhooks adds one)."));
    else hooks.replaceChildren(...list.results.map((w) => {
      const log = h("div", { class: "deliveries" });
      const show = h("button", { onclick: async () => {
        const d = await withProgress(log, "Loading deliveries…", () => get(`/v1/webhooks/${w.id}/deliveries?limit=20`));
        if (d) log.replaceChildren(table(["When", "Event", "Status", "Attempts", "Delivered / next attempt"], d.results.map((x) =>
          h("tr", {}, h("td", {}, fmtTime(x.created_at)), h("td", {}, x.event_type), h("td", {}, x.status), h("td", {}, String(x.attempt_count)), h("td", {}, fmtTime(x.delivered_at || x.next_attempt_at))))));
      } }, "Delivery log");
      const test = h("button", { onclick: async () => {
        if (await withProgress(log, "Sending a test event…", () => post(`/v1/webhooks/${w.id}/test`))) show.click();
      } }, "Send a test event");
      return h("div", { class: "webhook" }, h("p", {}, h("strong", {}, w.url), ` ${w.enabled ? "enabled" : "disabled"} · ${(w.event_types || []).join(", ") || "every event"}`), show, " ", test, log);
    }));
  }
  }
  await loadHooks();
}
