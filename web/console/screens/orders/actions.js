// What staff do to an order, by its status: confirm a bank transfer, ship a parcel (units per
// line, carrier, service, tracking number checked as it is typed), send a parcel in trouble
// again, mark delivered, complete, cancel with a refund, refund a payment, and add a note.
// Each form shows the API's errors next to its fields.

import { h } from "../../../lib/dom.js";
import { field, formActions, input, runMutation, select, showErrors, submitButton } from "../../../lib/forms.js";
import { countryName, t } from "../../../lib/i18n.js";
import { gql, mutate } from "../../api.js";
import { button, confirmDialog, panel, state, toast } from "../../ui/page.js";
import { money } from "../../ui/format.js";
import { BANK_TRANSFER, CANCEL, CARRIERS, COMPLETE, DELIVER, NOTE, REFUND, RESHIP, SHIP, TRACKING_NUMBER_INFO } from "./documents.js";

// The carrier and service of the last parcel shipped: the next parcel most often goes the same way.
const lastChoice = { carrier: "", service: "" };

// Refusals of a tracking number staff may override, knowing the number is right.
const TRACKING_REFUSALS = new Set(["TRACKING_NUMBER_INVALID", "TRACKING_NUMBER_CARRIER_MISMATCH"]);
// How long typing pauses before the number is checked.
const CHECK_DELAY_MS = 300;

const decimal = (attrs) => input({ type: "number", step: "any", min: "0", inputmode: "decimal", ...attrs });

/** Payload errors as a short line, for a toast. */
const errorLine = (errors) => errors.map((e) => e.message).join(" ");

/** The input values of a form that are not empty. */
function given(form, names) {
  const out = {};
  for (const name of names) {
    const value = form.elements[name]?.value.trim();
    if (value) out[name] = value;
  }
  return out;
}

/** A button that asks first, then runs a mutation on the order and reads it again. */
function stepButton(label, ask, document, order, reload, kind = "") {
  return button(label, async () => {
    if (!(await confirmDialog({ title: label, text: ask, confirmLabel: label }))) return;
    try {
      const payload = Object.values(await gql(document, { input: { orderId: order.id } }))[0];
      if (payload.errors.length) toast(t("orders.actionFailed", { message: errorLine(payload.errors) }), { tone: "bad" });
    } catch (err) {
      toast(t("orders.actionFailed", { message: err.message }), { tone: "bad" });
    }
    await reload();
  }, { kind });
}

function cancelButton(order, reload) {
  const label = t("orders.cancel");
  return button(label, async () => {
    const reason = input({ name: "reason", maxlength: 300 });
    const refund = h("input", { type: "checkbox", name: "refund", checked: !!order.paidAt });
    const body = h("div", { class: "form" },
      field(t("orders.reason"), reason, { optional: true, wide: true }),
      h("label", { class: "field field-check field-wide" }, refund, t("orders.refundToo")));
    const done = await confirmDialog({
      title: label, text: t("orders.cancelAsk"), body, confirmLabel: label, danger: true,
      onConfirm: async (dialog) => {
        const form = dialog.querySelector("form");
        let payload;
        try {
          payload = (await gql(CANCEL, { input: { orderId: order.id, reason: reason.value.trim(), refund: refund.checked } })).cancelOrder;
        } catch (err) {
          showErrors(form, [{ message: err.message }]);
          return false;
        }
        if (!payload.order) {
          showErrors(form, payload.errors);
          return false;
        }
        // Cancelled, but a refund failed: the order stays cancelled and staff finish by hand.
        if (payload.errors.length) toast(t("orders.cancelledUnrefunded", { message: errorLine(payload.errors) }), { tone: "bad", ms: 8000 });
        else toast(t("orders.cancelled"));
        return true;
      },
    });
    if (done) await reload();
  }, { kind: "danger" });
}

