// The sandbox clock in the header, with an "advance" control (sandbox servers only).
import { get, post, session } from "./api.js";
import { fmtTime, h, problemBox } from "./dom.js";

export function sandboxBar() {
  if (!session.sandbox) return h("span");
  const now = h("span", { id: "clock-now" }, "…");
  const hours = h("input", { id: "advance-hours", type: "number", min: "0.1", step: "any", value: "24", size: 4 });
  const status = h("span", { id: "advance-status" });
  const button = h("button", { id: "advance" }, "Advance");
  const show = (clock) => (now.textContent = fmtTime(clock.now));
  button.onclick = async () => {
    button.disabled = true;
    status.replaceChildren(h("span", { class: "spinner" }), " running due work…");
    try {
      const clock = await post("/v1/sandbox/clock/advance", { seconds: Number(hours.value) * 3600 });
      show(clock);
      status.textContent = clock.steps_run != null ? `${clock.steps_run} steps run` : "";
      window.dispatchEvent(new CustomEvent("clock-advanced", { detail: clock }));
    } catch (error) {
      status.replaceChildren(problemBox(error));
    } finally {
      button.disabled = false;
    }
  };
  get("/v1/sandbox/clock").then(show).catch((error) => status.replaceChildren(problemBox(error)));
  return h("div", { class: "sandbox", id: "sandbox" }, "Sandbox time ", now, " ", hours, " h ", button, " ", status);
}
