// The customer service screen: the inbox (`#/support?view=…`), one conversation
// (`#/support/<id>`) and the canned replies (`#/support/canned`).

import { addMessages } from "../messages.js";
import { showCanned } from "./support/canned.js";
import { showInbox } from "./support/list.js";
import { SUPPORT_MESSAGES } from "./support/messages.js";
import { showConversation } from "./support/page.js";

addMessages(SUPPORT_MESSAGES);

export function show(view, ctx) {
  if (ctx.segments[0] === "canned") return showCanned(view, ctx);
  return ctx.segments.length ? showConversation(view, ctx) : showInbox(view, ctx);
}
