// The order page: thanks after placing it, its progress, payment step, shipments, timeline
// and totals, followed live over a subscription (or checked every minute when the API will
// not stream it to this viewer); and the lookup of a guest order by its email.

import { $, fill, h } from "../lib/dom.js";
import { field, formActions, formValues, input, showErrors, submitButton } from "../lib/forms.js";
import { errorWithCode, hasCode } from "../lib/graphql.js";
import { formatDate, formatDateTime, formatTime, t, uiLocale } from "../lib/i18n.js";
import { addressLines } from "../shop/address.js";
import { openChat } from "../shop/chat.js";
import { client, gql, signedIn } from "../shop/api.js";
import { customsTotalsRows, orderCustoms } from "../shop/customs.js";
import { isZero, negative, rateText, totalsRow } from "../shop/money.js";
import {
  ORDER_FIELDS, SHIPMENT_FIELDS, checkoutDraft, forgetOrderToken, orderEmail, orderToken, placedOrder, rememberOrderEmail,
} from "../shop/orders.js";
import { listHref, orderHref, pageHref } from "../shop/routes.js";
import { TRACKED_FIELDS, parcelTracking, trackingLabel } from "../shop/tracking.js";
import { authCard, backLink, errorBox, loadingBlock, panel } from "../shop/ui.js";
import { paymentPanel } from "./payment.js";
import { ORDER_RETURN_FIELDS, returnsSection } from "./returns.js";

const ORDER_QUERY = `query Order($number: String!, $accessToken: String) { order(number: $number, accessToken: $accessToken) { ${ORDER_FIELDS} ${ORDER_RETURN_FIELDS} } }`;
const LOOKUP_QUERY = `
query OrderLookup($number: String!, $email: String!) {
  orderLookup(number: $number, email: $email) {
    number status placedAt shipments { carrierName trackingNumber trackingUrl shippedAt deliveredAt ${TRACKED_FIELDS} }
  }
}`;
const ORDER_SUBSCRIPTION = `
subscription OrderStatus($number: String!, $accessToken: String) {
  orderStatusChanged(number: $number, accessToken: $accessToken) { kind number status previousStatus at }
}`;
const TRACKING_SUBSCRIPTION = `
subscription ShipmentTracking($number: String!, $accessToken: String) {
  shipmentTracking(number: $number, accessToken: $accessToken) { kind shipmentId shipment { ${SHIPMENT_FIELDS} } }
}`;
const RETURNS_SUBSCRIPTION = `
subscription OrderReturns($number: String!, $accessToken: String) {
  orderReturnChanged(number: $number, accessToken: $accessToken) { number status }
}`;
const POLL_SECONDS = 60;
const STEPS = ["PENDING_PAYMENT", "PENDING_SHIPMENT", "SHIPPED", "DELIVERED"];

// The live updates of the order page shown, stopped whenever the page changes.
let orderWatch = null;

/** Stops following the order shown: another page is shown. */
export function stopOrderWatch() {
  orderWatch?.stop();
  orderWatch = null;
}

