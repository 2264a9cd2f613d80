// Administration: invite users, mint and revoke API keys (the admin role only).
import { get, post, session } from "../api.js";
import { fmtTime, h, problemBox, table, withProgress } from "../dom.js";

export async function adminPage(root) {
  const users = h("div", { id: "users" });
  const clients = h("div", { id: "clients" });
  const shown = h("div", { id: "shown-once" });
  const email = h("input", { id: "new-email", type: "email", placeholder: "email" });
  const role = h("select", { id: "new-role" }, ["member", "viewer", "admin"].map((r) => h("option", { value: r }, r)));
  const add = h("button", { id: "add-user", class: "primary" }, "Add and invite");
  root.replaceChildren(
    h("section", { class: "wide" },
      h("h2", {}, "Administration"),
      session.role !== "admin" ? h("p", { class: "muted" }, "Only administrators may change users and keys; the server refuses others.") : "",
      h("div", { class: "filters" }, email, role, add),
      shown,
      h("h3", {}, "Users"), users,
      h("h3", {}, "API clients"), clients),
  );
  const once = (title, body) => shown.replaceChildren(h("div", { class: "once" }, h("strong", {}, title), h("pre", {}, body), h("small", {}, "Shown only now: copy it.")));
  const act = async (label, work) => {
    try {
      return await work();
    } catch (error) {
      shown.replaceChildren(problemBox(error));
      return undefined;
    }
  };
  const invite = async (u) => {
    const inv = await act("invite", () => post(`/v1/users/${u.id}/invitation`));
    if (inv) once(`Invitation for ${inv.email} (until ${fmtTime(inv.expires_at)})`, inv.url);
  };
  const mint = async (u) => {
    const c = await act("mint", () => post(`/v1/users/${u.id}/clients`, { name: `${u.email} console key` }));
    if (c) {
      once(`API client for ${u.email}`, `client_id: ${c.client_id}\nclient_secret: ${c.client_secret}\napi_key: ${c.api_key}`);
      loadClients();
    }
  };
  add.onclick = async () => {
    const u = await act("add", () => post("/v1/users", { email: email.value, role: role.value }));
    if (u) {
      await invite(u);
      loadUsers();
    }
  };
  async function loadUsers() {
    const list = await withProgress(users, "Loading users…", () => get("/v1/users"));
    if (list) users.replaceChildren(table(["Email", "Name", "Role", "Since", ""], list.map((u) =>
      h("tr", { class: "user" }, h("td", {}, u.email), h("td", {}, u.display_name), h("td", {}, u.role), h("td", {}, fmtTime(u.created_at)),
        h("td", {}, h("button", { onclick: () => invite(u) }, "Invite / reset password"), " ", h("button", { class: "mint", onclick: () => mint(u) }, "Mint API key"))))));
  }
  async function loadClients() {
    const list = await withProgress(clients, "Loading API clients…", () => get("/v1/clients"));
    if (list) clients.replaceChildren(table(["Client", "Name", "Roles", "State", ""], list.map((c) =>
      h("tr", { class: "client" }, h("td", {}, c.client_id), h("td", {}, c.name), h("td", {}, c.roles.join(", ")), h("td", {}, c.disabled ? "revoked" : "active"),
        h("td", {}, h("button", { onclick: async () => { if (await act("toggle", () => post(`/v1/clients/${c.client_id}/${c.disabled ? "enable" : "disable"}`))) loadClients(); } }, c.disabled ? "Enable" : "Revoke"),
          " ", h("button", { onclick: async () => { const k = await act("rotate", () => post(`/v1/clients/${c.client_id}/rotate-key`)); if (k) once(`New API key of ${k.client_id}`, k.api_key); } }, "Rotate key"))))));
  }
  await Promise.all([loadUsers(), loadClients()]);
}
