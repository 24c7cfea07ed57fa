// The parts every console screen is made of: the page head, panels, facts, figures, status
// badges, a confirmation dialog, a progress bar and short notices (toasts).

import { $, h } from "../../lib/dom.js";
import { hasMessage, t } from "../../lib/i18n.js";

/** The head of a page: its title, an optional link back (`crumb: [href, text]`) and actions. */
export function pageHead(title, { crumb = null, actions = [] } = {}) {
  return h("div", { class: "page-head" },
    crumb ? h("a", { class: "crumb", href: crumb[0] }, `← ${crumb[1]}`) : null,
    h("h1", {}, title),
    actions.length ? h("div", { class: "actions" }, actions) : null);
}

/** A titled panel; `actions` go in its head. */
export function panel(title, children, { actions = [], attrs = {} } = {}) {
  return h("section", { class: "panel", ...attrs },
    title ? h("div", { class: "panel-head" }, h("h2", {}, title), actions) : null,
    children);
}

/** Label and value pairs; pairs whose value is null are left out. */
export function facts(pairs) {
  return h("dl", { class: "facts" },
    pairs.filter(([, value]) => value !== null && value !== undefined).flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]));
}

/** One headline figure. */
export const kpi = (label, value, note = null, attrs = {}) =>
  h("div", { class: "kpi", ...attrs }, h("div", { class: "kpi-label" }, label), h("div", { class: "kpi-value" }, value),
    note ? h("div", { class: "kpi-note" }, note) : null);

// The colour of a status, whatever kind of record has it.
const TONES = {
  ok: ["COMPLETED", "DELIVERED", "SUCCEEDED", "APPROVED", "ACTIVE", "APPLIED", "FULFILLED", "DONE", "IN_STOCK", "PAID"],
  info: ["SHIPPED", "PROCESSING", "QUEUED", "RUNNING", "OPEN", "ISSUED", "PENDING_SHIPMENT",
    "INFO_RECEIVED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "AVAILABLE_FOR_PICKUP"],
  warn: ["PENDING_PAYMENT", "REQUIRES_ACTION", "PENDING", "DRAFT", "LOW_STOCK", "STALE", "FLAGGED",
    "IN_CUSTOMS", "ATTEMPT_FAILED", "RETURNING", "EXPIRED"],
  bad: ["CANCELLED", "CANCELED", "FAILED", "REJECTED", "DEAD", "OUT_OF_STOCK", "DISABLED",
    "EXCEPTION", "RETURNED"],
};
const TONE_OF = Object.fromEntries(Object.entries(TONES).flatMap(([tone, codes]) => codes.map((c) => [c, tone])));

/** A status badge: its words from `status.<CODE>` (or `label`), its colour from the code. */
export function badge(code, { label = null, tone = null } = {}) {
  const text = label ?? (hasMessage(`status.${code}`) ? t(`status.${code}`) : String(code).toLowerCase().replaceAll("_", " "));
  return h("span", { class: "badge", dataset: { tone: tone || TONE_OF[code] || "neutral", status: code } }, text);
}

export const button = (label, onclick, { kind = "", attrs = {} } = {}) =>
  h("button", { type: "button", class: `button${kind ? ` button-${kind}` : ""}`, onclick, ...attrs }, label);

/** A line of muted text: a loading, empty or failed state. */
export const state = (text, { error = false } = {}) => h("p", { class: `state${error ? " state-error" : ""}`, role: error ? "alert" : null }, text);

/** A progress bar; `set(share)` moves it (0 to 1). */
export function progressBar(label) {
  const fill = h("span", { style: "width: 0%" });
  const bar = h("div", { class: "progress", role: "progressbar", "aria-label": label, "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0" }, fill);
  bar.set = (share) => {
    const pct = Math.max(0, Math.min(100, Math.round(share * 100)));
    fill.style.width = `${pct}%`;
    bar.setAttribute("aria-valuenow", String(pct));
  };
  return bar;
}

/** A short notice at the corner of the screen, announced, gone after a few seconds. */
export function toast(text, { tone = null, ms = 4000 } = {}) {
  const el = h("div", { class: "toast", dataset: tone ? { tone } : {} }, text);
  $("toasts").append(el);
  setTimeout(() => el.remove(), ms);
  return el;
}

/**
 * Asks before something that cannot be undone; resolves to true when confirmed. `body` may
 * hold form controls: `onConfirm(dialog)` then runs first, and a false answer keeps it open.
 */
export function confirmDialog({ title = t("confirm.title"), text = "", body = null, confirmLabel = t("confirm"), danger = false, onConfirm = null }) {
  return new Promise((resolve) => {
    const ok = h("button", { type: "submit", class: `button${danger ? " button-danger" : ""}` }, confirmLabel);
    const form = h("form", { method: "dialog" },
      h("h2", {}, title), text ? h("p", {}, text) : null, body,
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "button button-secondary", onclick: () => dialog.close("cancel") }, t("cancel")), ok));
    const dialog = h("dialog", { class: "dialog" }, form);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (onConfirm && !(await onConfirm(dialog))) return;
      dialog.close("ok");
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "ok");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
