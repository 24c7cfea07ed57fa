// The orders screen: the list (`#/orders?status=…`) and one order's page (`#/orders/<id>`).

import { addMessages } from "../messages.js";
import { showList } from "./orders/list.js";
import { ORDERS_MESSAGES } from "./orders/messages.js";
import { showOrder } from "./orders/page.js";

addMessages(ORDERS_MESSAGES);

export function show(view, ctx) {
  return ctx.segments.length ? showOrder(view, ctx) : showList(view, ctx);
}
