// The support inbox: views (all, unassigned, mine, breaching a target) and statuses with their
// counts, filtered by channel, priority and a search on the server (the address keeps all of
// it), the most pressing first, read again live whenever a conversation starts, changes or
// hears from its customer (`supportInboxChanged`).

import { h } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { live } from "../../api.js";
import { href } from "../../routes.js";
import { serverList } from "../../ui/list.js";
import { badge, pageHead } from "../../ui/page.js";
import { age } from "../../ui/format.js";
import { INBOX, INBOX_CHANGED } from "./documents.js";

export const VIEWS = ["ALL", "UNASSIGNED", "MINE", "BREACHING"];
export const STATUSES = ["OPEN", "WAITING", "SNOOZED", "RESOLVED", "CLOSED"];
export const CHANNELS = ["CHAT", "EMAIL", "PHONE"];
export const PRIORITIES = ["URGENT", "HIGH", "NORMAL", "LOW"];

export const statusBadge = (status) => badge(status, { label: t(`support.status.${status}`) });
export const priorityBadge = (priority) =>
  badge(priority, { label: t(`support.priority.${priority}`), tone: priority === "URGENT" ? "bad" : priority === "HIGH" ? "warn" : "neutral" });

/** The API's filter from the address's parameters. */
export function inboxFilter(params) {
  const filter = {};
  const view = params.get("view");
  filter.view = VIEWS.includes(view) ? view : "ALL";
  if (STATUSES.includes(params.get("status"))) filter.status = params.get("status");
  if (CHANNELS.includes(params.get("channel"))) filter.channel = params.get("channel");
  if (PRIORITIES.includes(params.get("priority"))) filter.priority = params.get("priority");
  if (params.get("label")) filter.label = params.get("label");
  if (params.get("q")) filter.search = params.get("q");
  return { filter };
}

/** Chips for the views and the statuses with their counts; the chosen ones marked. */
function chips(ctx, conn) {
  const others = (drop) => Object.fromEntries([...ctx.params].filter(([name]) => ![drop, "after", "before"].includes(name)));
  const chosenView = ctx.params.get("view") || "ALL";
  const chosenStatus = ctx.params.get("status") || "";
  const views = Object.fromEntries(conn.viewCounts.map((c) => [c.view, c.count]));
  const statuses = Object.fromEntries(conn.statusCounts.map((c) => [c.status, c.count]));
  const chip = (name, value, label, chosen) => h("a", {
    class: "chip", href: href(ctx.path, [], { ...others(name), [name]: value === "ALL" && name === "view" ? "" : value }),
    "aria-current": chosen ? "true" : null, dataset: { [name]: value || "ALL" },
  }, label);
  return [
    h("nav", { class: "chips support-views", "aria-label": t("support.views") },
      VIEWS.map((v) => chip("view", v, `${t(`support.view.${v}`)} (${views[v] || 0})`, v === chosenView))),
    h("nav", { class: "chips support-statuses", "aria-label": t("support.byStatus") },
      chip("status", "", t("support.anyStatus"), !chosenStatus),
      STATUSES.map((s) => chip("status", s, `${t(`support.status.${s}`)} (${statuses[s] || 0})`, s === chosenStatus))),
  ];
}

/** When the next target is due, in words: "due in 2 h", "overdue". */
export function dueText(c) {
  if (c.breached) return t("support.breached");
  const due = c.firstResponseDueAt || c.resolutionDueAt;
  if (!due || ["RESOLVED", "CLOSED"].includes(c.status)) return "";
  const minutes = Math.round((new Date(due) - Date.now()) / 60000);
  if (minutes < 0) return t("support.overdue");
  return minutes < 120 ? t("support.dueInMinutes", { n: minutes }) : t("support.dueInHours", { n: Math.round(minutes / 60) });
}

export async function showInbox(view, ctx) {
  const head = h("div", { class: "support-chips" });
  const list = serverList({
    ctx,
    label: t("support.inbox"),
    query: INBOX,
    pick: (data) => {
      head.replaceChildren(...chips(ctx, data.supportInbox));
      return data.supportInbox;
    },
    variables: inboxFilter,
    filters: [
      { name: "q", label: t("support.search"), type: "search", maxlength: 100, placeholder: t("support.searchHint") },
      { name: "channel", label: t("support.channel"), type: "select", options: CHANNELS.map((c) => [c, t(`support.channel.${c}`)]) },
      { name: "priority", label: t("support.priority"), type: "select", options: PRIORITIES.map((p) => [p, t(`support.priority.${p}`)]) },
    ],
    columns: [
      { label: t("support.col.number"), cell: (c) => h("span", { class: "mono" }, c.number) },
      { label: t("support.col.customer"), cell: (c) => h("span", {}, c.contactName || c.contactEmail || t("support.guest"),
        c.unreadCount ? badge("UNREAD", { label: String(c.unreadCount), tone: "info" }) : null) },
      { label: t("support.col.subject"), cell: (c) => c.subject || t(`support.channel.${c.channel}`) },
      { label: t("support.col.status"), cell: (c) => statusBadge(c.status) },
      { label: t("support.col.priority"), cell: (c) => priorityBadge(c.priority) },
      { label: t("support.col.assignee"), cell: (c) => c.assignee?.nickname || c.assignee?.email || "—" },
      { label: t("support.col.due"), cell: (c) => h("span", { class: c.breached ? "text-bad" : null }, dueText(c)) },
      { label: t("support.col.active"), cell: (c) => age(c.lastMessageAt || c.createdAt) },
    ],
    rowHref: (c) => href(ctx.path, [c.id]),
    empty: t("support.empty"),
  });
  view.replaceChildren(pageHead(t("support.title"), {
    actions: [h("a", { class: "button button-secondary", href: href(ctx.path, ["canned"]) }, t("support.canned.title"))],
  }), head, list);
  // Anything that could move a row or a count reads the page again.
  live(INBOX_CHANGED, {}, () => list.reload(), ctx.onLeave);
}
