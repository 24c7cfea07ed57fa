// One return's page: its order and customer, the lines with the shopper's photos, the parcels
// it comes back in with their tracking, the timeline, and the actions its status allows:
// approve (instructions, label) or decline (reason); change the instructions; add the return
// parcel; receive; inspect each line (back to stock, needs work, written off, missing, with
// how many units) and finish the inspection; let the shopper keep the items; cancel. Every
// action names the version of the return shown, so one made on a return someone else has
// just changed is refused and the page read again. It follows the return live.

import { h } from "../../../lib/dom.js";
import { busy, clearErrors, field, formActions, input, select, showErrors, submitButton } from "../../../lib/forms.js";
import { countryName, t } from "../../../lib/i18n.js";
import { gql, live } from "../../api.js";
import { href } from "../../routes.js";
import { badge, button, confirmDialog, facts, pageHead, panel, state, toast } from "../../ui/page.js";
import { dateTime, money, number } from "../../ui/format.js";
import {
  ADD_PARCEL, APPROVE, CANCEL, DECLINE, FINISH, INSPECT, KEEP, RECEIVE, RETURN, RETURN_CARRIERS,
  RETURNS_CHANGED, UPDATE_INSTRUCTIONS,
} from "./documents.js";
import { returnBadge } from "./list.js";
import { outcomePanel } from "./outcome.js";

const DECISIONS = ["RESTOCK", "NEEDS_WORK", "WRITTEN_OFF", "MISSING"];
const TRACKING_REFUSALS = new Set(["TRACKING_NUMBER_INVALID", "TRACKING_NUMBER_CARRIER_MISMATCH"]);

const table = (head, rows, attrs = {}) =>
  h("div", { class: "table-wrap" }, h("table", { class: "data", ...attrs },
    h("thead", {}, h("tr", {}, head.map(([label, num]) => h("th", { scope: "col", class: num ? "num" : null }, label)))),
    h("tbody", {}, rows)));
const td = (content, num = false) => h("td", { class: num ? "num" : null }, content);
const textarea = (attrs) => h("textarea", { class: "input", rows: 4, ...attrs });

function summary(r) {
  const o = r.order;
  const customer = o.customer
    ? h("a", { href: href("customers", [o.customer.id]) }, o.customer.nickname || o.customer.email || o.email)
    : t("returns.guest");
  return panel(t("returns.summary"), h("div", { class: "columns" },
    facts([
      [t("returns.order"), h("a", { href: href("orders", [o.id]), class: "mono return-order-link" }, o.number)],
      [t("returns.customer"), customer],
      [t("returns.email"), o.email],
      [t("returns.country"), o.shippingAddress?.country ? countryName(o.shippingAddress.country) : null],
      [t("returns.askedAt"), dateTime(r.createdAt)],
      [t("returns.openedByStaff"), r.openedByStaff ? t("yes") : null],
    ]),
    facts([
      [t("returns.reason"), r.reason || null],
      [t("returns.note"), r.note || null],
      [t("returns.resolution"), t(`returns.resolution.${r.resolution}`)],
      [t("returns.instructions"), r.instructions ? h("span", { class: "return-instructions" }, r.instructions) : null],
      [t("returns.label"), r.labelReference],
      [t("returns.declineReason"), r.declineReason],
      [t("returns.keepItems"), r.keepItems ? t("returns.keepItemsYes") : null],
    ])));
}

function lines(r) {
  const head = [[t("returns.sku")], [t("returns.product")], [t("returns.qty"), true], [t("returns.unitPrice"), true],
    [t("returns.inspection")], [t("returns.inspected"), true], [t("returns.restocked"), true]];
  const rows = r.lines.map((l) => h("tr", { dataset: { sku: l.sku, line: l.id } },
    td(h("span", { class: "mono" }, l.sku)),
    td([l.name, l.variantName ? h("span", { class: "muted" }, ` · ${l.variantName}`) : null,
      l.inspectionNote ? h("div", { class: "muted" }, l.inspectionNote) : null]),
    td(number(l.quantity), true), td(money(l.unitPrice), true),
    td(badge(l.inspection, { label: t(`returns.decision.${l.inspection}`), tone: l.inspection === "RESTOCK" ? "ok" : null })),
    td(l.inspection === "PENDING" ? "—" : number(l.inspectedQuantity), true),
    td(number(l.restockedQuantity), true)));
  const photos = r.photos.length
    ? h("div", { class: "return-photos" }, r.photos.map((p) =>
      h("a", { href: p.url, target: "_blank", rel: "noopener" },
        h("img", { src: p.url, alt: t("returns.photo"), width: 96, height: 96, loading: "lazy" }))))
    : null;
  return panel(t("returns.lines"), [table(head, rows, { class: "data return-lines" }), photos]);
}

