// The chat with the shop: a button on every page opening a panel where a member or a guest
// writes to customer service and reads the answers live. A guest starts with a name and an
// email and is given the conversation's token, kept in this browser; a member's conversation
// is theirs by account. A message shows at once, marked "sending", and its echo from the server
// (recognised by its client id) replaces it, so it never shows twice. Up to five pictures go with
// a message (previewed, each removable, sent as a multipart request) and show in the thread,
// opening full size in a new tab. The order page opens the chat about its order
// (`openChat({orderNumber})`).

import { $, fill, h } from "../lib/dom.js";
import { field, formValues, input, showErrors } from "../lib/forms.js";
import { formatTime, hasMessage, t, uiLocale } from "../lib/i18n.js";
import { picturePicker } from "../lib/pictures.js";
import { readObject, writeObject } from "../lib/storage.js";
import { client, gql, signedIn, upload } from "./api.js";

const CHAT_KEY = "tradewind.chat"; // {number, token}: the conversation this browser follows
const SHOWN = 50; // the newest messages read when the panel opens
const TYPING_EVERY_MS = 4000; // how often "still typing" is told, at most
const TYPING_SHOWN_MS = 6000; // how long the shop's "typing" shows without news

const MESSAGE = `id author authorName body createdAt clientId readAt
  attachments { url filename width height } note { kind status }`;
const CONVERSATION = `id number status subject contactName
  messages(last: ${SHOWN}) { nodes { ${MESSAGE} } }
  links { kind order { number } }
  rating { score comment }`;
const CONVERSATION_QUERY = `query Chat($conversationNumber: String!, $token: String) {
  conversation(conversationNumber: $conversationNumber, token: $token) { ${CONVERSATION} } }`;
const START = `mutation StartChat($input: StartConversationInput!) {
  startConversation(input: $input) { conversation { ${CONVERSATION} } conversationToken errors { field code message } } }`;
const SEND = `mutation SendChat($input: SendMessageInput!) {
  sendMessage(input: $input) { message { ${MESSAGE} } conversation { status } errors { field code message } } }`;
const READ = `mutation ReadChat($input: MarkConversationInput!) { markConversationRead(input: $input) { errors { code } } }`;
const RATE = `mutation RateChat($input: RateConversationInput!) {
  rateConversation(input: $input) { rating { score comment } errors { field code message } } }`;
const TYPING = `mutation TypingChat($input: SetTypingInput!) { setTyping(input: $input) { errors { code } } }`;
const EVENTS = `subscription ChatEvents($conversationNumber: String!, $token: String) {
  conversationEvents(conversationNumber: $conversationNumber, token: $token) {
    __typename
    ... on ConversationMessagePosted { clientId message { ${MESSAGE} } }
    ... on ConversationUpdated { status previousStatus }
    ... on ConversationRead { reader upToMessageId }
    ... on ConversationTyping { side name typing }
  } }`;

const newClientId = () => globalThis.crypto?.randomUUID?.() || `${Date.now()}-${Math.random().toString(36).slice(2)}`;
const stored = () => readObject(CHAT_KEY);
const keep = (value) => {
  try {
    writeObject(CHAT_KEY, value);
  } catch {
    // Storage is blocked or full: the chat still works until the page is left.
  }
};

// The one chat of the page: its elements, the conversation shown and its live feed.
const chat = {
  root: null,
  panel: null,
  body: null,
  conversation: null,
  token: null,
  messages: [], // {id?, clientId?, author, body, attachments, files?, createdAt, state: "sending"|"failed"|undefined}
  readUpTo: null, // the newest of the customer's messages the shop has read
  feed: null,
  typingTimer: 0,
  typingSent: 0,
  about: null, // the order number a new conversation is about
  pick: null, // the pictures chosen for the next message
};