/** The page of order `number`: in full for its member or a guest with its token, else by lookup. */
export async function showOrder(view, state, current, number) {
  document.title = `${t("orderNumber", { number })} · Tradewind`;
  const placed = new URLSearchParams(location.hash.split("?")[1] || "").get("placed") === "1";
  fill(view, loadingBlock());
  const member = signedIn();
  if (!member && !orderEmail(number) && !orderToken(number)) return renderLookupForm(view, state, current, number);

  // A member reads their own order in full, and so does a guest holding the order's access
  // token; anyone else looks it up by number and email, which tells where it is and nothing more.
  const fetchOrder = async () => {
    const accessToken = orderToken(number);
    if (accessToken) {
      try {
        const order = (await gql(ORDER_QUERY, { number, accessToken }, uiLocale)).order;
        if (order) return { ...order, full: true, accessToken };
      } catch (err) {
        if (!hasCode(err, "FORBIDDEN")) throw err;
        forgetOrderToken(number); // expired or replaced: fall back to the lookup
      }
    }
    if (member) {
      const order = (await gql(ORDER_QUERY, { number }, uiLocale)).order;
      if (order) return { ...order, full: true };
    }
    const email = orderEmail(number);
    if (!email) return null;
    const tracking = (await gql(LOOKUP_QUERY, { number, email }, uiLocale)).orderLookup;
    const snapshot = placedOrder(number);
    return tracking ? { ...(snapshot || {}), ...tracking, full: false, snapshot: !!snapshot } : null;
  };

  let order;
  try {
    order = await fetchOrder();
  } catch (err) {
    if (!current()) return;
    if (rateLimited(err)) return renderLookupForm(view, state, current, number, [lookupProblem(err)]);
    fill(view, errorBox(err, () => showOrder(view, state, current, number)));
    return;
  }
  if (!current()) return;
  if (!order) {
    const tried = orderEmail(number);
    if (tried) rememberOrderEmail(number, "");
    return renderLookupForm(view, state, current, number, tried ? [{ field: ["email"], message: t("lookupNoMatch") }] : []);
  }

  const live = h("p", { class: "live-note", role: "status" });
  let lastStatus = order.status;
  // The payment step, kept across redraws; a guest proves the order is theirs with its email.
  const payment = order.status === "PENDING_PAYMENT"
    ? paymentPanel(number, { email: order.accessToken ? order.email : order.full ? null : orderEmail(number), total: (order.amountDue || order.total)?.formatted, onPaid: () => afterPayment() })
    : null;
  // Returns and cancellation, for whoever reads the order in full; kept across redraws.
  const returns = order.full ? returnsSection(number, {
    accessToken: order.accessToken || null,
    // A member opens the replacement of an exchange from here; a guest has no token for it.
    orderLink: order.accessToken ? null : (other) => orderHref(other, state),
    onChanged: () => refresh(),
  }) : null;
  const draw = () => {
    returns?.update(order);
    // A payment this page saw "processing", or whose QR code it shows, went through once the
    // order moved on.
    if (["paid", "waiting"].includes(payment?.dataset.state) && !["PENDING_PAYMENT", "CANCELLED"].includes(order.status)) payment.markPaid();
    const focused = document.activeElement && view.contains(document.activeElement) ? document.activeElement.id : null;
    fill(view, renderOrder(order, state, { placed, live, payment, returns }));
    if (focused) $(focused)?.focus({ preventScroll: true });
  };
  draw();

  // Reads overlap (an event arrives while the payment step still looks): only the answer to
  // the latest read is drawn, so an older one arriving late never undoes a newer status.
  let reads = 0;
  const refresh = async () => {
    const read = ++reads;
    try {
      const next = await fetchOrder();
      if (!current() || !next || read !== reads) return;
      order = next;
      draw();
      if (order.status !== lastStatus) {
        live.textContent = t("statusNow", { status: t(`status.${order.status}`) });
        lastStatus = order.status;
      }
    } catch (err) {
      if (rateLimited(err)) throw err;
    }
  };

  // The order turns PENDING_SHIPMENT once the provider's notification is processed, which
  // may come a moment after the payment's answer: look again a few times until it has.
  const afterPayment = async () => {
    for (const wait of [0, 1000, 2000, 4000, 8000]) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (!current() || order.status !== "PENDING_PAYMENT") return;
      await refresh().catch(() => {});
    }
  };

  stopOrderWatch();
  if (order.full) {
    // Events over WebSocket; polling when the API will not stream this order to the viewer.
    let tracking = null;
    let returnWatch = null;
    const watch = { stop: () => { subscription.stop(); tracking?.stop(); returnWatch?.stop(); } };
    const subscription = client.subscribe(ORDER_SUBSCRIPTION, { number, accessToken: order.accessToken || null }, {
      anonymous: !!order.accessToken,
      onData: () => refresh(),
      onState: (s) => {
        live.dataset.state = s;
        live.textContent = s === "live" ? t("liveOn") : t("liveReconnecting");
      },
      onRefused: () => {
        watch.stop();
        if (orderWatch === watch) orderWatch = poller(refresh, live);
      },
    });
    // Each parcel's news arrives with the parcel as it is now: drawn at once, no re-read.
    tracking = client.subscribe(TRACKING_SUBSCRIPTION, { number, accessToken: order.accessToken || null }, {
      anonymous: !!order.accessToken,
      onData: (data) => {
        const parcel = data?.shipmentTracking?.shipment;
        if (!parcel) return refresh(); // reconnected: news may have been missed
        if (!current()) return;
        const known = order.shipments.some((s) => s.id === parcel.id);
        if (!known) return refresh();
        order = { ...order, shipments: order.shipments.map((s) => (s.id === parcel.id ? parcel : s)) };
        draw();
        live.textContent = t("tracking.now", { carrier: parcel.carrierName, status: trackingLabel(parcel.trackingStatus, parcel.trackingSubStatus) });
      },
      onRefused: () => tracking?.stop(),
    });
    // A return asked for or moved (approved, instructions given...): read the order again.
    returnWatch = client.subscribe(RETURNS_SUBSCRIPTION, { number, accessToken: order.accessToken || null }, {
      anonymous: !!order.accessToken,
      onData: async (data) => {
        const changed = data?.orderReturnChanged;
        await refresh();
        if (changed && current()) live.textContent = t("returns.now", { number: changed.number, status: t(`returns.status.${changed.status}`) });
      },
      onRefused: () => returnWatch?.stop(),
    });
    orderWatch = watch;
  } else {
    orderWatch = poller(refresh, live);
  }
}

