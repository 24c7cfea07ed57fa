// One conversation: its messages (private notes marked as such), a reply box that answers the
// customer or leaves a note (either with up to five pictures, previewed and removable before
// sending), with canned replies filled for this customer; the customer's
// orders, parcels (with "resend the tracking link"), returns, credit and tier beside it; and
// what staff do with it (assign to me, priority, snooze, resolve, reopen, close, log a call).
// Every change names the version shown, so one made on a conversation a colleague has just
// changed is refused and the page read again. It follows the conversation live.

import { fill, h } from "../../../lib/dom.js";
import { field, input, runMutation, select } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { picturePicker } from "../../../lib/pictures.js";
import { gql, live, mutate, upload, viewer } from "../../api.js";
import { href } from "../../routes.js";
import { badge, button, facts, pageHead, panel, state, toast } from "../../ui/page.js";
import { dateTime, money } from "../../ui/format.js";
import {
  ASSIGN, CANNED, CLOSE, CONVERSATION, CONVERSATION_EVENTS, LOG_CALL, MARK_READ, PRIORITY, RENDER_CANNED,
  REOPEN, REPLY, RESEND_TRACKING, RESOLVE, SNOOZE,
} from "./documents.js";
import { PRIORITIES, dueText, priorityBadge, statusBadge } from "./list.js";