/** Puts the chat button on the page (once). */
export function setupChat() {
  if (chat.root) return;
  const button = h("button", { type: "button", class: "chat-launcher", id: "chat-launcher", "aria-expanded": "false", "aria-controls": "chat-panel", onclick: () => (chat.panel.hidden ? openChat() : closeChat()) },
    h("span", { class: "chat-launcher-dot", "aria-hidden": "true" }), t("chat.open"));
  chat.body = h("div", { class: "chat-body" });
  chat.panel = h("section", { class: "chat-panel", id: "chat-panel", hidden: true, role: "dialog", "aria-labelledby": "chat-title" },
    h("header", { class: "chat-head" },
      h("h2", { id: "chat-title", class: "chat-title" }, t("chat.title")),
      h("button", { type: "button", class: "chat-close", "aria-label": t("chat.close"), onclick: () => closeChat() }, "×")),
    chat.body);
  chat.root = h("div", { class: "chat" }, chat.panel, button);
  document.body.append(chat.root);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !chat.panel.hidden) closeChat();
  });
}

/** Opens the chat; `orderNumber`: a new conversation is about that order; `conversation`
 * ({number, token}, from an email's link): follow that conversation from now on. */
export async function openChat({ orderNumber = null, conversation: given = null } = {}) {
  setupChat();
  if (given?.number) keep({ number: given.number, token: given.token || null });
  chat.about = orderNumber;
  chat.panel.hidden = false;
  $("chat-launcher").setAttribute("aria-expanded", "true");
  fill(chat.body, h("p", { class: "muted chat-note" }, t("loading")));
  const { number, token = null } = stored();
  let conversation = null;
  if (number) {
    try {
      conversation = (await gql(CONVERSATION_QUERY, { conversationNumber: number, token }, uiLocale, { auth: !token })).conversation;
    } catch {
      conversation = null;
    }
    // A member's conversation opened from an email while signed out: kept for after the
    // sign-in. Another member's, a revoked token, or gone: this browser forgets it.
    if (!conversation && given?.number && !token && !signedIn()) {
      drawSignIn(given.number);
      return;
    }
    if (!conversation) keep({});
  }
  if (conversation && conversation.status !== "CLOSED") show(conversation, token);
  else drawStart(conversation);
}

export function closeChat() {
  if (!chat.panel) return;
  chat.panel.hidden = true;
  $("chat-launcher").setAttribute("aria-expanded", "false");
  stopFeed();
}

function stopFeed() {
  chat.feed?.stop();
  chat.feed = null;
}

/** Asks a signed-out member to sign in; the launcher opens the conversation afterwards. */
function drawSignIn(number) {
  stopFeed();
  chat.conversation = null;
  fill(chat.body,
    h("p", { class: "chat-note" }, t("chat.signInToRead", { number })),
    h("a", { class: "button", href: "#/sign-in", onclick: () => closeChat() }, t("signIn")));
}

/** The form that starts a conversation; a guest also gives a name and an email. */
function drawStart(closed = null) {
  stopFeed();
  chat.conversation = null;
  const guest = !signedIn();
  const pick = picturePicker({ prefix: "chat", noteClass: "chat-pick-note" });
  const form = h("form", { class: "chat-start", novalidate: true },
    closed ? h("p", { class: "muted chat-note" }, t("chat.closedBefore")) : null,
    h("p", { class: "chat-intro" }, t("chat.intro")),
    chat.about ? h("p", { class: "chat-about" }, t("chat.about", { number: chat.about })) : null,
    guest ? field(t("chat.name"), input({ name: "name", autocomplete: "name", maxlength: 120, required: true })) : null,
    guest ? field(t("chat.email"), input({ name: "email", type: "email", autocomplete: "email", maxlength: 254, required: true })) : null,
    field(t("chat.message"), h("textarea", { class: "input", name: "body", rows: 3, maxlength: 10000, required: true })),
    h("div", { class: "chat-pick" }, ...pick.parts),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("chat.start"))));
  const clientId = newClientId(); // kept across retries of this form: one conversation
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = formValues(form);
    const files = pick.files();
    const variables = { input: { body: values.body || "", clientId, locale: uiLocale, orderNumber: chat.about, attachments: files.map(() => null), ...(guest ? { name: values.name || "", email: values.email || "" } : {}) } };
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const data = files.length ? await upload(START, variables, filesAt(files)) : await gql(START, variables, uiLocale);
      const payload = data.startConversation;
      if (payload.errors.length) return showErrors(form, payload.errors);
      const token = payload.conversationToken || null;
      keep({ number: payload.conversation.number, token });
      show(payload.conversation, token);
    } catch (err) {
      showErrors(form, [{ message: err.message }]);
    } finally {
      button.disabled = false;
    }
  });
  fill(chat.body, form);
  form.querySelector("input, textarea")?.focus();
}

