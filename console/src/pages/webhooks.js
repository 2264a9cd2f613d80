// Webhooks on the account page: add, edit (URL, description, event types, enabled), delete,
// send a test event and read the delivery log.
import { api, get, post } from "../api.js";
import { fmtTime, h, table, withProgress } from "../dom.js";

const everyEvent = (types) => !types || !types.length || types.includes("*");
/** The event types typed in a field: null (every event) when empty or "*". */
const typesOf = (text) => {
  const types = text.split(",").map((t) => t.trim()).filter(Boolean);
  return everyEvent(types) ? null : types;
};

function addForm(reload) {
  const url = h("input", { id: "webhook-url", type: "url", placeholder: "https://example.com/hooks", size: 40 });
  const types = h("input", { id: "webhook-types", placeholder: "event types, comma-separated (empty: every event)", size: 40 });
  const out = h("div", { id: "webhook-result" });
  const add = h("button", { id: "add-webhook", class: "primary" }, "Add webhook");
  add.onclick = async () => {
    const made = await withProgress(out, "Adding the webhook…", () => post("/v1/webhooks", { url: url.value, event_types: typesOf(types.value) }));
    if (made) {
      out.replaceChildren(h("div", { class: "once" }, h("strong", {}, "Signing secret (shown only now): "), h("pre", {}, made.secret)));
      reload();
    }
  };
  return h("div", {}, h("div", { class: "filters" }, url, types, add), out);
}

/** The form that changes a subscription (PATCH), in place of its summary. */
function editForm(w, where, reload) {
  const url = h("input", { class: "edit-url", type: "url", value: w.url, size: 40 });
  const description = h("input", { class: "edit-description", value: w.description, size: 40, placeholder: "description" });
  const types = h("input", { class: "edit-types", value: everyEvent(w.event_types) ? "" : w.event_types.join(", "), size: 40, placeholder: "event types (empty: every event)" });
  const enabled = h("input", { class: "edit-enabled", type: "checkbox", checked: w.enabled });
  const save = h("button", { class: "save-webhook primary" }, "Save");
  const cancel = h("button", { onclick: reload }, "Cancel");
  const out = h("div");
  save.onclick = async () => {
    const changes = { url: url.value, description: description.value, event_types: typesOf(types.value), enabled: enabled.checked };
    if (await withProgress(out, "Saving…", () => api("PATCH", `/v1/webhooks/${w.id}`, changes))) reload();
  };
  where.replaceChildren(h("div", { class: "filters webhook-editor" }, url, description, types, h("label", {}, enabled, " enabled"), save, cancel), out);
}

function webhookRow(w, reload) {
  const log = h("div", { class: "deliveries" });
  const summary = h("div", { class: "summary" });
  const show = h("button", { onclick: async () => {
    const d = await withProgress(log, "Loading deliveries…", () => get(`/v1/webhooks/${w.id}/deliveries?limit=20`));
    if (d) log.replaceChildren(table(["When", "Event", "Status", "Attempts", "Delivered / next attempt"], d.results.map((x) =>
      h("tr", {}, h("td", {}, fmtTime(x.created_at)), h("td", {}, x.event_type), h("td", {}, x.status), h("td", {}, String(x.attempt_count)), h("td", {}, fmtTime(x.delivered_at || x.next_attempt_at))))));
  } }, "Delivery log");
  const test = h("button", { onclick: async () => {
    if (await withProgress(log, "Sending a test event…", () => post(`/v1/webhooks/${w.id}/test`))) show.click();
  } }, "Send a test event");
  const edit = h("button", { class: "edit-webhook", onclick: () => editForm(w, summary, reload) }, "Edit");
  // Two clicks delete: the first asks, the second (within a few seconds) confirms.
  const remove = h("button", { class: "delete-webhook" }, "Delete");
  remove.onclick = async () => {
    if (!remove.classList.contains("confirm")) {
      remove.classList.add("confirm");
      remove.textContent = "Really delete? Click again";
      setTimeout(() => remove.isConnected && (remove.classList.remove("confirm"), (remove.textContent = "Delete")), 5000);
      return;
    }
    if ((await withProgress(log, "Deleting…", () => api("DELETE", `/v1/webhooks/${w.id}`))) !== undefined) reload();
  };
  summary.replaceChildren(
    h("p", {}, h("strong", { class: "webhook-url" }, w.url), ` ${w.enabled ? "enabled" : "disabled"} · `,
      h("span", { class: "webhook-types" }, everyEvent(w.event_types) ? "every event" : w.event_types.join(", ")),
      w.description ? h("span", { class: "webhook-description" }, ` · ${w.description}`) : ""),
  );
  return h("div", { class: "webhook", "data-id": w.id }, summary, show, " ", test, " ", edit, " ", remove, log);
}

/** The account page's webhooks section; fills itself in. */
export function webhooksSection() {
  const hooks = h("div", { id: "webhooks" });
  async function load() {
    const list = await withProgress(hooks, "Loading webhooks…", () => get("/v1/webhooks"));
    if (!list) return;
    if (!list.results.length) hooks.replaceChildren(h("p", { class: "muted" }, "No webhook yet."));
    else hooks.replaceChildren(...list.results.map((w) => webhookRow(w, load)));
  }
  load();
  return h("div", {}, addForm(load), hooks);
}