const rateLimited = (err) => hasCode(err, "RATE_LIMITED");

function lookupProblem(err) {
  const e = errorWithCode(err, "RATE_LIMITED");
  return { code: "RATE_LIMITED", retryAfter: e.extensions.retryAfter, message: e.message };
}

/** Runs `refresh` every POLL_SECONDS while the page is visible; a rate limit makes it wait. */
function poller(refresh, live) {
  let timer = 0;
  let stopped = false;
  const checked = () => {
    live.dataset.state = "polling";
    live.textContent = t("checkedAt", { time: formatTime(new Date()) });
  };
  const tick = async () => {
    let wait = POLL_SECONDS;
    if (!document.hidden) {
      try {
        await refresh();
        checked();
      } catch (err) {
        if (rateLimited(err)) {
          wait = Math.max(POLL_SECONDS, Number(lookupProblem(err).retryAfter) || POLL_SECONDS);
          live.textContent = t("checksPaused", { time: formatTime(Date.now() + wait * 1000) });
        }
      }
    }
    if (!stopped) timer = setTimeout(tick, wait * 1000);
  };
  checked();
  timer = setTimeout(tick, POLL_SECONDS * 1000);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function renderLookupForm(view, state, current, number, problems = []) {
  const form = h("form", {
    class: "form",
    onsubmit: (e) => {
      e.preventDefault();
      rememberOrderEmail(number, formValues(form).email);
      showOrder(view, state, current, number);
    },
  },
  h("p", { class: "form-intro" }, t("lookupIntro")),
  field(t("email"), input({ name: "email", type: "email", autocomplete: "email", required: true, value: orderEmail(number) || checkoutDraft().email || "" })),
  formActions(submitButton(t("trackOrder"))));
  fill(view, authCard(t("orderNumber", { number }), form,
    signedIn() ? null : h("p", { class: "auth-alt" }, t("lookupSignIn"), " ", h("a", { href: pageHref("sign-in", state) }, t("signIn")))));
  if (problems.length) showErrors(form, problems);
}

function renderOrder(order, state, { placed, live, payment = null, returns = null }) {
  const cancelled = order.status === "CANCELLED";
  const reached = order.status === "COMPLETED" ? STEPS.length - 1 : STEPS.indexOf(order.status);
  const stepDates = [order.placedAt, order.paidAt, order.shippedAt || order.shipments?.[0]?.shippedAt, order.deliveredAt || order.shipments?.find((s) => s.deliveredAt)?.deliveredAt];
  return h("div", { class: "order" },
    placed ? h("div", { class: "order-thanks" },
      h("p", { class: "order-thanks-title" }, t("thanks")),
      h("p", {}, t("thanksText", { email: order.email || orderEmail(order.number) }))) : null,
    h("div", { class: "order-head" },
      h("h1", { class: "page-title" }, t("orderNumber", { number: order.number })),
      h("span", { class: `badge status-badge status-${order.status.toLowerCase().replace("_", "-")}` }, t(`status.${order.status}`)),
      h("p", { class: "muted order-placed" }, t("placedOn", { date: formatDateTime(order.placedAt) })),
      h("button", { type: "button", class: "button button-secondary order-ask", onclick: () => openChat({ orderNumber: order.number }) }, t("chat.askAboutOrder"))),
    live,
    cancelled
      ? h("p", { class: "form-alert" }, t("orderCancelled"), order.cancelReason ? ` ${order.cancelReason}` : "")
      : h("ol", { class: "steps", "aria-label": t("progress") }, STEPS.map((status, i) =>
          h("li", { class: `progress-step${i <= reached ? " is-done" : ""}`, "aria-current": i === reached ? "step" : null },
            h("span", { class: "step-dot", "aria-hidden": "true" }),
            h("span", { class: "step-label" }, t(`step.${status}`)),
            i <= reached && stepDates[i] ? h("time", { class: "row-note", datetime: stepDates[i] }, formatDate(stepDates[i])) : null))),
    payment && (order.status === "PENDING_PAYMENT" || payment.dataset.state === "paid") ? payment
      : order.status === "PENDING_PAYMENT" ? h("p", { class: "notice" }, t("awaitingPayment", { number: order.number })) : null,
    h("div", { class: "order-grid" },
      h("div", { class: "order-main" },
        panel("shipments", t("shipments"), order.shipments.length
          ? h("ul", { class: "rows" }, order.shipments.map((s) =>
              h("li", { class: "row shipment" },
                h("span", { class: "row-main" }, s.carrierName,
                  h("span", { class: "row-note" }, t("trackingNumber"), ": ",
                    s.trackingUrl
                      ? h("a", { href: s.trackingUrl, target: "_blank", rel: "noopener noreferrer" }, s.trackingNumber,
                          h("span", { class: "visually-hidden" }, ` (${t("opensNewTab")})`))
                      : s.trackingNumber),
                  s.lines?.length ? h("span", { class: "row-note" }, s.lines.map((l) => `${l.name} × ${l.quantity}`).join(", ")) : null),
                h("span", { class: "row-note" },
                  t("shippedOn", { date: formatDate(s.shippedAt) }),
                  s.deliveredAt ? h("br") : null,
                  s.deliveredAt ? t("deliveredOn", { date: formatDate(s.deliveredAt) }) : null),
                parcelTracking(s))))
          : h("p", { class: "muted" }, t("noShipments"))),
        returns?.root,
        order.full ? panel("timeline", t("timeline"),
          h("ol", { class: "timeline" }, [...order.timeline].reverse().map((e) =>
            h("li", { class: "timeline-entry" },
              h("span", { class: "row-main" }, e.kind === "STATUS" && e.toStatus ? t(`status.${e.toStatus}`) : t(`event.${e.kind}`),
                e.message && (e.kind === "NOTE" || e.kind === "SHIPMENT") ? h("span", { class: "row-note" }, e.message) : null),
              h("time", { class: "row-date", datetime: e.createdAt }, formatDateTime(e.createdAt)))))) : null),
      h("div", { class: "order-side" },
        order.lines ? panel("order-lines", t("orderSummary"),
          order.snapshot ? h("p", { class: "fine-print" }, t("asPlaced")) : null,
          h("ul", { class: "summary-lines" }, order.lines.map((l) =>
            h("li", { class: "summary-line" },
              h("span", { class: "line-name" }, l.name,
                h("span", { class: "row-note" }, [l.variantName, `× ${l.quantity.toLocaleString(uiLocale)}`].filter(Boolean).join(" "))),
              h("span", { class: "summary-line-total" }, l.lineTotal.formatted)))),
          h("dl", { class: "totals" },
            totalsRow(t("subtotal"), order.subtotal.formatted),
            isZero(order.discountTotal) ? null : totalsRow(t("discounts"), negative(order.discountTotal), " is-discount"),
            totalsRow(t("shipping"), order.shippingTotal.formatted),
            customsTotalsRows(order.dutyTotal, order.importTaxTotal),
            totalsRow(t("total"), order.total.formatted, " is-total"),
            isZero(order.storeCredit) ? null : totalsRow(t("storeCreditApplied"), negative(order.storeCredit), " is-discount"),
            isZero(order.storeCredit) ? null : totalsRow(t("leftToPay"), order.amountDue.formatted, " is-total")),
          orderCustoms(order),
          order.total.currency !== order.totalInShopCurrency.currency
            ? h("p", { class: "fine-print" }, t("shopTotal", { total: order.totalInShopCurrency.formatted }), h("br"),
                rateText({ currency: order.total.currency, rate: order.exchangeRate, source: order.rateSource, rateDate: order.rateDate }, order.totalInShopCurrency.currency))
            : null) : null,
        order.shippingAddress ? panel("ship-to", t("shipTo"),
          h("address", { class: "order-address" }, addressLines(order.shippingAddress)),
          order.shippingMethod ? h("p", { class: "muted" }, order.shippingMethod) : null) : null,
        !order.full ? h("p", { class: "fine-print" }, t("guestTracking")) : null)),
    backLink(listHref(state), t("continueShopping")));
}