/** Shows a conversation and follows it live. */
function show(conversation, token) {
  chat.conversation = conversation;
  chat.token = token;
  chat.messages = conversation.messages.nodes.map((m) => ({ ...m }));
  chat.readUpTo = newestRead(chat.messages);
  const list = h("ol", { class: "chat-messages", "aria-live": "polite", "aria-label": t("chat.messages") });
  const typing = h("p", { class: "chat-typing muted", hidden: true });
  const box = h("textarea", { class: "input chat-input", name: "body", rows: 2, maxlength: 10000, "aria-label": t("chat.message"), placeholder: t("chat.placeholder") });
  const pick = picturePicker({ prefix: "chat", noteClass: "chat-pick-note" });
  chat.pick = pick;
  const form = h("form", { class: "chat-compose", novalidate: true }, ...pick.parts, box,
    h("button", { type: "submit", class: "button" }, t("chat.send")));
  box.addEventListener("input", () => tellTyping(true));
  box.addEventListener("blur", () => tellTyping(false));
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const body = box.value.trim();
    const files = pick.files();
    if (!body && !files.length) return;
    box.value = "";
    pick.clear();
    tellTyping(false);
    send({ clientId: newClientId(), body, files });
  });
  const about = conversation.links.find((l) => l.order)?.order?.number;
  const rating = h("div", { class: "chat-rating" });
  chat.rating = rating;
  fill(chat.body,
    h("p", { class: "chat-meta muted" }, t("chat.number", { number: conversation.number }),
      about ? ` · ${t("chat.about", { number: about })}` : null),
    h("p", { class: "chat-status", dataset: { status: conversation.status } }, statusText(conversation.status)),
    list, typing, rating, form);
  chat.list = list;
  chat.typing = typing;
  draw();
  drawRating();
  box.focus();
  follow();
  markRead();
}

function statusText(status) {
  return t(`chat.status.${status}`);
}

/** The newest of the customer's messages the shop has read (by `readAt`). */
function newestRead(messages) {
  const read = messages.filter((m) => m.author === "CUSTOMER" && m.readAt);
  return read.length ? read.at(-1).id : null;
}

/** What a message says: the shop's status notes in the shopper's language, the rest as written. */
function text(m) {
  if (m.author !== "SYSTEM" || m.note?.kind !== "STATUS") return m.body;
  const key = `chat.note.${m.note.status}`;
  return hasMessage(key) ? t(key) : m.body;
}

function draw() {
  const readIndex = chat.readUpTo ? chat.messages.findIndex((m) => m.id === chat.readUpTo) : -1;
  fill(chat.list, chat.messages.map((m, i) => {
    const mine = m.author === "CUSTOMER";
    const state = m.state === "sending" ? t("chat.sending") : m.state === "failed" ? t("chat.failed")
      : mine && i <= readIndex ? t("chat.read") : "";
    return h("li", { class: `chat-message is-${m.author.toLowerCase()}${m.state ? ` is-${m.state}` : ""}`, dataset: { clientId: m.clientId || "" } },
      m.author === "SYSTEM" ? null : h("span", { class: "chat-author" }, mine ? t("chat.you") : m.authorName || t("chat.shop")),
      m.body ? h("span", { class: "chat-text" }, text(m)) : null,
      m.attachments?.length ? h("span", { class: "chat-pictures" }, m.attachments.map(pictureLink)) : null,
      h("span", { class: "chat-when muted" }, m.createdAt ? formatTime(new Date(m.createdAt)) : "", state ? ` · ${state}` : ""),
      m.state === "failed" ? h("button", { type: "button", class: "link-button", onclick: () => send(m) }, t("chat.retry")) : null);
  }));
  chat.list.scrollTop = chat.list.scrollHeight;
}

