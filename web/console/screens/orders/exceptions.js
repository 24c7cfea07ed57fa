// The parcels needing attention (`#/parcels?status=…`): the exceptions queue, filtered by
// status, carrier, destination and age on the server, with a chip per status and its count.
// Each row opens its order; staff mark a parcel handled with a note, write to the shopper, or
// send the parcel again. The menu's count is told to refresh after each of them, and the list
// is read again while it is open whenever a parcel starts or stops waiting (`trackingAlerts`).

import { h } from "../../../lib/dom.js";
import { field, input } from "../../../lib/forms.js";
import { countryName, t } from "../../../lib/i18n.js";
import { gql, live, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { serverList } from "../../ui/list.js";
import { badge, button, confirmDialog, pageHead, toast } from "../../ui/page.js";
import { dateTime } from "../../ui/format.js";
import { reshipDialog } from "./actions.js";
import { CONTACT_SHOPPER, MARK_HANDLED, QUEUE_CARRIERS, TRACKING_ALERTS, TRACKING_EXCEPTIONS } from "./documents.js";

/** The statuses a parcel waits in (customs only with duties due, papers missing or a hold). */
const STATUSES = ["EXCEPTION", "ATTEMPT_FAILED", "IN_CUSTOMS", "RETURNING", "EXPIRED"];
const AGES = ["1", "3", "7", "14"];
const SORTS = {
  newest: { field: "STATUS_SINCE", direction: "DESC" },
  oldest: { field: "STATUS_SINCE", direction: "ASC" },
};
const DAY_MS = 24 * 60 * 60 * 1000;

/** Tells the frame that the number of parcels waiting may have changed. */
export const countsChanged = () => window.dispatchEvent(new Event("console:counts"));

/** The API's filter and sort from the address's parameters. */
export function queueVariables(params) {
  const filter = {};
  const status = params.get("status");
  if (STATUSES.includes(status)) filter.statuses = [status];
  if (params.get("carrier")) filter.carrierIds = [params.get("carrier")];
  const country = (params.get("country") || "").toUpperCase();
  if (/^[A-Z]{2}$/.test(country)) filter.countries = [country];
  if (AGES.includes(params.get("age"))) filter.olderThanDays = Number(params.get("age"));
  if (params.get("handled") === "show") filter.includeHandled = true;
  return { filter, sortBy: SORTS[params.get("sort")] || SORTS.newest };
}

const statusCell = (p) => h("span", {},
  badge(p.status, { label: t(`tracking.${p.status}`) }),
  p.subStatus ? h("span", { class: "muted" }, h("br"), p.subStatus.toLowerCase().replaceAll("_", " ")) : null,
  p.handledAt ? [" ", badge("HANDLED", { label: t("tracking.handled"), tone: "neutral" })] : null);

function sinceCell(p) {
  if (!p.since) return "—";
  const days = Math.floor((Date.now() - new Date(p.since).getTime()) / DAY_MS);
  return h("span", {}, dateTime(p.since), h("br"), h("span", { class: "muted" }, t("parcels.days", { n: Math.max(days, 0) })));
}

const shopperCell = (p) => h("span", {}, p.customerName || "", p.customerName ? h("br") : null, h("span", { class: "muted" }, p.customerEmail));

async function markHandled(p, done) {
  const note = h("textarea", { class: "input", name: "note", maxlength: 500, rows: 3 });
  const body = h("div", { class: "form" }, field(t("parcels.note"), note, { optional: true, wide: true }));
  const ok = await confirmDialog({
    title: t("parcels.markHandledTitle"), text: t("parcels.markHandledText", { tracking: p.trackingNumber }), body,
    confirmLabel: t("parcels.markHandled"),
    onConfirm: async (dialog) => !!(await mutate(dialog.querySelector("form"), MARK_HANDLED,
      { input: { shipmentId: p.shipment.id, note: note.value.trim() } })),
  });
  if (!ok) return;
  toast(t("parcels.markedHandled", { tracking: p.trackingNumber }));
  await done();
}

async function contactShopper(p) {
  const subject = input({ name: "subject", required: true, maxlength: 200, value: t("parcels.subjectDefault", { tracking: p.trackingNumber }) });
  const message = h("textarea", { class: "input", name: "message", required: true, maxlength: 5000, rows: 6 });
  const body = h("div", { class: "form" }, field(t("parcels.subject"), subject, { wide: true }), field(t("parcels.message"), message, { wide: true }));
  const ok = await confirmDialog({
    title: t("parcels.contactTitle", { name: p.customerName || p.customerEmail }), body, confirmLabel: t("parcels.contactSend"),
    onConfirm: async (dialog) => !!(await mutate(dialog.querySelector("form"), CONTACT_SHOPPER,
      { input: { shipmentId: p.shipment.id, subject: subject.value.trim(), message: message.value.trim() } })),
  });
  if (ok) toast(t("parcels.contacted", { email: p.customerEmail }));
}

function actionsCell(p, done) {
  return h("div", { class: "actions parcel-actions" },
    button(t("parcels.markHandled"), () => markHandled(p, done), { kind: "secondary button-small" }),
    button(t("parcels.contact"), () => contactShopper(p), { kind: "secondary button-small" }),
    button(t("orders.reship"), async () => {
      if (await reshipDialog(p.shipment)) await done();
    }, { kind: "secondary button-small" }));
}

/** A chip per status with the parcels it holds under the other filters; the chosen one marked. */
function statusChips(ctx, conn) {
  const chosen = ctx.params.get("status") || "";
  const others = Object.fromEntries([...ctx.params].filter(([name]) => !["status", "after", "before"].includes(name)));
  const total = conn.statusCounts.reduce((sum, c) => sum + c.count, 0);
  const chip = (status, label) => h("a", {
    class: "chip", href: href(ctx.path, [], { ...others, status }), "aria-current": status === chosen ? "true" : null,
    dataset: { status: status || "ALL" },
  }, label);
  return [
    chip("", t("parcels.allStatuses", { n: total })),
    ...conn.statusCounts.map((c) => chip(c.status, `${t(`tracking.${c.status}`)} (${c.count})`)),
  ];
}

export async function showExceptions(view, ctx) {
  const country = ctx.params.get("country");
  if (country && !/^[A-Za-z]{2}$/.test(country)) toast(t("parcels.badCountry"), { tone: "bad" });
  let carriers = [];
  try {
    carriers = (await gql(QUEUE_CARRIERS)).carriers.nodes;
  } catch {
    // The carrier filter only helps: the list works without it.
  }
  if (!ctx.current()) return;
  const chips = h("nav", { class: "chips parcel-chips", "aria-label": t("parcels.byStatus") });
  const done = async () => {
    await list.reload();
    countsChanged();
  };
  const list = serverList({
    ctx,
    label: t("parcels.list"),
    query: TRACKING_EXCEPTIONS,
    pick: (data) => {
      chips.replaceChildren(...statusChips(ctx, data.trackingExceptions));
      return data.trackingExceptions;
    },
    variables: queueVariables,
    filters: [
      { name: "status", label: t("parcels.status"), type: "select", options: STATUSES.map((s) => [s, t(`tracking.${s}`)]) },
      { name: "carrier", label: t("parcels.carrier"), type: "select", options: carriers.map((c) => [c.id, c.name]) },
      { name: "country", label: t("parcels.country"), type: "text", maxlength: 2, placeholder: t("parcels.countryHint") },
      { name: "age", label: t("parcels.age"), type: "select", options: AGES.map((d) => [d, t(`parcels.age.${d}`)]) },
      { name: "handled", label: t("parcels.handled"), type: "select", options: [["show", t("parcels.handled.show")]] },
    ],
    sorts: Object.keys(SORTS).map((key) => [key, t(`parcels.sort.${key}`)]),
    columns: [
      { label: t("parcels.col.order"), cell: (p) => h("span", { class: "mono" }, p.orderNumber) },
      { label: t("parcels.col.parcel"), cell: (p) => h("span", {}, p.carrierName, h("br"), h("span", { class: "mono" }, p.trackingNumber)) },
      { label: t("parcels.col.status"), cell: statusCell },
      { label: t("parcels.col.since"), cell: sinceCell },
      { label: t("parcels.col.shopper"), cell: shopperCell },
      { label: t("parcels.col.country"), cell: (p) => (p.country ? countryName(p.country) : "—") },
      { label: t("parcels.col.last"), cell: (p) => p.lastEventMessage || "—" },
      { label: t("parcels.col.actions"), cell: (p) => actionsCell(p, done) },
    ],
    rowHref: (p) => href("orders", [p.orderId]),
    empty: t("parcels.empty"),
  });
  view.replaceChildren(pageHead(t("parcels.title"), { crumb: [href("orders"), t("orders.back")] }), chips, list);
  // A parcel starting or stopping to wait while the list is open: read the page and the count
  // again (after a reconnection, `null`: changes may have been missed).
  let pending = null;
  live(TRACKING_ALERTS, {}, () => {
    clearTimeout(pending);
    pending = setTimeout(() => ctx.current() && done(), 300);
  }, ctx.onLeave);
  ctx.onLeave(() => clearTimeout(pending));
}