function parcels(r) {
  if (!r.parcels.length) return null;
  return panel(t("returns.parcels"), h("ul", { class: "order-parcels return-parcels" }, r.parcels.map((p) =>
    h("li", { class: "order-parcel", dataset: { tracking: p.trackingNumber } },
      h("div", {}, h("strong", {}, p.carrierName), " ",
        p.trackingUrl ? h("a", { href: p.trackingUrl, target: "_blank", rel: "noopener" }, p.trackingNumber) : h("span", { class: "mono" }, p.trackingNumber),
        " ", badge(p.trackingStatus, { label: t(`returns.tracking.${p.trackingStatus}`) })),
      h("div", { class: "muted" }, dateTime(p.addedAt), p.deliveredAt ? ` · ${t("returns.deliveredAt", { when: dateTime(p.deliveredAt) })}` : null),
      p.trackingEvents.length ? h("ol", { class: "tracking-events", reversed: true }, [...p.trackingEvents].reverse().map((e) =>
        h("li", {}, h("span", { class: "muted" }, dateTime(e.occurredAt)), " ", h("strong", {}, t(`returns.tracking.${e.status}`)),
          e.message ? ` · ${e.message}` : ""))) : null))));
}

function timeline(r) {
  return panel(t("returns.timeline"), h("ol", { class: "order-timeline return-timeline" }, [...r.timeline].reverse().map((e) =>
    h("li", {},
      h("div", { class: "order-event-head" },
        e.toStatus ? returnBadge(e.toStatus) : h("strong", {}, t("returns.changed")), " ",
        e.internal ? badge("INTERNAL", { label: t("returns.internal"), tone: "warn" }) : null, " ",
        h("span", { class: "muted" }, `${dateTime(e.createdAt)} · ${t("returns.by", { actor: e.actor })}`)),
      e.message ? h("p", { class: "order-event-text" }, e.message) : null))));
}

/** A form of an action: `fields`, a submit labelled `label`; `values()` its input. */
function actionForm(name, label, fields, values, act, { kind = "" } = {}) {
  const submit = submitButton(label);
  if (kind) submit.classList.add(`button-${kind}`);
  const form = h("form", { class: `form return-${name}-form` }, fields, formActions(submit));
  form.addEventListener("input", () => (form.dataset.unsaved = ""));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    await act(form, values());
  });
  return form;
}

function approveForm(r, run) {
  const instructions = textarea({ name: "instructions", maxlength: 4000 });
  const label = input({ name: "labelReference", maxlength: 400 });
  return actionForm("approve", t("returns.approve"), [
    field(t("returns.instructions"), instructions, { optional: true, wide: true, hint: t("returns.instructionsHint") }),
    field(t("returns.label"), label, { optional: true, wide: true }),
  ], () => ({ instructions: instructions.value.trim(), labelReference: label.value.trim() }),
  (form, values) => run(form, APPROVE, values, t("returns.approved")));
}

function declineForm(r, run) {
  const reason = textarea({ name: "reason", maxlength: 500, rows: 2, required: true });
  return actionForm("decline", t("returns.decline"), [field(t("returns.declineReason"), reason, { wide: true })],
    () => ({ reason: reason.value.trim() }), (form, values) => run(form, DECLINE, values, t("returns.declined")), { kind: "danger" });
}

function instructionsForm(r, run) {
  const instructions = textarea({ name: "instructions", maxlength: 4000, value: r.instructions || "" });
  instructions.value = r.instructions || "";
  const label = input({ name: "labelReference", maxlength: 400, value: r.labelReference || "" });
  return actionForm("instructions", t("returns.saveInstructions"), [
    field(t("returns.instructions"), instructions, { optional: true, wide: true }),
    field(t("returns.label"), label, { optional: true, wide: true }),
  ], () => ({ instructions: instructions.value.trim(), labelReference: label.value.trim() }),
  (form, values) => run(form, UPDATE_INSTRUCTIONS, values, t("saved")));
}

