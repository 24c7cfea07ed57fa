// The returns screen: the queue (`#/returns?status=…`) and one return's page (`#/returns/<id>`).

import { addMessages } from "../messages.js";
import { showQueue } from "./returns/list.js";
import { RETURNS_MESSAGES } from "./returns/messages.js";
import { showReturn } from "./returns/page.js";

addMessages(RETURNS_MESSAGES);

export function show(view, ctx) {
  return ctx.segments.length ? showReturn(view, ctx) : showQueue(view, ctx);
}
