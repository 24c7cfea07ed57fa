// One order's page: its summary, lines in the shopper's and the shop's currency, totals,
// parcels (one in trouble may be sent again; replacements link to the parcel they replace;
// each prints its customs declaration and commercial invoice), the shopper's open request to
// cancel (approve or decline),
// payments with their refunds, the timeline with notes, and the actions its status allows.
// It follows the order live: a status change reads the order again.

import { h } from "../../../lib/dom.js";
import { countryName, hasMessage, t } from "../../../lib/i18n.js";
import { gql, live } from "../../api.js";
import { href } from "../../routes.js";
import { badge, button, facts, pageHead, panel, state, toast } from "../../ui/page.js";
import { dateTime, methodName, money, number } from "../../ui/format.js";
import { actionsPanel, noteForm, refundDialog, reshipDialog } from "./actions.js";
import { cancellationPanel } from "./cancellation.js";
import { customsPanel, customsTotals } from "./customs.js";
import { ORDER, ORDER_CHANGED } from "./documents.js";
import { papersButtons } from "./papers.js";
import { outcomeToggle } from "../returns/outcome.js";

const table = (head, rows, attrs = {}) =>
  h("div", { class: "table-wrap" }, h("table", { class: "data", ...attrs },
    h("thead", {}, h("tr", {}, head.map(([label, num]) => h("th", { scope: "col", class: num ? "num" : null }, label)))),
    h("tbody", {}, rows)));

const td = (content, num = false) => h("td", { class: num ? "num" : null }, content);

function summary(o) {
  const a = o.shippingAddress;
  const address = [a.fullName, a.company, a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(" "), a.region,
    a.country ? countryName(a.country) : "", a.phone].filter(Boolean);
  const customer = o.customer
    ? h("a", { href: href("customers", [o.customer.id]) }, o.customer.nickname || o.customer.email || o.email)
    : t("orders.guest");
  const rate = o.total.currency === o.totalInShopCurrency.currency ? null
    : t("orders.rateValue", { shop: o.totalInShopCurrency.currency, rate: o.exchangeRate, paid: o.total.currency, source: o.rateSource });
  return panel(t("orders.summary"), h("div", { class: "columns order-summary" },
    facts([
      [t("orders.placedAt"), dateTime(o.placedAt)],
      [t("orders.paidAt"), o.paidAt ? dateTime(o.paidAt) : null],
      [t("orders.shippedAt"), o.shippedAt ? dateTime(o.shippedAt) : null],
      [t("orders.deliveredAt"), o.deliveredAt ? dateTime(o.deliveredAt) : null],
      [t("orders.completedAt"), o.completedAt ? dateTime(o.completedAt) : null],
      [t("orders.cancelledAt"), o.cancelledAt ? dateTime(o.cancelledAt) : null],
      [t("orders.cancelReason"), o.cancelReason],
      [t("orders.member"), customer],
      [t("orders.email"), o.email],
      [t("orders.phone"), o.phone],
    ]),
    facts([
      [t("orders.address"), h("span", { class: "order-address" }, address.flatMap((line, i) => (i ? [h("br"), line] : [line])))],
      [t("orders.shippingMethod"), o.shippingMethod || null],
      [t("orders.coupon"), o.couponCode],
      [t("orders.points"), o.pointsRedeemed ? number(o.pointsRedeemed) : null],
      [t("orders.rate"), rate],
    ])));
}

function lines(o) {
  const shop = o.totalInShopCurrency.currency;
  const two = o.total.currency !== shop;
  const head = [[t("orders.sku")], [t("orders.product")], [t("orders.qty"), true], [t("orders.shipped"), true],
    [t("orders.unitPrice"), true], [t("orders.lineTotal"), true], two ? [t("orders.inShop", { currency: shop }), true] : null].filter(Boolean);
  const rows = o.lines.map((l) => h("tr", { dataset: { sku: l.sku } },
    td(h("span", { class: "mono" }, l.sku)),
    td([l.name, l.variantName ? h("span", { class: "muted" }, ` · ${l.variantName}`) : null]),
    td(number(l.quantity), true), td(number(l.quantityShipped), true),
    td(money(l.unitPrice), true), td(money(l.lineTotal), true),
    two ? td(money(l.lineTotalInShopCurrency), true) : null));
  const totals = [
    [t("orders.subtotal"), o.subtotal, o.subtotalInShopCurrency],
    [t("orders.discount"), o.discountTotal, o.discountTotalInShopCurrency],
    [t("orders.shipping"), o.shippingTotal, o.shippingTotalInShopCurrency],
    ...customsTotals(o),
    [t("orders.total"), o.total, o.totalInShopCurrency],
  ];
  const totalsTable = table(
    [["", false], [t("orders.paidCurrency", { currency: o.total.currency }), true], two ? [t("orders.shopCurrency", { currency: shop }), true] : null].filter(Boolean),
    [
      ...totals.map(([label, paid, inShop]) => h("tr", {}, h("th", { scope: "row" }, label), td(money(paid), true), two ? td(money(inShop), true) : null)),
      Number(o.refundedInShopCurrency.amount) ? h("tr", {}, h("th", { scope: "row" }, t("orders.refunded")), two ? td("", true) : null, td(money(o.refundedInShopCurrency), true)) : null,
    ],
    { class: "data order-totals" });
  return panel(t("orders.lines"), [table(head, rows, { class: "data order-lines" }), totalsTable]);
}

