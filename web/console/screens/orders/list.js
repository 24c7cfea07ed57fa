// The orders list: filtered by status, dates, country, customer, number and amount, sorted and
// paged on the server (the address keeps all of it), and read again when an order arrives.

import { h } from "../../../lib/dom.js";
import { countryName, t } from "../../../lib/i18n.js";
import { live } from "../../api.js";
import { href } from "../../routes.js";
import { serverList } from "../../ui/list.js";
import { badge, pageHead, toast } from "../../ui/page.js";
import { dateTime, money, number } from "../../ui/format.js";
import { NEW_ORDERS, ORDER_LIST } from "./documents.js";

const STATUSES = ["PENDING_PAYMENT", "PENDING_SHIPMENT", "SHIPPED", "DELIVERED", "COMPLETED", "CANCELLED"];
const SORTS = {
  newest: { field: "PLACED_AT", direction: "DESC" },
  oldest: { field: "PLACED_AT", direction: "ASC" },
  largest: { field: "TOTAL", direction: "DESC" },
  smallest: { field: "TOTAL", direction: "ASC" },
};

/** The start of a day of the browser's calendar (`2026-12-05`), as an instant; null if not a day. */
function dayStart(day, plusDays = 0) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || "")) return null;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return null;
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

/** The API's filter and sort from the address's parameters. */
export function listVariables(params) {
  const filter = {};
  const status = params.get("status");
  if (STATUSES.includes(status)) filter.statuses = [status];
  const after = dayStart(params.get("from"));
  if (after) filter.placedAfter = after;
  // "To" is a whole day: up to the start of the next one.
  const before = dayStart(params.get("to"), 1);
  if (before) filter.placedBefore = before;
  const country = (params.get("country") || "").toUpperCase();
  if (/^[A-Z]{2}$/.test(country)) filter.country = country;
  const customer = params.get("customer");
  if (customer) filter.email = customer;
  // The customers screen links here with a member's ID: `#/orders?customerId=…`.
  if (params.get("customerId")) filter.customerId = params.get("customerId");
  const wanted = params.get("number");
  if (wanted) filter.number = wanted;
  if (params.get("min")) filter.minTotal = params.get("min");
  if (params.get("max")) filter.maxTotal = params.get("max");
  return { filter, sortBy: SORTS[params.get("sort")] || SORTS.newest };
}

const customerCell = (o) =>
  h("span", { class: "order-customer" }, o.shippingAddress?.fullName || "", o.shippingAddress?.fullName ? h("br") : null,
    h("span", { class: "muted" }, o.email));

function totalCell(o) {
  const shop = o.totalInShopCurrency;
  const paid = o.total;
  return h("span", {}, money(shop), paid.currency !== shop.currency ? h("span", { class: "muted order-paid" }, h("br"), money(paid)) : null);
}

export function showList(view, ctx) {
  const country = ctx.params.get("country");
  if (country && !/^[A-Za-z]{2}$/.test(country)) toast(t("orders.badCountry"), { tone: "bad" });
  const list = serverList({
    ctx,
    label: t("orders.list"),
    query: ORDER_LIST,
    pick: (data) => data.orders,
    variables: listVariables,
    filters: [
      { name: "number", label: t("orders.number"), type: "search", maxlength: 16 },
      { name: "status", label: t("orders.status"), type: "select", options: STATUSES.map((s) => [s, t(`status.${s}`)]) },
      { name: "from", label: t("orders.from"), type: "date" },
      { name: "to", label: t("orders.to"), type: "date" },
      { name: "country", label: t("orders.country"), type: "text", maxlength: 2, placeholder: t("orders.countryHint") },
      { name: "customer", label: t("orders.customer"), type: "text", maxlength: 254 },
      { name: "min", label: t("orders.minTotal"), type: "number", min: 0 },
      { name: "max", label: t("orders.maxTotal"), type: "number", min: 0 },
    ],
    sorts: Object.keys(SORTS).map((key) => [key, t(`orders.sort.${key}`)]),
    columns: [
      { label: t("orders.col.number"), cell: (o) => h("span", { class: "mono" }, o.number) },
      { label: t("orders.col.placed"), cell: (o) => dateTime(o.placedAt) },
      { label: t("orders.col.customer"), cell: customerCell },
      { label: t("orders.col.country"), cell: (o) => (o.shippingAddress?.country ? countryName(o.shippingAddress.country) : "—") },
      { label: t("orders.col.status"), cell: (o) => badge(o.status) },
      { label: t("orders.col.items"), cell: (o) => number(o.itemCount), num: true },
      { label: t("orders.col.total"), cell: totalCell, num: true },
    ],
    rowHref: (o) => href("orders", [o.id]),
    empty: t("orders.empty"),
  });
  const parcels = h("a", { class: "button button-secondary", href: href("parcels") }, t("parcels.ordersLink"));
  view.replaceChildren(pageHead(t("orders.title"), { actions: [parcels] }), list);
  // Orders placed or moving while the list is open: read the page again.
  let pending = null;
  live(NEW_ORDERS, {}, (data) => {
    const change = data?.newOrders;
    if (change?.kind === "PLACED") toast(t("orders.newOrder", { number: change.number }));
    clearTimeout(pending);
    pending = setTimeout(() => ctx.current() && list.reload(), 300);
  }, ctx.onLeave);
  ctx.onLeave(() => clearTimeout(pending));
}
