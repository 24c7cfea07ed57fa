// Returns and cancellation on the order page: the order's returns with their status,
// instructions, label and timeline; "Return items" (lines and units, a reason, a note,
// photos, and a refund, store credit or an exchange for another variant); and "Cancel
// order" while the order has not shipped. Kept across the page's redraws, so a form being
// filled in survives the live updates.

import { h } from "../lib/dom.js";
import { clearErrors, field, formActions, showErrors, submitButton } from "../lib/forms.js";
import { formatDate, formatDateTime, t, uiLocale } from "../lib/i18n.js";
import { gql, mutate, upload } from "../shop/api.js";
import { MONEY, isZero } from "../shop/money.js";
import { panel } from "../shop/ui.js";

/** What the order page reads of an order's returns, lines' standing and cancellation. */
export const ORDER_RETURN_FIELDS = `
  returnableLines {
    orderLineId name variantName quantity returnableQuantity reason reasonMessage windowEndsAt
    exchangeOptions { variantId name available }
  }
  returns {
    id number status resolution reason note declineReason instructions labelReference keepItems
    createdAt version lines { orderLineId name variantName quantity }
    timeline { id toStatus message createdAt }
    outcome { status refund { ${MONEY} } storeCredit { ${MONEY} } exchangeOrderNumber }
  }
  cancellationRequest { id status declineReason }`;

const REASONS_QUERY = `query ReturnReasons { returnReasons { id name needsPhoto } }`;
const REQUEST_RETURN = `
mutation RequestReturn($input: RequestReturnInput!) {
  requestReturn(input: $input) { return { id number status } errors { field code message } }
}`;
const CANCEL_RETURN = `
mutation CancelReturn($input: CancelReturnInput!) {
  cancelReturn(input: $input) { return { id status } errors { field code message } }
}`;
const REQUEST_CANCELLATION = `
mutation RequestOrderCancellation($input: RequestOrderCancellationInput!) {
  requestOrderCancellation(input: $input) {
    cancellationRequest { id status } order { status } errors { field code message }
  }
}`;
const MAX_PHOTOS = 5;
const CANCELLABLE = new Set(["PENDING_PAYMENT", "PENDING_SHIPMENT"]);
const WITHDRAWABLE = new Set(["REQUESTED", "APPROVED"]);
const RESOLUTIONS = ["REFUND", "STORE_CREDIT", "EXCHANGE"];

// The shop's reasons, read once per page load; an empty list when it offers none.
let reasons = null;
async function loadReasons() {
  if (reasons) return reasons;
  try {
    reasons = (await gql(REASONS_QUERY, {}, uiLocale)).returnReasons || [];
  } catch {
    reasons = []; // a shop without reasons takes returns without one
  }
  return reasons;
}

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/**
 * The returns part of order `number`'s page. `update(order)` redraws it from the order as
 * read (its `full` fields); `onChanged()` is called after a change this part made;
 * `orderLink(number)`, when given, is the address of another of the shopper's orders.
 */