/** Whether staff may send a parcel again: in trouble (waiting, or handled while its trouble
 * lasts, since a new status clears the mark) and not sent again already. */
const reshippable = (o, s) => (s.needsAttention || !!s.handledAt) && !o.shipments.some((x) => x.replacementForId === s.id);

/** A link to another parcel of the page, which scrolls to it. */
function parcelLink(o, id, text) {
  return h("a", { href: href("orders", [o.id]), class: "parcel-link", onclick: (e) => {
    e.preventDefault();
    document.querySelector(`.order-parcel[data-shipment="${CSS.escape(id)}"]`)?.scrollIntoView({ block: "center" });
  } }, text);
}

function shipments(o, reload) {
  if (!o.shipments.length) return panel(t("orders.shipments"), state(t("orders.noShipments")));
  const byId = new Map(o.shipments.map((s) => [s.id, s]));
  return panel(t("orders.shipments"), h("ul", { class: "order-parcels" }, o.shipments.map((s) => {
    const replaces = s.replacementForId ? byId.get(s.replacementForId) : null;
    const replacedBy = o.shipments.find((x) => x.replacementForId === s.id);
    return h("li", { class: "order-parcel", dataset: { tracking: s.trackingNumber, shipment: s.id } },
      h("div", {}, h("strong", {}, [s.carrierName, s.serviceName].filter(Boolean).join(" · ")), " ",
        s.trackingUrl ? h("a", { href: s.trackingUrl, target: "_blank", rel: "noopener" }, s.trackingNumber) : h("span", { class: "mono" }, s.trackingNumber),
        " ", badge(s.trackingStatus, { label: t(`tracking.${s.trackingStatus}`) }),
        s.needsAttention ? [" ", badge("ATTENTION", { label: t("tracking.attention"), tone: "bad" })] : null,
        s.handledAt && !s.needsAttention ? [" ", badge("HANDLED", { label: t("tracking.handled"), tone: "neutral" })] : null,
        reshippable(o, s) ? [" ", button(t("orders.reship"), async () => {
          if (await reshipDialog(s)) await reload();
        }, { kind: "secondary button-small" })] : null),
      replaces ? h("div", { class: "parcel-replacement" }, parcelLink(o, replaces.id, t("tracking.replacementFor", { tracking: replaces.trackingNumber }))) : null,
      replacedBy ? h("div", { class: "parcel-replaced" }, parcelLink(o, replacedBy.id, t("tracking.replacedBy", { tracking: replacedBy.trackingNumber }))) : null,
      h("div", { class: "muted" }, dateTime(s.shippedAt),
        s.estimatedDelivery ? ` · ${t("tracking.estimated", { date: s.estimatedDelivery })}` : null),
      h("div", {}, s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")),
      papersButtons(s),
      trackingTimeline(s));
  })));
}

// A parcel's tracking events, newest first, as the carrier reported them.
function trackingTimeline(s) {
  if (!s.trackingEvents.length) return null;
  const place = (e) => e.location ? [e.location.city, e.location.country && countryName(e.location.country)].filter(Boolean).join(", ") : "";
  return h("ol", { class: "tracking-events", reversed: true }, [...s.trackingEvents].reverse().map((e) =>
    h("li", { dataset: { status: e.status } },
      h("span", { class: "muted" }, dateTime(e.occurredAt)), " ",
      h("strong", {}, t(`tracking.${e.status}`)), e.message ? ` · ${e.message}` : "",
      place(e) ? h("span", { class: "muted" }, ` · ${place(e)}`) : null)));
}

/** How an attempt pays: its method, and the gateway when it is not the method's own
 * ("Alipay through Stripe"). */
function paidWith(p) {
  const method = methodName(p.method);
  const own = p.gateway.toLowerCase() === p.method || p.gateway === "BANK_TRANSFER";
  if (own || !hasMessage(`payGateway.${p.gateway}`)) return method;
  return t("payThrough", { method, gateway: t(`payGateway.${p.gateway}`) });
}

function payments(o, reload) {
  if (!o.payments.length) return panel(t("orders.payments"), state(t("orders.noPayments")));
  return panel(t("orders.payments"), o.payments.map((p) => {
    const left = Number(p.amountReceived.amount) - Number(p.amountRefunded.amount);
    const refundable = p.status === "SUCCEEDED" && left > 0;
    return h("div", { class: "order-payment", dataset: { payment: p.id, method: p.method } },
      h("div", { class: "order-payment-head" },
        h("strong", {}, `${t("orders.attempt", { n: p.attempt })} · ${paidWith(p)}`), " ", badge(p.status),
        refundable ? button(t("orders.refund"), () => refundDialog(o, p, reload), { kind: "secondary button-small" }) : null),
      facts([
        [t("orders.total"), money(p.amount)],
        [t("orders.received.short"), Number(p.amountReceived.amount) ? money(p.amountReceived) : null],
        [t("orders.refundedShort"), Number(p.amountRefunded.amount) ? money(p.amountRefunded) : null],
        [t("orders.paidAt"), p.succeededAt ? dateTime(p.succeededAt) : null],
        [t("orders.problem"), p.failureMessage || p.flaggedReason || null],
      ]),
      p.refunds.length ? h("ul", { class: "order-refunds", "aria-label": t("orders.refunds") }, p.refunds.map((r) =>
        h("li", {}, money(r.amount), " ", badge(r.status), " ", h("span", { class: "muted" }, `${dateTime(r.createdAt)} · ${r.reason}`),
          r.failureMessage ? h("span", { class: "state-error" }, ` ${r.failureMessage}`) : null))) : null);
  }));
}

// The order's returns, each with its outcome panel one click away.
function returnsPanel(o, reload) {
  if (!o.returns?.length) return null;
  return panel(t("orders.returns"), h("ul", { class: "order-returns" }, o.returns.map((r) =>
    h("li", { class: "order-return", dataset: { return: r.number } },
      h("div", {}, h("strong", {}, r.number), " ", badge(r.status, { label: t(`orders.return.${r.status}`) }), " ",
        h("span", { class: "muted" }, dateTime(r.createdAt))),
      outcomeToggle(r, reload)))));
}

function timeline(o, reload) {
  const events = [...o.timeline].reverse();
  return panel(t("orders.timeline"), [
    noteForm(o, reload),
    h("ol", { class: "order-timeline" }, events.map((e) =>
      h("li", { dataset: { kind: e.kind } },
        h("div", { class: "order-event-head" },
          h("strong", {}, t(`orders.kind.${e.kind}`)), " ",
          e.toStatus ? badge(e.toStatus) : null, " ",
          e.internal ? badge("INTERNAL", { label: t("orders.internal"), tone: "warn" }) : null, " ",
          h("span", { class: "muted" }, `${dateTime(e.createdAt)} · ${t("orders.by", { actor: e.actor })}`)),
        e.message ? h("p", { class: "order-event-text" }, e.message) : null))),
  ]);
}

export async function showOrder(view, ctx) {
  const id = ctx.segments[0];
  const head = h("div");
  const body = h("div", { class: "order-page" });
  view.replaceChildren(head, body, state(t("loading")));
  let shown = null;
  // Reads overlap (a live change arrives while an action's reload is under way): only the
  // latest read is drawn, so a late older answer never undoes a newer status.
  let reads = 0;

  async function load() {
    const read = ++reads;
    let order;
    try {
      order = (await gql(ORDER, { id })).order;
    } catch (err) {
      if (!ctx.current() || read !== reads) return;
      view.replaceChildren(head, state(t("screen.failed", { message: err.message }), { error: true }));
      return;
    }
    if (!ctx.current() || read !== reads) return shown;
    if (!order) {
      view.replaceChildren(pageHead(t("orders.notFound"), { crumb: [href("orders"), t("orders.back")] }));
      return;
    }
    draw(order);
    return order;
  }

  function draw(o) {
    // The note form and an action form being filled in keep what was typed.
    const keepNote = body.querySelector(".order-note-form[data-unsaved]");
    const keepActions = shown && shown.status === o.status ? body.querySelector(".order-actions form[data-unsaved]")?.closest(".order-actions") : null;
    head.replaceChildren(pageHead(t("orders.heading", { number: o.number }), {
      crumb: [href("orders"), t("orders.back")],
      actions: [badge(o.status)],
    }));
    const actions = keepActions || actionsPanel(o, reload);
    const tl = timeline(o, reload);
    if (keepNote) tl.querySelector(".order-note-form").replaceWith(keepNote);
    body.replaceChildren(
      h("div", { class: "order-grid" },
        h("div", { class: "order-main" }, cancellationPanel(o, reload), actions, lines(o), returnsPanel(o, reload), customsPanel(o), shipments(o, reload)),
        h("div", { class: "order-side" }, summary(o), payments(o, reload), tl)));
    view.replaceChildren(head, body);
    shown = o;
  }

  async function reload() {
    return load();
  }

  const first = await load();
  if (!first) return;
  live(ORDER_CHANGED, { number: first.number }, async (data) => {
    const change = data?.orderStatusChanged;
    await load();
    if (change && change.kind !== "CURRENT") toast(t("orders.changed", { status: t(`status.${change.status}`) }));
  }, ctx.onLeave);
}