function parcelForm(r, run) {
  const carrier = select("carrierId", [], "", { required: true });
  const tracking = input({ name: "trackingNumber", required: true, maxlength: 80, autocomplete: "off", autocapitalize: "characters", spellcheck: "false" });
  const anyway = h("input", { type: "checkbox", name: "acceptInvalidTrackingNumber" });
  const anywayField = h("label", { class: "field field-check field-wide return-anyway", hidden: true }, anyway, t("returns.acceptAnyway"));
  tracking.addEventListener("input", () => {
    anyway.checked = false;
    anywayField.hidden = true;
  });
  const form = actionForm("parcel", t("returns.addParcel"), [field(t("returns.carrier"), carrier), field(t("returns.trackingNumber"), tracking), anywayField],
    () => ({ carrierId: carrier.value, trackingNumber: tracking.value.trim(), acceptInvalidTrackingNumber: anyway.checked }),
    async (f, values) => {
      const errors = await run(f, ADD_PARCEL, values, t("returns.parcelAdded"));
      if (errors?.some((e) => TRACKING_REFUSALS.has(e.code))) anywayField.hidden = false;
    });
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  gql(RETURN_CARRIERS).then((data) => {
    const active = data.carriers.nodes.filter((c) => c.active);
    carrier.replaceChildren(...active.map((c) => h("option", { value: c.id }, c.name)));
    if (!active.length) form.replaceWith(state(t("returns.noCarriers"), { error: true }));
    submit.disabled = false;
  }, (err) => form.prepend(state(err.message, { error: true })));
  return form;
}

/** The inspection: a decision and a number of units per line, saved together. */
function inspectionForm(r, run) {
  const rows = r.lines.map((l) => {
    const decided = l.inspection !== "PENDING";
    const decision = select(`decision-${l.id}`, [["", t("returns.choose")], ...DECISIONS.map((d) => [d, t(`returns.decision.${d}`)])],
      decided ? l.inspection : "", { "aria-label": t("returns.decisionFor", { sku: l.sku }), dataset: { line: l.id } });
    const units = input({ type: "number", name: `quantity-${l.id}`, min: "1", max: String(l.quantity), step: "1", inputmode: "numeric",
      value: String(decided && l.inspection !== "MISSING" ? l.inspectedQuantity : l.quantity), "aria-label": t("returns.unitsFor", { sku: l.sku }) });
    const note = input({ name: `note-${l.id}`, maxlength: 500, value: l.inspectionNote || "", "aria-label": t("returns.noteFor", { sku: l.sku }) });
    const sync = () => (units.disabled = decision.value === "MISSING");
    decision.addEventListener("change", sync);
    sync();
    return h("tr", { dataset: { sku: l.sku } },
      td([h("span", { class: "mono" }, l.sku), h("div", { class: "muted" }, t("returns.ofUnits", { n: l.quantity }))]),
      td(decision), td(units), td(note));
  });
  const form = h("form", { class: "form return-inspect-form" },
    table([[t("returns.sku")], [t("returns.decisionCol")], [t("returns.units")], [t("returns.note")]], rows, { class: "data return-inspect" }),
    formActions(submitButton(t("returns.saveInspection"))));
  form.addEventListener("input", () => (form.dataset.unsaved = ""));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const decisions = r.lines.map((l) => {
      const kind = form.elements[`decision-${l.id}`].value;
      if (!kind) return null;
      const decision = { lineId: l.id, inspection: kind, note: form.elements[`note-${l.id}`].value.trim() };
      if (kind !== "MISSING") decision.quantity = Number(form.elements[`quantity-${l.id}`].value);
      return decision;
    }).filter(Boolean);
    await run(form, INSPECT, { lines: decisions }, t("returns.inspectionSaved"));
  });
  return form;
}

/** A button that asks first (with an optional note), then runs an action. */
function askButton(label, ask, document, run, { danger = false, note = null } = {}) {
  return button(label, async () => {
    const text = note ? input({ name: note, maxlength: 500 }) : null;
    const body = text ? h("div", { class: "form" }, field(t("returns.why"), text, { optional: true, wide: true })) : null;
    await confirmDialog({
      title: label, text: ask, body, confirmLabel: label, danger,
      onConfirm: async (dialog) => !(await run(dialog.querySelector("form"), document, text ? { [note]: text.value.trim() } : {}, label)),
    });
  }, { kind: danger ? "danger" : "secondary" });
}

