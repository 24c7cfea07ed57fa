// What this browser keeps about the shopper's orders: the checkout form being filled in,
// the email and access token of each guest order, and the order as placed; and the fields an
// order is read with.

import { readObject, writeObject } from "../lib/storage.js";
import { ORDER_CUSTOMS_FIELDS } from "./customs.js";
import { MONEY } from "./money.js";
import { TRACKED_FIELDS } from "./tracking.js";

// The checkout's form (so a reload or a change of currency keeps what was typed), and the
// idempotency key of an attempt to place the order that got no answer, in sessionStorage.
const CHECKOUT_KEY = "tradewind.checkout";
const ORDER_EMAILS_KEY = "tradewind.orderEmails"; // order number -> email, to look guest orders up
const PLACED_KEY = "tradewind.placedOrders"; // order number -> the order as placed (guests cannot read it back)
// order number -> the guest's order-access token `placeOrder` answered once: it reads the
// order and follows it live, so it is kept across visits (localStorage), like the cart token.
const ORDER_TOKENS_KEY = "tradewind.orderTokens";

/** A parcel as the order page shows it, and as its live updates bring it. */
export const SHIPMENT_FIELDS = `id carrierName trackingNumber trackingUrl shippedAt deliveredAt lines { orderLineId name quantity } ${TRACKED_FIELDS}`;

export const ORDER_FIELDS = `
  id number status email placedAt paidAt shippedAt deliveredAt completedAt cancelledAt cancelReason
  subtotal { ${MONEY} } discountTotal { ${MONEY} } shippingTotal { ${MONEY} } total { ${MONEY} }
  storeCredit { ${MONEY} } amountDue { ${MONEY} }
  totalInShopCurrency { ${MONEY} } exchangeRate rateSource rateDate
  shippingAddress { fullName company line1 line2 city region postalCode country phone }
  shippingMethod couponCode pointsRedeemed itemCount ${ORDER_CUSTOMS_FIELDS}
  lines { id name variantName sku quantity quantityShipped unitPrice { ${MONEY} } lineTotal { ${MONEY} } }
  shipments { ${SHIPMENT_FIELDS} }
  timeline { id kind fromStatus toStatus message createdAt }`;

const readSession = (key) => readObject(key, sessionStorage);
const writeSession = (key, value) => writeObject(key, value, sessionStorage);
export const checkoutDraft = () => readSession(CHECKOUT_KEY);
export const saveDraft = (changes) => writeSession(CHECKOUT_KEY, { ...checkoutDraft(), ...changes });
export const forgetDraft = () => sessionStorage.removeItem(CHECKOUT_KEY);
export const orderEmail = (number) => readSession(ORDER_EMAILS_KEY)[number] || "";
export const rememberOrderEmail = (number, email) => writeSession(ORDER_EMAILS_KEY, { ...readSession(ORDER_EMAILS_KEY), [number]: email });
export const placedOrder = (number) => readSession(PLACED_KEY)[number] || null;
export const keepPlacedOrder = (order) => writeSession(PLACED_KEY, { ...readSession(PLACED_KEY), [order.number]: order });

const orderTokens = () => readObject(ORDER_TOKENS_KEY);

export const orderToken = (number) => orderTokens()[number] || null;
export const keepOrderToken = (number, token) => writeObject(ORDER_TOKENS_KEY, { ...orderTokens(), [number]: token });
export function forgetOrderToken(number) {
  const { [number]: _, ...rest } = orderTokens();
  writeObject(ORDER_TOKENS_KEY, rest);
}
