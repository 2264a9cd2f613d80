// Account: balances, the ledger, the usage report (charts per month and per product, CSV)
// and webhooks with their delivery log.
import { api, get } from "../api.js";
import { fmtTime, h, problemBox, table, withProgress } from "../dom.js";
import { webhooksSection } from "./webhooks.js";

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

export async function accountPage(root) {
  const balances = h("div", { id: "balances" });
  const ledger = h("div", { id: "ledger" });
  const report = h("div", { id: "usage" });
  root.replaceChildren(
    h("section", { class: "wide" },
      h("h2", {}, "Account"), balances,
      h("h3", {}, "Ledger"), ledger,
      h("h3", {}, "Usage report ", h("a", { href: "/v1/reports/usage?format=csv", download: "usage.csv", class: "button", id: "usage-csv" }, "Download CSV")), report,
      h("h3", {}, "Webhooks"), webhooksSection()),
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
}