function actions(r, run) {
  const parts = [];
  const section = (title, ...children) => h("div", { class: "order-action return-action" }, h("h3", {}, title), children);
  const cancel = askButton(t("returns.cancel"), t("returns.cancelAsk"), CANCEL, run, { danger: true, note: "reason" });
  if (r.status === "REQUESTED") {
    parts.push(section(t("returns.approveTitle"), approveForm(r, run)));
    parts.push(section(t("returns.declineTitle"), declineForm(r, run)));
    parts.push(h("div", { class: "actions" }, cancel));
  } else if (r.status === "APPROVED" || r.status === "IN_TRANSIT") {
    const receive = button(t("returns.receive"), async () => {
      await confirmDialog({ title: t("returns.receive"), text: t("returns.receiveAsk"), confirmLabel: t("returns.receive"),
        onConfirm: async (dialog) => !(await run(dialog.querySelector("form"), RECEIVE, {}, t("returns.received"))) });
    });
    const buttons = [];
    if (!r.keepItems) buttons.push(receive);
    if (r.status === "APPROVED" && !r.keepItems) {
      buttons.push(askButton(t("returns.keep"), t("returns.keepAsk"), KEEP, run, { note: "note" }));
    }
    if (r.status === "APPROVED") buttons.push(cancel);
    parts.push(h("div", { class: "actions return-buttons" }, buttons));
    if (!r.keepItems) parts.push(section(t("returns.parcelTitle"), parcelForm(r, run)));
    parts.push(section(t("returns.instructionsTitle"), instructionsForm(r, run)));
  } else if (r.status === "RECEIVED") {
    parts.push(section(t("returns.inspectTitle"), h("p", { class: "muted" }, t("returns.inspectHint")), inspectionForm(r, run)));
    const pending = r.lines.some((l) => l.inspection === "PENDING");
    const finish = button(t("returns.finish"), async () => {
      await confirmDialog({ title: t("returns.finish"), text: t("returns.finishAsk"), confirmLabel: t("returns.finish"),
        onConfirm: async (dialog) => !(await run(dialog.querySelector("form"), FINISH, {}, t("returns.finished"))) });
    }, { attrs: { disabled: pending, title: pending ? t("returns.finishPending") : null } });
    parts.push(h("div", { class: "actions" }, finish));
  }
  if (!parts.length) return null;
  return panel(t("returns.actions"), parts, { attrs: { class: "panel return-actions" } });
}

export async function showReturn(view, ctx) {
  const id = ctx.segments[0];
  const head = h("div");
  const body = h("div", { class: "order-page return-page" });
  view.replaceChildren(head, body, state(t("loading")));
  let shown = null;
  let reads = 0;

  async function load() {
    const read = ++reads;
    let found;
    try {
      found = (await gql(RETURN, { id })).returnRequest;
    } catch (err) {
      if (!ctx.current() || read !== reads) return shown;
      view.replaceChildren(head, state(t("screen.failed", { message: err.message }), { error: true }));
      return null;
    }
    if (!ctx.current() || read !== reads) return shown;
    if (!found) {
      view.replaceChildren(pageHead(t("returns.notFound"), { crumb: [href("returns"), t("returns.back")] }));
      return null;
    }
    draw(found);
    return found;
  }

  /**
   * Runs an action on the return as shown (its version) for `form`, shows its refusals next
   * to their fields and answers with them, or reads the return again and answers null. A
   * return someone else changed meanwhile (STALE) is read again at once.
   */
  async function run(form, document, values, done) {
    clearErrors(form);
    const free = busy(form);
    let payload;
    try {
      payload = Object.values(await gql(document, { input: { returnId: shown.id, version: shown.version, ...values } }))[0];
    } catch (err) {
      const failed = [{ message: err.message }];
      showErrors(form, failed);
      return failed;
    } finally {
      free();
    }
    if (payload.errors.length) {
      showErrors(form, payload.errors);
      if (payload.errors.some((e) => e.code === "STALE")) {
        toast(t("returns.stale"), { tone: "bad" });
        await load();
      }
      return payload.errors;
    }
    delete form.dataset.unsaved;
    toast(done);
    await load();
    return null;
  }

  // What the return gives back (refund, store credit, exchange), once there is something
  // to decide: inspected, or approved with the items kept; and after, what it gave.
  function outcomeSection(r) {
    if (!(r.outcome || r.status === "INSPECTED" || (r.status === "APPROVED" && r.keepItems))) return null;
    const holder = h("div", { class: "return-outcome-holder" });
    outcomePanel(holder, r, { onDone: load });
    return panel(t("outcome.title"), holder);
  }

  function draw(r) {
    const keep = shown && shown.version === r.version ? body.querySelector(".return-actions form[data-unsaved]")?.closest(".return-actions") : null;
    head.replaceChildren(pageHead(t("returns.heading", { number: r.number }), {
      crumb: [href("returns"), t("returns.back")],
      actions: [returnBadge(r.status)],
    }));
    body.replaceChildren(h("div", { class: "order-grid" },
      h("div", { class: "order-main" }, keep || actions(r, run), lines(r), parcels(r),
        outcomeSection(r)),
      h("div", { class: "order-side" }, summary(r), timeline(r))));
    view.replaceChildren(head, body);
    shown = r;
  }

  const first = await load();
  if (!first) return;
  live(RETURNS_CHANGED, {}, async (data) => {
    const change = data?.returnsChanged;
    if (change && change.returnNumber !== shown?.number) return;
    await load();
  }, ctx.onLeave);
}
