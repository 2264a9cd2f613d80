// A few DOM helpers: build elements, show problems and progress.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "html") el.innerHTML = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function problemBox(error) {
  return h("p", { class: "problem", role: "alert" }, error?.message || String(error));
}

/** Run `work` while `where` shows progress; a failure shows the problem's detail there. */
export async function withProgress(where, label, work) {
  where.replaceChildren(h("p", { class: "progress" }, h("span", { class: "spinner" }), label));
  try {
    const result = await work();
    where.replaceChildren();
    return result;
  } catch (error) {
    where.replaceChildren(problemBox(error));
    return undefined;
  }
}

export const fmtTime = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC") : "");

export function table(headers, rows, attrs = {}) {
  return h(
    "table",
    attrs,
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows),
  );
}
