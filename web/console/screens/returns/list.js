// The returns queue: tabs per status with their counts, filtered by reason, destination, age
// and a search on the server (the address keeps all of it), newest first, read again live
// whenever a return is asked for or moves (`returnsChanged`).

import { h } from "../../../lib/dom.js";
import { countryName, t } from "../../../lib/i18n.js";
import { gql, live } from "../../api.js";
import { href } from "../../routes.js";
import { serverList } from "../../ui/list.js";
import { badge, pageHead, toast } from "../../ui/page.js";
import { age, number } from "../../ui/format.js";
import { RETURN_QUEUE, RETURN_REASONS, RETURNS_CHANGED } from "./documents.js";

export const STATUSES = ["REQUESTED", "APPROVED", "IN_TRANSIT", "RECEIVED", "INSPECTED", "CLOSED", "DECLINED", "CANCELLED"];
const AGES = ["1", "3", "7", "14", "30"];

/** A return's status as a badge, in the screen's words. */
export const returnBadge = (status) => badge(status, { label: t(`returns.status.${status}`) });

/** The API's arguments from the address's parameters. */
export function queueVariables(params) {
  const vars = {};
  const status = params.get("status");
  if (STATUSES.includes(status)) vars.status = status;
  if (params.get("reason")) vars.reasonCode = params.get("reason");
  const country = (params.get("country") || "").toUpperCase();
  if (/^[A-Z]{2}$/.test(country)) vars.country = country;
  if (params.get("q")) vars.search = params.get("q");
  if (AGES.includes(params.get("age"))) vars.olderThanDays = Number(params.get("age"));
  return vars;
}

/** A tab per status with the returns it holds under the other filters; the chosen one marked. */
function statusTabs(ctx, conn) {
  const chosen = ctx.params.get("status") || "";
  const others = Object.fromEntries([...ctx.params].filter(([name]) => !["status", "after", "before"].includes(name)));
  const counts = Object.fromEntries(conn.statusCounts.map((c) => [c.status, c.count]));
  const total = conn.statusCounts.reduce((sum, c) => sum + c.count, 0);
  const tab = (status, label) => h("a", {
    class: "chip", href: href(ctx.path, [], { ...others, status }), "aria-current": status === chosen ? "true" : null,
    dataset: { status: status || "ALL" },
  }, label);
  return [
    tab("", t("returns.allStatuses", { n: total })),
    ...STATUSES.map((s) => tab(s, `${t(`returns.status.${s}`)} (${counts[s] || 0})`)),
  ];
}

const customerCell = (r) => h("span", {}, r.order.shippingAddress?.fullName || "",
  r.order.shippingAddress?.fullName ? h("br") : null, h("span", { class: "muted" }, r.order.email));

export async function showQueue(view, ctx) {
  const country = ctx.params.get("country");
  if (country && !/^[A-Za-z]{2}$/.test(country)) toast(t("returns.badCountry"), { tone: "bad" });
  let reasons = [];
  try {
    reasons = (await gql(RETURN_REASONS)).returns.reasonCounts.filter((r) => r.code);
  } catch {
    // The reason filter only helps: the queue works without it.
  }
  if (!ctx.current()) return;
  const tabs = h("nav", { class: "chips return-tabs", "aria-label": t("returns.byStatus") });
  const list = serverList({
    ctx,
    label: t("returns.list"),
    query: RETURN_QUEUE,
    pick: (data) => {
      tabs.replaceChildren(...statusTabs(ctx, data.returns));
      return data.returns;
    },
    variables: queueVariables,
    filters: [
      { name: "q", label: t("returns.search"), type: "search", maxlength: 100, placeholder: t("returns.searchHint") },
      { name: "reason", label: t("returns.reason"), type: "select", options: reasons.map((r) => [r.code, r.name]) },
      { name: "country", label: t("returns.country"), type: "text", maxlength: 2, placeholder: t("returns.countryHint") },
      { name: "age", label: t("returns.age"), type: "select", options: AGES.map((d) => [d, t("returns.olderThan", { n: d })]) },
    ],
    columns: [
      { label: t("returns.col.number"), cell: (r) => h("span", { class: "mono" }, r.number) },
      { label: t("returns.col.order"), cell: (r) => h("span", { class: "mono" }, r.order.number) },
      { label: t("returns.col.customer"), cell: customerCell },
      { label: t("returns.col.country"), cell: (r) => (r.order.shippingAddress?.country ? countryName(r.order.shippingAddress.country) : "—") },
      { label: t("returns.col.reason"), cell: (r) => r.reason || "—" },
      { label: t("returns.col.items"), cell: (r) => number(r.lines.reduce((n, l) => n + l.quantity, 0)), num: true },
      { label: t("returns.col.age"), cell: (r) => age(r.createdAt) },
      { label: t("returns.col.status"), cell: (r) => returnBadge(r.status) },
    ],
    rowHref: (r) => href("returns", [r.id]),
    empty: t("returns.empty"),
  });
  view.replaceChildren(pageHead(t("returns.title"), { crumb: [href("orders"), t("returns.toOrders")] }), tabs, list);
  // A return asked for or moving while the queue is open: read the page again (after a
  // reconnection, `null`: changes may have been missed).
  let pending = null;
  live(RETURNS_CHANGED, {}, (data) => {
    const change = data?.returnsChanged;
    if (change && change.status === "REQUESTED" && change.previousStatus === "REQUESTED") {
      toast(t("returns.newReturn", { number: change.returnNumber }));
    }
    clearTimeout(pending);
    pending = setTimeout(() => ctx.current() && list.reload(), 300);
  }, ctx.onLeave);
  ctx.onLeave(() => clearTimeout(pending));
}
