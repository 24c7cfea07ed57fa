// The parcels needing attention (`#/parcels?status=…`): the exceptions queue of the orders
// area, and the count the menu shows next to it.

import { addMessages } from "../messages.js";
import { gql } from "../api.js";
import { ATTENTION_COUNT } from "./orders/documents.js";
import { showExceptions } from "./orders/exceptions.js";
import { ORDERS_MESSAGES } from "./orders/messages.js";

addMessages(ORDERS_MESSAGES);

export function show(view, ctx) {
  return showExceptions(view, ctx);
}

/** How many parcels wait for staff now, for the menu. */
export async function count() {
  return (await gql(ATTENTION_COUNT)).trackingExceptions.totalCount;
}
