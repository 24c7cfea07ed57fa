// Forms over the API: labelled controls named after the API's input fields, their values,
// payload errors shown next to the field they name (the rest in an alert), and a mutation run
// for a form with its buttons disabled meanwhile. Messages used: optional, rateLimited.

import { $, h, newId } from "./dom.js";
import { formatWait, t } from "./i18n.js";

/** A labelled control; its `name` is the API's input field, so payload errors land next to it. */
export function field(label, control, { hint, optional = false, wide = false } = {}) {
  control.id ||= newId();
  const hintEl = hint ? h("p", { class: "field-hint", id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: `field${wide ? " field-wide" : ""}` },
    h("label", { for: control.id }, label, optional ? h("span", { class: "field-optional" }, ` (${t("optional")})`) : null),
    control, hintEl);
}

export const input = (attrs) => h("input", { class: "input", type: "text", ...attrs });

/** A select of `[value, label]` options; a value not among them is added, so it is kept. */
export function select(name, options, value, attrs = {}) {
  if (value && !options.some(([v]) => v === value)) options = [...options, [value, value]];
  return h("select", { class: "input", name, ...attrs },
    options.map(([v, label]) => h("option", { value: v, selected: v === (value || "") }, label)));
}

export const submitButton = (label) => h("button", { type: "submit", class: "button" }, label);
export const formActions = (...buttons) => h("div", { class: "form-actions" }, buttons);

/** A form's values by name: text trimmed, passwords as typed, checkboxes true when ticked. */
export function formValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || (el.type === "checkbox" && !el.checked)) continue;
    values[el.name] = el.type === "checkbox" ? true : el.type === "password" ? el.value : el.value.trim();
  }
  return values;
}

export function clearErrors(root) {
  for (const el of root.querySelectorAll(".field-error, .form-alert, .form-note")) el.remove();
  for (const el of root.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const hint = `${el.id}-hint`;
    if ($(hint)) el.setAttribute("aria-describedby", hint);
    else el.removeAttribute("aria-describedby");
  }
}

/** The message of a payload error; the wait of `RATE_LIMITED` in the page's language. */
export function errorText(e) {
  if (e.code !== "RATE_LIMITED" || !e.retryAfter) return e.message;
  return t("rateLimited", { time: formatWait(e.retryAfter) });
}

/** Payload errors (`{field, code, message, retryAfter}`) next to their fields, the rest in an alert. */
export function showErrors(root, errors, { focus = true } = {}) {
  const loose = [];
  let first = null;
  for (const e of errors) {
    const name = e.field?.at(-1);
    const control = name ? root.querySelector(`[name="${CSS.escape(name)}"]`) : null;
    if (!control?.closest(".field")) {
      loose.push(errorText(e));
      continue;
    }
    const message = h("p", { class: "field-error", id: newId(`${control.id}-error`) }, errorText(e));
    control.closest(".field").append(message);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), message.id].filter(Boolean).join(" "));
    first ||= control;
  }
  if (loose.length) {
    const alert = h("div", { class: "form-alert", role: "alert", tabindex: "-1" }, loose.map((m) => h("p", {}, m)));
    const actions = root.querySelector(".form-actions");
    if (actions) actions.before(alert);
    else root.append(alert);
    first ||= alert;
  }
  if (focus) first?.focus();
}

/** A short confirmation, announced; focusable so that it can be moved to. */
export const noteText = (text) => h("p", { class: "form-note", role: "status", tabindex: "-1" }, text);

/** A short confirmation in a form or panel, announced. */
export function note(root, text) {
  const el = noteText(text);
  const actions = root.querySelector(".form-actions");
  if (actions) actions.after(el);
  else root.append(el);
  return el;
}

/** Marks a form or panel busy: its enabled buttons disabled until the returned function is called. */
export function busy(root) {
  const buttons = [...root.querySelectorAll("button:not(:disabled)")];
  for (const b of buttons) b.disabled = true;
  root.setAttribute("aria-busy", "true");
  return () => {
    for (const b of buttons) b.disabled = false;
    root.removeAttribute("aria-busy");
  };
}

/**
 * Runs a mutation for a form or panel: `call()` resolves to the mutation's data. Its buttons are
 * disabled meanwhile, and the payload's errors (or the request's failure) are shown in it.
 * Returns the payload, or null on failure.
 */
export async function runMutation(root, call) {
  clearErrors(root);
  const done = busy(root);
  try {
    const payload = Object.values(await call())[0];
    if (!payload.errors.length) return payload;
    showErrors(root, payload.errors);
  } catch (err) {
    showErrors(root, [{ message: err.message }]);
  } finally {
    done();
  }
  return null;
}