const OUTCOMES = ["RESOLVED", "FOLLOW_UP", "NO_ANSWER", "VOICEMAIL"];
const newClientId = () => globalThis.crypto?.randomUUID?.() || `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** A system message in the console's language, from its typed note; its stored English
 * text when the note is of a kind this screen does not know. */
function noteText(m) {
  const n = m.note;
  if (!n) return m.body;
  switch (n.kind) {
    case "STATUS":
      return n.status === "SNOOZED" && n.snoozedUntil ? t("support.note.snoozed", { time: dateTime(n.snoozedUntil) })
        : t("support.note.STATUS", { status: t(`support.status.${n.status}`) });
    case "ASSIGNED":
      return n.assigneeName ? t("support.note.ASSIGNED", { name: n.assigneeName }) : t("support.note.unassigned");
    case "PRIORITY":
      return t("support.note.PRIORITY", { priority: t(`support.priority.${n.priority}`) });
    case "LINKED":
    case "UNLINKED":
      return t(`support.note.${n.kind}`, { kind: t(`support.linkKind.${n.linkKind}`) });
    case "ACTION":
      if (n.returnNumber) return t("support.note.startedReturn", { number: n.returnNumber });
      if (n.amount) return t("support.note.addedCredit", { amount: money(n.amount) });
      return m.body;
    case "RATED":
      return t("support.note.RATED", { score: n.score });
    default:
      return m.body;
  }
}

function messageItem(m) {
  const kind = m.author === "SYSTEM" ? "system" : m.private ? "note" : m.author.toLowerCase();
  return h("li", { class: `support-message is-${kind}`, dataset: { id: m.id } },
    h("div", { class: "support-message-head" },
      h("strong", {}, m.author === "SYSTEM" ? t("support.system") : m.authorName || t(`support.author.${m.author}`)),
      m.private && m.author !== "SYSTEM" ? badge("NOTE", { label: t("support.privateNote"), tone: "warn" }) : null,
      m.senderVerified === false ? badge("UNVERIFIED", { label: t("support.senderNotVerified"), tone: "bad" }) : null,
      m.callSeconds !== null && m.callSeconds !== undefined
        ? badge("CALL", { label: t("support.call", { minutes: Math.round(m.callSeconds / 60), outcome: t(`support.outcome.${m.callOutcome}`) }) })
        : null,
      h("time", { class: "muted", datetime: m.createdAt }, dateTime(m.createdAt))),
    h("p", { class: "support-message-body" }, m.author === "SYSTEM" ? noteText(m) : m.body),
    m.attachments?.length ? h("ul", { class: "support-attachments" }, m.attachments.map((a) =>
      h("li", {}, h("a", { href: a.url, target: "_blank", rel: "noopener noreferrer", title: t("support.openPicture", { name: a.filename || "" }) },
        h("img", { src: a.url, alt: t("support.picture", { name: a.filename || "" }), width: a.width || null, height: a.height || null }))))) : null);
}

export async function showConversation(view, ctx) {
  const id = ctx.segments[0];
  let data;
  let reads = 0;
  const load = async () => {
    const read = ++reads;
    const answer = (await gql(CONVERSATION, { id })).conversationContext;
    return read === reads ? answer : null;
  };
  try {
    data = await load();
  } catch (err) {
    if (ctx.current()) view.replaceChildren(state(err.message, { error: true }));
    return;
  }
  if (!ctx.current()) return;
  if (!data) {
    view.replaceChildren(pageHead(t("support.notFound"), { crumb: [href("support"), t("support.back")] }));
    return;
  }

  let c = data.conversation;
  const messages = h("ol", { class: "support-thread", "aria-label": t("support.messages") });
  const typing = h("p", { class: "muted support-typing", "aria-live": "polite" });
  const head = h("div");
  const side = h("div", { class: "support-side" });
  const actions = h("div", { class: "support-actions" });

  const drawMessages = () => {
    messages.replaceChildren(...c.messages.nodes.map(messageItem));
    messages.scrollTop = messages.scrollHeight;
  };
  const drawHead = () => {
    head.replaceChildren(pageHead(`${c.number} · ${c.subject || t(`support.channel.${c.channel}`)}`, {
      crumb: [href("support"), t("support.back")],
    }), h("p", { class: "support-badges" }, statusBadge(c.status), " ", priorityBadge(c.priority), " ",
      badge(c.channel, { label: t(`support.channel.${c.channel}`) }), " ",
      c.breached ? badge("BREACHED", { label: t("support.breached"), tone: "bad" }) : h("span", { class: "muted" }, dueText(c))));
  };
  const refresh = async () => {
    try {
      const next = await load();
      if (!next || !ctx.current()) return;
      data = next;
      c = data.conversation;
      drawAll();
    } catch {
      // The next event reads again.
    }
  };
  /** Runs a change on the version shown; STALE reads the page again. */
  const act = async (root, query, input) => {
    const payload = await mutate(root, query, { input: { conversationId: c.id, version: c.version, ...input } });
    if (!payload) {
      refresh();
      return null;
    }
    await refresh();
    return payload;
  };

  // The reply box: an answer to the customer or a private note; canned replies fill it.
  const box = h("textarea", { class: "input", name: "body", rows: 4, maxlength: 10000 });
  const isNote = h("input", { type: "checkbox", name: "private" });
  const canned = select("canned", [["", t("support.cannedPick")]], "", { "aria-label": t("support.canned.title") });
  const pick = picturePicker({ prefix: "support", noteClass: "field-error" });
  const reply = h("form", { class: "support-reply", novalidate: true },
    field(t("support.reply"), box),
    h("div", { class: "support-pick" }, ...pick.parts),
    h("div", { class: "form-actions" },
      canned,
      h("label", { class: "check" }, isNote, ` ${t("support.asNote")}`),
      h("button", { type: "submit", class: "button" }, t("support.send"))));
  let clientId = newClientId();
  reply.addEventListener("submit", async (e) => {
    e.preventDefault();
    const files = pick.files();
    const input = { conversationId: c.id, body: box.value, private: isNote.checked, clientId, attachments: files.map(() => null) };
    const payload = files.length
      ? await runMutation(reply, () => upload(REPLY, { input }, Object.fromEntries(files.map((f, i) => [`variables.input.attachments.${i}`, f]))))
      : await mutate(reply, REPLY, { input });
    if (!payload) return;
    clientId = newClientId();
    box.value = "";
    isNote.checked = false;
    pick.clear();
    if (!c.messages.nodes.some((m) => m.id === payload.message.id)) c.messages.nodes.push(payload.message);
    c.version = payload.conversation.version;
    c.status = payload.conversation.status;
    drawMessages();
    drawHead();
  });
  canned.addEventListener("change", async () => {
    if (!canned.value) return;
    try {
      const rendered = (await gql(RENDER_CANNED, { id: canned.value, conversationId: c.id })).renderCannedReply;
      if (rendered.errors.length) toast(rendered.errors[0].message, { tone: "bad" });
      else box.value = box.value ? `${box.value}\n${rendered.text}` : rendered.text;
    } catch (err) {
      toast(err.message, { tone: "bad" });
    }
    canned.value = "";
    box.focus();
  });
  gql(CANNED, {}).then((d) => {
    for (const r of d.cannedReplies.filter((x) => x.active)) canned.append(h("option", { value: r.id }, `/${r.shortcut} · ${r.title}`));
  }).catch(() => {}); // replies can be written by hand

  // A phone call, logged as a note with its length and outcome.
  const call = h("form", { class: "support-call", novalidate: true },
    field(t("support.callMinutes"), input({ name: "seconds", type: "number", min: 0, max: 1440, step: 1, inputmode: "numeric" })),
    field(t("support.callOutcome"), select("outcome", OUTCOMES.map((o) => [o, t(`support.outcome.${o}`)]), "RESOLVED")),
    field(t("support.callNote"), h("textarea", { class: "input", name: "body", rows: 2, maxlength: 10000 }), { optional: true }),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button button-secondary" }, t("support.logCall"))));
  call.addEventListener("submit", async (e) => {
    e.preventDefault();
    const minutes = Number(call.elements.seconds.value || 0);
    const done = await act(call, LOG_CALL, { seconds: Math.round(minutes * 60), outcome: call.elements.outcome.value, body: call.elements.body.value });
    if (done) call.reset();
  });

  function drawActions() {
    const mine = c.assignee?.id && c.assignee.id === viewer.user?.id;
    const snooze = input({ name: "until", type: "datetime-local", "aria-label": t("support.snoozeUntil") });
    const priority = select("priority", PRIORITIES.map((p) => [p, t(`support.priority.${p}`)]), c.priority, { "aria-label": t("support.priority") });
    priority.addEventListener("change", () => act(actions, PRIORITY, { priority: priority.value }));
    const closed = c.status === "CLOSED";
    fill(actions,
      facts([
        [t("support.assignee"), c.assignee?.nickname || c.assignee?.email || t("support.nobody")],
        [t("support.contact"), [c.contactName, c.contactEmail].filter(Boolean).join(" · ") || null],
        [t("support.opened"), dateTime(c.createdAt)],
        [t("support.firstResponse"), c.firstResponseAt ? dateTime(c.firstResponseAt) : null],
        [t("support.labels"), c.labels.length ? c.labels.join(", ") : null],
        [t("support.rating"), c.rating ? `${"★".repeat(c.rating.score)}${"☆".repeat(5 - c.rating.score)} ${c.rating.comment}` : null],
      ]),
      h("div", { class: "form-actions" },
        closed ? null : button(mine ? t("support.unassign") : t("support.assignToMe"),
          () => act(actions, ASSIGN, { assigneeId: mine ? null : viewer.user.id }), { kind: "secondary" }),
        closed ? null : priority),
      closed ? null : h("div", { class: "form-actions" },
        ["OPEN", "WAITING", "SNOOZED"].includes(c.status) ? button(t("support.resolve"), () => act(actions, RESOLVE, {})) : null,
        c.status === "RESOLVED" ? button(t("support.reopen"), () => act(actions, REOPEN, {}), { kind: "secondary" }) : null,
        button(t("support.close"), () => act(actions, CLOSE, {}), { kind: "secondary" })),
      closed || c.status === "RESOLVED" ? null : h("div", { class: "form-actions" }, snooze,
        button(t("support.snooze"), () => {
          if (!snooze.value) return toast(t("support.snoozeWhen"), { tone: "bad" });
          return act(actions, SNOOZE, { until: new Date(snooze.value).toISOString() });
        }, { kind: "secondary" })));
  }

  function drawSide() {
    const may = (kind) => data.conversationActions.some((a) => a.kind === kind && a.allowed);
    const customer = data.customer;
    side.replaceChildren(
      panel(t("support.customer"), facts([
        [t("support.customer"), customer ? h("a", { href: href("customers", [customer.id]) }, customer.nickname || customer.email) : t("support.guest")],
        [t("support.email"), customer?.email || c.contactEmail],
        [t("support.tier"), data.tier ? `${data.tier.name}${data.tier.prioritySupport ? ` · ${t("support.prioritySupport")}` : ""}` : null],
        [t("support.storeCredit"), data.storeCredit.length ? data.storeCredit.map((b) => b.balance.formatted).join(", ") : null],
      ])),
      panel(t("support.orders"), data.recentOrders.length
        ? h("ul", { class: "plain-list" }, data.recentOrders.map((o) => h("li", {},
            h("a", { href: href("orders", [o.id]), class: "mono" }, o.number), ` · ${t(`status.${o.status}`)} · ${o.total.formatted}`)))
        : h("p", { class: "muted" }, t("support.noOrders"))),
      panel(t("support.parcels"), data.parcels.length
        ? h("ul", { class: "plain-list support-parcels" }, data.parcels.map((p) => h("li", {},
            p.carrierName, " ", p.trackingUrl ? h("a", { href: p.trackingUrl, target: "_blank", rel: "noopener noreferrer", class: "mono" }, p.trackingNumber) : h("span", { class: "mono" }, p.trackingNumber),
            ` · ${p.trackingStatus}`,
            may("RESEND_TRACKING_LINK") && c.status !== "CLOSED"
              ? button(t("support.resendTracking"), async (e) => {
                  const root = e.target.closest("li");
                  const payload = await mutate(root, RESEND_TRACKING, { input: { conversationId: c.id, shipmentId: p.id, clientId: newClientId() } });
                  if (payload) {
                    toast(t("support.trackingSent"));
                    refresh();
                  }
                }, { kind: "secondary button-small" })
              : null)))
        : h("p", { class: "muted" }, t("support.noParcels"))),
      panel(t("support.returns"), data.returns.length
        ? h("ul", { class: "plain-list" }, data.returns.map((r) => h("li", {},
            h("a", { href: href("returns", [r.id]), class: "mono" }, r.number), ` · ${r.status}`)))
        : h("p", { class: "muted" }, t("support.noReturns"))));
  }

  function drawAll() {
    drawHead();
    drawMessages();
    drawActions();
    drawSide();
    reply.hidden = c.status === "CLOSED";
    call.hidden = c.status === "CLOSED";
  }

  view.replaceChildren(head,
    h("div", { class: "support-layout" },
      h("div", { class: "support-main" },
        panel(t("support.messages"), [messages, typing, reply]),
        panel(t("support.logCall"), call)),
      h("div", { class: "support-aside" }, panel(t("support.handling"), actions), side)));
  drawAll();
  box.focus();

  const markRead = () => gql(MARK_READ, { input: { conversationId: c.id } }).catch(() => {});
  markRead();
  let typingTimer = 0;
  live(CONVERSATION_EVENTS, { conversationNumber: c.number }, (event) => {
    const e = event?.conversationEvents;
    if (!e) return refresh();
    if (e.__typename === "ConversationTyping") {
      if (e.side !== "CUSTOMER") return;
      clearTimeout(typingTimer);
      typing.textContent = e.typing ? t("support.customerTyping") : "";
      if (e.typing) typingTimer = setTimeout(() => (typing.textContent = ""), 6000);
      return;
    }
    if (e.__typename === "ConversationMessagePosted") {
      if (!c.messages.nodes.some((m) => m.id === e.message.id)) {
        c.messages.nodes.push(e.message);
        drawMessages();
      }
      if (e.message.author === "CUSTOMER") {
        typing.textContent = "";
        markRead();
      }
      return refresh();
    }
    if (e.__typename === "ConversationUpdated") return refresh();
    return undefined;
  }, ctx.onLeave);
  ctx.onLeave(() => clearTimeout(typingTimer));
}