/** Sends a message with its pictures (again, for one that failed: the same client id makes no second). */
async function send({ clientId, body, files = [] }) {
  const pending = chat.messages.find((m) => m.clientId === clientId && !m.id);
  if (pending) pending.state = "sending";
  else {
    const attachments = files.map((f) => ({ url: URL.createObjectURL(f), filename: f.name, local: true }));
    chat.messages.push({ clientId, body, files, attachments, author: "CUSTOMER", authorName: "", createdAt: new Date().toISOString(), state: "sending" });
  }
  draw();
  const conversation = chat.conversation;
  const input = { conversationNumber: conversation.number, token: chat.token, body, clientId, attachments: files.map(() => null) };
  try {
    const data = files.length
      ? await upload(SEND, { input }, filesAt(files), undefined, { auth: !chat.token })
      : await gql(SEND, { input }, uiLocale, { auth: !chat.token });
    const payload = data.sendMessage;
    if (chat.conversation !== conversation) return;
    if (payload.errors.length) {
      forget(chat.messages.filter((m) => m.clientId === clientId && !m.id));
      chat.messages = chat.messages.filter((m) => m.clientId !== clientId || m.id);
      draw();
      if (payload.errors.some((e) => e.code === "CLOSED")) return drawStart(conversation);
      showErrors(chat.body.querySelector(".chat-compose"), payload.errors, { focus: false });
      chat.body.querySelector(".chat-input").value ||= body;
      if (!chat.pick.files().length) chat.pick.set(files);
      return;
    }
    arrived(payload.message, clientId);
  } catch {
    const failed = chat.messages.find((m) => m.clientId === clientId && !m.id);
    if (failed) failed.state = "failed";
    draw();
  }
}

/** The multipart files of a message's pictures: `variables.input.attachments.<i>`. */
const filesAt = (files) => Object.fromEntries(files.map((f, i) => [`variables.input.attachments.${i}`, f]));

/** Frees the previews of pending messages that are gone. */
function forget(messages) {
  for (const m of messages) for (const a of m.attachments || []) if (a.local) URL.revokeObjectURL(a.url);
}

/** A picture of the thread: a thumbnail opening the full picture in a new tab. */
function pictureLink(a) {
  const name = a.filename || "";
  const img = h("img", { src: a.url, alt: t("chat.picture", { name }), width: a.width || null, height: a.height || null });
  return a.local ? h("span", { class: "chat-picture" }, img)
    : h("a", { class: "chat-picture", href: a.url, target: "_blank", rel: "noopener", title: t("chat.openPicture", { name }) }, img);
}

/** A message from the server: it replaces the pending one with its client id, and is never shown twice. */
function arrived(message, clientId = message.clientId) {
  if (chat.messages.some((m) => m.id === message.id)) return;
  const pending = clientId ? chat.messages.findIndex((m) => m.clientId === clientId && !m.id) : -1;
  if (pending >= 0) {
    forget([chat.messages[pending]]);
    chat.messages[pending] = { ...message };
  }
  else chat.messages.push({ ...message });
  draw();
  if (message.author !== "CUSTOMER") markRead();
}

/** Tells the shop the newest message shown was read, when the panel is open. */
function markRead() {
  const last = chat.messages.filter((m) => m.id).at(-1);
  if (!last || chat.panel.hidden || !chat.conversation) return;
  gql(READ, { input: { conversationNumber: chat.conversation.number, token: chat.token, upToMessageId: last.id } }, uiLocale, { auth: !chat.token })
    .catch(() => {}); // a read mark lost is only a mark
}

/** "Typing" at most every few seconds while the shopper types; "stopped" once. */
function tellTyping(typing) {
  if (!chat.conversation) return;
  const now = Date.now();
  if (typing && now - chat.typingSent < TYPING_EVERY_MS) return;
  if (!typing && !chat.typingSent) return;
  chat.typingSent = typing ? now : 0;
  gql(TYPING, { input: { conversationNumber: chat.conversation.number, token: chat.token, typing } }, uiLocale, { auth: !chat.token })
    .catch(() => {});
}