function bankTransferForm(order, reload) {
  const currency = order.totalInShopCurrency.currency;
  const form = h("form", { class: "form order-transfer-form", dataset: { edit: "" } },
    field(t("orders.reference"), input({ name: "reference", required: true, maxlength: 120 })),
    field(t("orders.received", { currency }), decimal({ name: "received" }), { optional: true }),
    field(t("orders.bankCharges", { currency }), decimal({ name: "bankCharges" }), { optional: true }),
    formActions(submitButton(t("orders.confirmTransfer"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = { orderId: order.id, ...given(form, ["reference", "received", "bankCharges"]) };
    if (await mutate(form, BANK_TRANSFER, { input: values })) {
      toast(t("orders.transferConfirmed"));
      await reload();
    }
  });
  return h("div", { class: "order-action" }, h("h3", {}, t("orders.bankTransfer")), h("p", { class: "muted" }, t("orders.bankTransferHint")), form);
}

/** The hint under the tracking number for what `trackingNumberInfo` answered. */
function trackingHintText(info) {
  const carrier = info.detectedCarrier ? t(`orders.trackingCarrier.${info.detectedCarrier}`) : "";
  if (info.carrierMismatch) return t("orders.trackingMismatch", { carrier });
  if (info.validity === "VALID") {
    const details = [
      info.service ? t(`orders.trackingService.${info.service}`) : null,
      info.originCountry ? t("orders.trackingFrom", { country: countryName(info.originCountry) }) : null,
    ].filter(Boolean);
    return details.length ? t("orders.trackingValidDetails", { carrier, details: details.join(" · ") }) : t("orders.trackingValid", { carrier });
  }
  if (info.validity === "INVALID_CHECK_DIGIT") return t("orders.trackingCheckDigit", { carrier, digit: info.expectedCheckDigit });
  if (info.validity === "UNKNOWN_FORMAT") return t("orders.trackingUnknown");
  return carrier ? t("orders.trackingBroken", { carrier }) : t("orders.trackingBadFormat");
}

/**
 * The carrier, service and tracking number of a parcel, as the ship and reship forms ask for
 * them: the number is checked for the chosen carrier as it is typed, and once the API refuses
 * it (`refused(errors)`), staff may tick "ship anyway". `ready` resolves to whether carriers
 * could be offered; `values()` are the input fields; `remember()` keeps the choice for the next.
 */
export function parcelLabelFields() {
  const carrier = select("carrierId", [], "", { required: true });
  const service = select("serviceId", [["", t("orders.anyService")]], "");
  const tracking = input({ name: "trackingNumber", required: true, maxlength: 80, autocomplete: "off", autocapitalize: "characters", spellcheck: "false" });
  const trackingField = field(t("orders.tracking"), tracking, { hint: t("orders.trackingHint") });
  const trackingHint = trackingField.querySelector(".field-hint");
  trackingHint.setAttribute("aria-live", "polite");
  // Offered once the API refuses the number: staff who know it is right ship it all the same.
  const anyway = h("input", { type: "checkbox", name: "acceptInvalidTrackingNumber" });
  const anywayField = h("label", { class: "field field-check field-wide ship-anyway", hidden: true }, anyway, t("orders.shipAnyway"));
  let carriers = [];
  const showServices = () => {
    const chosen = carriers.find((c) => c.id === carrier.value);
    service.replaceChildren(h("option", { value: "" }, t("orders.anyService")),
      ...(chosen?.services || []).filter((s) => s.active).map((s) => h("option", { value: s.id }, s.name)));
  };
  carrier.addEventListener("change", showServices);

  // The number is checked for the chosen carrier once typing pauses; only the latest answer
  // is drawn, so a slow answer for what was typed before never replaces a newer one.
  let checkTimer = 0;
  let checkSeq = 0;
  const showHint = (text, validity = "") => {
    trackingHint.textContent = text;
    trackingHint.dataset.validity = validity;
  };
  const checkNumber = () => {
    clearTimeout(checkTimer);
    const seq = ++checkSeq;
    const number = tracking.value.trim();
    if (!number) {
      showHint(t("orders.trackingHint"));
      return;
    }
    checkTimer = setTimeout(async () => {
      try {
        const info = (await gql(TRACKING_NUMBER_INFO, { number, carrierId: carrier.value || null })).trackingNumberInfo;
        if (seq === checkSeq) showHint(trackingHintText(info), info.carrierMismatch ? "MISMATCH" : info.validity);
      } catch {
        // The check only helps: shipping checks the number again anyway.
        if (seq === checkSeq) showHint(t("orders.trackingHint"));
      }
    }, CHECK_DELAY_MS);
  };
  // A refusal was about the number and carrier sent: a new choice needs a new decision.
  const withdrawOverride = () => {
    anyway.checked = false;
    anywayField.hidden = true;
  };
  tracking.addEventListener("input", () => {
    withdrawOverride();
    checkNumber();
  });
  carrier.addEventListener("change", () => {
    withdrawOverride();
    checkNumber();
  });

  const ready = gql(CARRIERS).then((data) => {
    carriers = data.carriers.nodes.filter((c) => c.active);
    carrier.replaceChildren(...carriers.map((c) => h("option", { value: c.id, selected: c.id === lastChoice.carrier }, c.name)));
    showServices();
    if ([...service.options].some((o) => o.value === lastChoice.service)) service.value = lastChoice.service;
    return carriers.length > 0;
  });
  return {
    nodes: [field(t("orders.carrier"), carrier), field(t("orders.service"), service, { optional: true }), trackingField, anywayField],
    ready,
    values: () => ({
      carrierId: carrier.value,
      serviceId: service.value || null,
      trackingNumber: tracking.value.trim(),
      acceptInvalidTrackingNumber: anyway.checked,
    }),
    refused(errors) {
      if (errors.some((e) => TRACKING_REFUSALS.has(e.code))) anywayField.hidden = false;
    },
    remember: () => Object.assign(lastChoice, { carrier: carrier.value, service: service.value }),
  };
}

function shipForm(order, reload) {
  const left = order.lines.map((l) => [l, l.quantity - l.quantityShipped]).filter(([, n]) => n > 0);
  const label = parcelLabelFields();
  const quantities = left.map(([line, n]) => {
    const control = input({ type: "number", name: `qty-${line.id}`, min: "0", max: String(n), step: "1", value: String(n), inputmode: "numeric",
      "aria-label": t("orders.inParcel", { sku: line.sku }), dataset: { line: line.id } });
    return h("div", { class: "field ship-line" },
      h("label", { for: control.id || (control.id = `ship-${line.id}`) }, h("span", { class: "mono" }, line.sku), " ", line.name,
        h("span", { class: "muted" }, ` · ${t("orders.left", { n })}`)),
      control);
  });
  const form = h("form", { class: "form order-ship-form", dataset: { edit: "" } },
    label.nodes,
    h("div", { class: "wide ship-lines" }, quantities),
    formActions(submitButton(t("orders.shipSubmit"))));
  // Nothing can ship before the carriers are known.
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  label.ready.then((any) => {
    if (!any) form.replaceWith(state(t("orders.noCarriers"), { error: true }));
    submit.disabled = false;
  }, (err) => form.prepend(state(err.message, { error: true })));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const controls = [...form.querySelectorAll("input[data-line]")];
    const parcel = controls.filter((c) => Number(c.value) > 0);
    if (!parcel.length) {
      showErrors(form, [{ message: t("orders.nothingChosen") }]);
      return;
    }
    const variables = {
      input: {
        orderId: order.id,
        ...label.values(),
        lines: parcel.map((c) => ({ orderLineId: c.dataset.line, quantity: Number(c.value) })),
      },
    };
    const payload = await runMutation(form, async () => {
      const data = await gql(SHIP, variables);
      label.refused(data.shipOrder.errors);
      // An error on `lines.<i>.…` belongs to the quantity of the i-th line sent.
      for (const err of data.shipOrder.errors) {
        if (err.field?.[0] === "lines" && parcel[Number(err.field[1])]) err.field = [parcel[Number(err.field[1])].name];
      }
      return data;
    });
    if (payload) {
      label.remember();
      delete form.dataset.unsaved;
      toast(t("orders.shippedNote", { tracking: payload.shipment?.trackingNumber || variables.input.trackingNumber }));
      await reload();
    }
  });
  return h("div", { class: "order-action" }, h("h3", {}, t("orders.ship")), h("p", { class: "muted" }, t("orders.shipHint")), form);
}