export function returnsSection(number, { accessToken = null, orderLink = null, onChanged }) {
  const root = h("div", { class: "returns-part" });
  let form = null; // the open "Return items" form, kept across redraws
  let order = null;

  const withToken = (fields) => (accessToken ? { ...fields, accessToken } : fields);

  const cancelBlock = () => {
    const request = order.cancellationRequest;
    if (request?.status === "REQUESTED") return h("p", { class: "notice cancel-pending" }, t("returns.cancelPending"));
    const declined = request?.status === "DECLINED"
      ? h("p", { class: "notice" }, t("returns.cancelDeclined", { reason: request.declineReason || "" }))
      : null;
    if (!CANCELLABLE.has(order.status) || (order.shipments || []).length) return declined;
    const block = h("div", { class: "cancel-order" }, declined);
    block.append(h("button", {
      type: "button",
      class: "button button-secondary",
      onclick: async () => {
        if (!confirm(t("returns.cancelConfirm"))) return;
        const payload = await mutate(block, REQUEST_CANCELLATION, { input: withToken({ orderNumber: number }) });
        if (payload) onChanged();
      },
    }, t("returns.cancelOrder")));
    return block;
  };

  const returnCard = (ret) => h("li", { class: "return-card", "data-return": ret.number },
    h("div", { class: "return-head" },
      h("strong", {}, t("returns.number", { number: ret.number })),
      h("span", { class: `badge return-status status-${ret.status.toLowerCase()}` }, t(`returns.status.${ret.status}`))),
    h("p", { class: "row-note" }, t(`returns.resolution.${ret.resolution}`), ret.reason ? ` · ${ret.reason}` : ""),
    h("ul", { class: "return-lines" }, ret.lines.map((l) =>
      h("li", {}, [l.name, l.variantName].filter(Boolean).join(" · "), ` × ${l.quantity.toLocaleString(uiLocale)}`))),
    ret.declineReason ? h("p", { class: "form-alert" }, t("returns.declinedBecause", { reason: ret.declineReason })) : null,
    ret.keepItems ? h("p", { class: "notice" }, t("returns.keepItems")) : null,
    outcomeBlock(ret.outcome),
    ret.instructions ? h("div", { class: "return-instructions" },
      h("p", { class: "row-main" }, t("returns.instructions")),
      ret.instructions.split("\n").map((line) => h("p", {}, line))) : null,
    ret.labelReference ? h("p", { class: "return-label" }, t("returns.label"), ": ",
      /^https:\/\//.test(ret.labelReference)
        ? h("a", { href: ret.labelReference, target: "_blank", rel: "noopener noreferrer" }, ret.labelReference)
        : ret.labelReference) : null,
    h("ol", { class: "timeline return-timeline" }, [...ret.timeline].reverse().map((e) =>
      h("li", { class: "timeline-entry" },
        h("span", { class: "row-main" }, e.toStatus ? t(`returns.status.${e.toStatus}`) : e.message),
        h("time", { class: "row-date", datetime: e.createdAt }, formatDateTime(e.createdAt))))),
    WITHDRAWABLE.has(ret.status) ? h("button", {
      type: "button",
      class: "button button-secondary",
      onclick: async (e) => {
        const card = e.target.closest(".return-card");
        const payload = await mutate(card, CANCEL_RETURN, { input: withToken({ returnId: ret.id, version: ret.version }) });
        if (payload) onChanged();
      },
    }, t("returns.withdraw")) : null);

  // What a carried-out return gave back: the refund, the store credit, the replacement order.
  const outcomeBlock = (outcome) => {
    if (outcome?.status !== "DONE") return null;
    const swap = outcome.exchangeOrderNumber;
    return h("div", { class: "return-outcome" },
      isZero(outcome.refund) ? null : h("p", { class: "return-refund" }, t("returns.refunded", { amount: outcome.refund.formatted })),
      isZero(outcome.storeCredit) ? null : h("p", { class: "return-credit" }, t("returns.credited", { amount: outcome.storeCredit.formatted })),
      swap ? h("p", { class: "return-exchange" }, t("returns.replacement"), " ",
        orderLink ? h("a", { href: orderLink(swap) }, swap) : h("strong", {}, swap)) : null);
  };

  const lineRow = (line) => {
    const returnable = line.returnableQuantity > 0;
    const options = [["0", "0"]];
    for (let n = 1; n <= line.returnableQuantity; n++) options.push([String(n), n.toLocaleString(uiLocale)]);
    const name = [line.name, line.variantName].filter(Boolean).join(" · ");
    return h("li", { class: `return-line${returnable ? "" : " is-disabled"}`, "data-line": line.orderLineId },
      h("span", { class: "row-main" }, name,
        returnable
          ? (line.windowEndsAt ? h("span", { class: "row-note" }, t("returns.windowEnds", { date: formatDate(line.windowEndsAt) })) : null)
          : h("span", { class: "row-note return-why" }, t(`returns.why.${line.reason}`, { date: line.windowEndsAt ? formatDate(line.windowEndsAt) : "" }))),
      returnable ? field(t("returns.quantity"), h("select", { class: "input", name: "quantity", "data-line": line.orderLineId },
        options.map(([v, label]) => h("option", { value: v }, label)))) : null,
      returnable && line.exchangeOptions.length ? field(t("returns.exchangeFor"), h("select", { class: "input exchange-pick", name: "exchangeVariantId", "data-line": line.orderLineId },
        line.exchangeOptions.map((o) => h("option", { value: o.variantId, disabled: !o.available }, o.available ? o.name : `${o.name} (${t("outOfStock")})`)))) : null);
  };

  const openForm = async () => {
    const shopReasons = await loadReasons();
    const key = newKey(); // one per form: a retried submit makes one return
    const photos = h("input", { class: "input", type: "file", name: "photos", accept: "image/jpeg,image/png,image/webp,image/gif", multiple: true });
    form = h("form", {
      class: "form return-form",
      onsubmit: async (e) => {
        e.preventDefault();
        clearErrors(form);
        const lines = [];
        for (const select of form.querySelectorAll("select[name=quantity]")) {
          const quantity = Number(select.value);
          if (!quantity) continue;
          const line = { orderLineId: select.dataset.line, quantity };
          const resolution = form.querySelector("[name=resolution]:checked").value;
          if (resolution === "EXCHANGE") {
            line.exchangeVariantId = form.querySelector(`select[name=exchangeVariantId][data-line="${CSS.escape(select.dataset.line)}"]`)?.value || null;
          }
          lines.push(line);
        }
        if (!lines.length) return showErrors(form, [{ message: t("returns.chooseItems") }]);
        const files = [...photos.files];
        if (files.length > MAX_PHOTOS) return showErrors(form, [{ field: ["photos"], message: t("returns.tooManyPhotos", { n: MAX_PHOTOS }) }]);
        const reasonId = form.querySelector("[name=reasonId]")?.value || null;
        const input = withToken({
          orderNumber: number,
          lines,
          resolution: form.querySelector("[name=resolution]:checked").value,
          reasonId,
          note: form.querySelector("[name=note]").value.trim(),
          idempotencyKey: key,
          photos: files.map(() => null),
        });
        const sent = await send(input, files);
        if (sent) {
          form = null;
          onChanged();
        }
      },
    },
    h("p", { class: "form-intro" }, t("returns.intro")),
    h("ul", { class: "rows return-lines-pick" }, order.returnableLines.map(lineRow)),
    shopReasons.length ? field(t("returns.reason"), h("select", { class: "input", name: "reasonId", required: true },
      h("option", { value: "" }, t("returns.pickReason")),
      shopReasons.map((r) => h("option", { value: r.id }, r.name)))) : null,
    h("fieldset", { class: "field return-resolution" },
      h("legend", {}, t("returns.want")),
      RESOLUTIONS.map((value, i) => h("label", { class: "choice" },
        h("input", { type: "radio", name: "resolution", value, checked: i === 0 }), " ", t(`returns.resolution.${value}`)))),
    field(t("returns.note"), h("textarea", { class: "input", name: "note", maxlength: 1000, rows: 3 }), { optional: true }),
    field(t("returns.photos"), photos, { optional: true, hint: t("returns.photosHint", { n: MAX_PHOTOS }) }),
    formActions(submitButton(t("returns.submit")),
      h("button", { type: "button", class: "button button-secondary", onclick: () => { form = null; draw(); } }, t("returns.close"))));
    draw();
    form.querySelector("select")?.focus();
  };

  // Sends the request (with its photos as a multipart upload); true once the return exists.
  const send = async (input, files) => {
    clearErrors(form);
    const done = [...form.querySelectorAll("button")];
    for (const b of done) b.disabled = true;
    try {
      const data = files.length
        ? await upload(REQUEST_RETURN, { input }, Object.fromEntries(files.map((f, i) => [`variables.input.photos.${i}`, f])))
        : await gql(REQUEST_RETURN, { input: { ...input, photos: [] } }, uiLocale);
      const payload = data.requestReturn;
      if (payload.errors.length) {
        showErrors(form, payload.errors);
        return false;
      }
      return true;
    } catch (err) {
      showErrors(form, [{ message: err.message }]);
      return false;
    } finally {
      for (const b of done) b.disabled = false;
    }
  };

  const draw = () => {
    if (!order) return;
    const returns = order.returns || [];
    const canReturn = (order.returnableLines || []).some((l) => l.returnableQuantity > 0);
    root.replaceChildren(panel("returns", t("returns.title"),
      cancelBlock(),
      returns.length ? h("ul", { class: "return-cards" }, returns.map(returnCard)) : null,
      form || (canReturn
        ? h("button", { type: "button", class: "button", onclick: openForm }, t("returns.start"))
        : !returns.length ? h("p", { class: "muted" }, t("returns.none")) : null)));
  };

  return {
    root,
    update(next) {
      order = next;
      draw();
    },
  };
}
