// The orders screen's GraphQL documents: the list, one order with everything its page shows,
// the carriers to ship with, the actions staff take on an order, the parcels needing attention,
// and the live feeds.

import { CANCELLATION_FIELDS } from "./cancellation.js";
import { CUSTOMS_FIELDS } from "./customs.js";

const MONEY = "amount currency";

export const ORDER_LIST = `
query ConsoleOrders($filter: OrderFilter, $sortBy: OrderSortInput, $first: Int, $after: String, $last: Int, $before: String) {
  orders(filter: $filter, sortBy: $sortBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      id number status placedAt email itemCount
      shippingAddress { fullName country }
      total { ${MONEY} }
      totalInShopCurrency { ${MONEY} }
    }
  }
}`;

export const ORDER_FIELDS = `
  id number status email phone placedAt paidAt shippedAt deliveredAt completedAt cancelledAt
  cancelReason canCancel exchangeRate rateSource rateDate shippingMethod couponCode
  pointsRedeemed paymentMethod paymentReference
  customer { id email nickname }
  shippingAddress { fullName company line1 line2 city region postalCode country phone }
  subtotal { ${MONEY} } discountTotal { ${MONEY} } shippingTotal { ${MONEY} } total { ${MONEY} }
  subtotalInShopCurrency { ${MONEY} } discountTotalInShopCurrency { ${MONEY} }
  shippingTotalInShopCurrency { ${MONEY} } totalInShopCurrency { ${MONEY} }
  refundedInShopCurrency { ${MONEY} }
  ${CUSTOMS_FIELDS}
  ${CANCELLATION_FIELDS}
  lines {
    id name variantName sku quantity quantityShipped
    unitPrice { ${MONEY} } unitPriceInShopCurrency { ${MONEY} }
    lineTotal { ${MONEY} } lineTotalInShopCurrency { ${MONEY} }
  }
  shipments {
    id carrierName serviceName trackingNumber trackingUrl shippedAt deliveredAt
    trackingStatus trackingSubStatus estimatedDelivery needsAttention handledAt replacementForId
    trackingEvents { id occurredAt status subStatus message source location { city country } }
    lines { orderLineId sku name quantity }
  }
  payments {
    id attempt status gateway method createdAt succeededAt failureMessage flaggedReason
    amount { ${MONEY} } amountReceived { ${MONEY} } amountRefunded { ${MONEY} }
    refunds { id sequence status reason failureMessage createdAt amount { ${MONEY} } }
  }
  timeline { id kind fromStatus toStatus actor message internal createdAt }
  returns {
    id number status resolution version keepItems createdAt
    outcome { status refund { ${MONEY} } storeCredit { ${MONEY} } fees { ${MONEY} } exchangeOrderNumber failureMessage }
  }
`;

export const ORDER = `
query ConsoleOrder($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

export const CARRIERS = `
query ConsoleShipCarriers {
  carriers(first: 100) { nodes { id name active services { id name level active } } }
}`;

export const TRACKING_NUMBER_INFO = `
query ConsoleTrackingNumberInfo($number: String!, $carrierId: ID) {
  trackingNumberInfo(number: $number, carrierId: $carrierId) {
    number detectedCarrier service originCountry validity message expectedCheckDigit carrierMismatch
  }
}`;

const PAYLOAD = `order { id } errors { field code message }`;

export const SHIP = `
mutation ConsoleShipOrder($input: ShipOrderInput!) {
  shipOrder(input: $input) { ${PAYLOAD} shipment { id trackingNumber } }
}`;

export const RESHIP = `
mutation ConsoleReshipShipment($input: ReshipShipmentInput!) {
  reshipShipment(input: $input) { ${PAYLOAD} shipment { id trackingNumber } }
}`;

export const DELIVER = `
mutation ConsoleMarkDelivered($input: MarkOrderDeliveredInput!) { markOrderDelivered(input: $input) { ${PAYLOAD} } }`;

export const COMPLETE = `
mutation ConsoleCompleteOrder($input: CompleteOrderInput!) { completeOrder(input: $input) { ${PAYLOAD} } }`;

export const CANCEL = `
mutation ConsoleCancelOrder($input: CancelOrderInput!) { cancelOrder(input: $input) { ${PAYLOAD} } }`;

export const BANK_TRANSFER = `
mutation ConsoleBankTransfer($input: RecordBankTransferPaymentInput!) {
  recordBankTransferPayment(input: $input) { ${PAYLOAD} }
}`;

export const REFUND = `
mutation ConsoleRefundPayment($input: RefundPaymentInput!) {
  refundPayment(input: $input) { refund { id status } errors { field code message } }
}`;

export const NOTE = `
mutation ConsoleOrderNote($input: AddOrderNoteInput!) {
  addOrderNote(input: $input) { event { id } errors { field code message } }
}`;

export const TRACKING_EXCEPTIONS = `
query ConsoleTrackingExceptions($filter: TrackingExceptionFilter, $sortBy: TrackingExceptionSortInput, $first: Int, $after: String, $last: Int, $before: String) {
  trackingExceptions(filter: $filter, sortBy: $sortBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    statusCounts { status count }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      orderId orderNumber customerName customerEmail country carrierName trackingNumber
      status subStatus since handledAt lastEventMessage
      shipment { id trackingNumber lines { sku quantity } }
    }
  }
}`;

export const ATTENTION_COUNT = `
query ConsoleAttentionCount { trackingExceptions(first: 0) { totalCount } }`;

export const MARK_HANDLED = `
mutation ConsoleMarkShipmentHandled($input: MarkShipmentHandledInput!) {
  markShipmentHandled(input: $input) { shipment { id } errors { field code message } }
}`;

export const CONTACT_SHOPPER = `
mutation ConsoleContactShopper($input: ContactShopperAboutShipmentInput!) {
  contactShopperAboutShipment(input: $input) { shipment { id } errors { field code message } }
}`;

export const TRACKING_ALERTS = `
subscription ConsoleTrackingAlerts { trackingAlerts { kind shipmentId needsAttention } }`;

export const QUEUE_CARRIERS = `
query ConsoleQueueCarriers { carriers(first: 100) { nodes { id name } } }`;

export const ORDER_CHANGED = `
subscription ConsoleOrderChanged($number: String!) { orderStatusChanged(number: $number) { kind number status } }`;

export const NEW_ORDERS = `
subscription ConsoleNewOrders { newOrders { kind number status } }`;