/**
 * Sends a parcel in trouble again (`reshipShipment`) in a dialog: carrier, service and tracking
 * number as the ship form asks for them, and why. Resolves to the payload when it was sent.
 */
export async function reshipDialog(parcel) {
  const label = parcelLabelFields();
  const reason = h("textarea", { class: "input", name: "note", maxlength: 500, rows: 2 });
  const body = h("div", { class: "form reship-form" },
    h("p", { class: "muted" }, t("orders.reshipWhat", { tracking: parcel.trackingNumber, lines: parcel.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ") })),
    label.nodes,
    field(t("orders.reshipWhy"), reason, { optional: true, wide: true }));
  label.ready.catch((err) => body.prepend(state(err.message, { error: true })));
  let sent = null;
  await confirmDialog({
    title: t("orders.reshipTitle"), body, confirmLabel: t("orders.reshipSubmit"),
    onConfirm: async (dialog) => {
      const form = dialog.querySelector("form");
      const variables = { input: { shipmentId: parcel.id, ...label.values(), note: reason.value.trim() } };
      const payload = await runMutation(form, async () => {
        const data = await gql(RESHIP, variables);
        label.refused(data.reshipShipment.errors);
        return data;
      });
      if (!payload) return false;
      label.remember();
      sent = payload;
      return true;
    },
  });
  if (sent) toast(t("orders.reshipped", { tracking: sent.shipment?.trackingNumber || "" }));
  return sent;
}

/** The panel of what can be done next, by the order's status. */
export function actionsPanel(order, reload) {
  const parts = [];
  const buttons = [];
  if (order.status === "PENDING_PAYMENT") parts.push(bankTransferForm(order, reload));
  if (order.status === "PENDING_SHIPMENT") parts.push(shipForm(order, reload));
  if (order.status === "SHIPPED") buttons.push(stepButton(t("orders.deliver"), t("orders.deliverAsk"), DELIVER, order, reload));
  if (order.status === "DELIVERED") buttons.push(stepButton(t("orders.complete"), t("orders.completeAsk"), COMPLETE, order, reload));
  if (order.canCancel) buttons.push(cancelButton(order, reload));
  if (!parts.length && !buttons.length) return panel(t("orders.actions"), state(t("orders.noActions")), { attrs: { class: "panel order-actions" } });
  return panel(t("orders.actions"), [parts, buttons.length ? h("div", { class: "actions order-buttons" }, buttons) : null],
    { attrs: { class: "panel order-actions" } });
}

/** Refunds part or all of a payment, in the payment's currency; by hand for a bank transfer. */
export async function refundDialog(order, payment, reload) {
  const currency = payment.amount.currency;
  const left = (Number(payment.amountReceived.amount) - Number(payment.amountRefunded.amount)).toString();
  const max = money({ amount: left, currency });
  const byHand = payment.method === "bank_transfer";
  const shop = order.totalInShopCurrency.currency;
  const body = h("div", { class: "form" },
    field(t("orders.refundAmount", { currency }), decimal({ name: "amount", required: true, value: left }), { hint: t("orders.refundAmountHint", { max }) }),
    field(t("orders.reason"), input({ name: "reason", required: true, maxlength: 300 })),
    byHand ? field(t("orders.amountSent", { currency: shop }), decimal({ name: "amountSent" }), { optional: true, hint: t("orders.amountSentHint") }) : null);
  const done = await confirmDialog({
    title: t("orders.refundTitle"), body, confirmLabel: t("orders.refund"), danger: true,
    onConfirm: async (dialog) => {
      const form = dialog.querySelector("form");
      const values = { paymentId: payment.id, ...given(form, ["amount", "reason", "amountSent"]) };
      values.reason ||= "";
      return !!(await runMutation(form, () => gql(REFUND, { input: values })));
    },
  });
  if (done) {
    toast(t("orders.refundDone"));
    await reload();
  }
}

/** The form that adds a note to the timeline; staff only unless unticked. */
export function noteForm(order, reload) {
  const form = h("form", { class: "form order-note-form", dataset: { edit: "" } },
    field(t("orders.noteText"), h("textarea", { class: "input", name: "message", required: true, maxlength: 500, rows: 2 }), { wide: true }),
    h("label", { class: "field field-check field-wide" }, h("input", { type: "checkbox", name: "internal", checked: true }), t("orders.noteInternal")),
    formActions(submitButton(t("orders.addNote"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = { orderId: order.id, message: form.elements.message.value.trim(), internal: form.elements.internal.checked };
    if (await mutate(form, NOTE, { input: values })) {
      form.reset();
      toast(t("orders.noteAdded"));
      await reload();
    }
  });
  return form;
}
