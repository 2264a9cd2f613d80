// The console: a page per hash route, a nav bar, the sandbox clock.
import "./console.css";
import { session } from "./api.js";
import { h } from "./dom.js";
import { accountPage } from "./pages/account.js";
import { adminPage } from "./pages/admin.js";
import { catalogPage } from "./pages/catalog.js";
import { orderPage, stopStreams } from "./pages/order.js";
import { ordersPage } from "./pages/orders.js";
import { taskingPage } from "./pages/tasking.js";
import { sandboxBar } from "./sandbox.js";

const PAGES = [
  ["catalog", "Catalog"],
  ["tasking", "Tasking"],
  ["orders", "Orders"],
  ["account", "Account"],
  ["admin", "Administration"],
];

function route() {
  const [, name = "catalog", id] = location.hash.split("/");
  return { name, id };
}

async function show() {
  const { name, id } = route();
  stopStreams();
  document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.dataset.page === name));
  const root = document.getElementById("app");
  root.className = `page-${name}`;
  try {
    if (name === "orders" && id) await orderPage(root, id);
    else if (name === "orders") await ordersPage(root);
    else if (name === "tasking") await taskingPage(root);
    else if (name === "account") await accountPage(root);
    else if (name === "admin") await adminPage(root);
    else await catalogPage(root);
  } catch (error) {
    root.replaceChildren(h("p", { class: "problem", role: "alert" }, error.message || String(error)));
  }
  root.dataset.ready = name;
}

function start() {
  const nav = document.getElementById("nav");
  nav.replaceChildren(
    ...PAGES.filter(([p]) => p !== "admin" || session.role === "admin").map(([page, label]) =>
      h("a", { href: `#/${page}`, "data-page": page, id: `nav-${page}` }, label),
    ),
    sandboxBar(),
  );
  window.addEventListener("hashchange", show);
  window.addEventListener("clock-advanced", () => {
    const { name, id } = route();
    if (name !== "orders" || !id) show();
  });
  show();
}

start();