/** Follows the conversation shown: messages, status, reads and the shop's typing. */
function follow() {
  stopFeed();
  const conversation = chat.conversation;
  chat.feed = client.subscribe(EVENTS, { conversationNumber: conversation.number, token: chat.token }, {
    anonymous: !!chat.token,
    onData: (data) => {
      if (chat.conversation !== conversation) return;
      const event = data?.conversationEvents;
      if (!event) return reload(); // reconnected: something may have been missed
      switch (event.__typename) {
        case "ConversationMessagePosted":
          return arrived(event.message, event.clientId);
        case "ConversationUpdated":
          if (event.previousStatus === null) return reload();
          conversation.status = event.status;
          return drawStatus();
        case "ConversationRead":
          if (event.reader === "STAFF") {
            chat.readUpTo = event.upToMessageId;
            draw();
          }
          return undefined;
        case "ConversationTyping":
          if (event.side === "STAFF") showTyping(event.typing, event.name);
          return undefined;
        default:
          return undefined;
      }
    },
    onState: (state) => chat.panel.dataset.live = state,
    onRefused: () => stopFeed(),
  });
}

function drawStatus() {
  const el = chat.body.querySelector(".chat-status");
  if (!el) return;
  el.dataset.status = chat.conversation.status;
  el.textContent = statusText(chat.conversation.status);
  if (chat.conversation.status === "CLOSED") drawStart(chat.conversation);
  else drawRating();
}

/** Once resolved, the shopper may rate the help (1 to 5, a comment); a rating given is shown. */
function drawRating() {
  const conversation = chat.conversation;
  const given = conversation.rating;
  if (conversation.status !== "RESOLVED" && !given) return fill(chat.rating);
  if (given) return fill(chat.rating, h("p", { class: "chat-note" }, t("chat.rated", { stars: "★".repeat(given.score) })));
  const form = h("form", { class: "chat-rate", novalidate: true },
    h("fieldset", {}, h("legend", {}, t("chat.rateHelp")),
      h("div", { class: "chat-stars" }, [1, 2, 3, 4, 5].map((n) => h("label", { class: "chat-star" },
        h("input", { type: "radio", name: "score", value: String(n), required: true }), h("span", {}, t("chat.stars", { n })))))),
    field(t("chat.rateComment"), h("textarea", { class: "input", name: "comment", rows: 2, maxlength: 2000 }), { optional: true }),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button button-secondary" }, t("chat.rate"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const score = Number(form.querySelector("input[name=score]:checked")?.value || 0);
    const input = { conversationNumber: conversation.number, token: chat.token, score, comment: form.elements.comment.value.trim() };
    try {
      const payload = (await gql(RATE, { input }, uiLocale, { auth: !chat.token })).rateConversation;
      if (payload.errors.length) return showErrors(form, payload.errors);
      conversation.rating = payload.rating;
      drawRating();
    } catch (err) {
      showErrors(form, [{ message: err.message }]);
    }
  });
  fill(chat.rating, form);
}

function showTyping(typing, name) {
  clearTimeout(chat.typingTimer);
  chat.typing.hidden = !typing;
  chat.typing.textContent = typing ? t("chat.typing", { name: name || t("chat.shop") }) : "";
  if (typing) chat.typingTimer = setTimeout(() => (chat.typing.hidden = true), TYPING_SHOWN_MS);
}

/** Reads the conversation again (after a reconnection), keeping what is still being sent. */
async function reload() {
  const conversation = chat.conversation;
  try {
    const fresh = (await gql(CONVERSATION_QUERY, { conversationNumber: conversation.number, token: chat.token }, uiLocale, { auth: !chat.token })).conversation;
    if (!fresh || chat.conversation !== conversation) return;
    const pending = chat.messages.filter((m) => !m.id);
    chat.messages = [...fresh.messages.nodes.map((m) => ({ ...m })), ...pending.filter((p) => !fresh.messages.nodes.some((m) => m.clientId === p.clientId))];
    chat.readUpTo = newestRead(chat.messages);
    conversation.status = fresh.status;
    drawStatus();
    draw();
  } catch {
    // The next event or reconnection tries again.
  }
}
