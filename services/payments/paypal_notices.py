"""PayPal's webhook events, verified by the caller, translated into the payments service's
notifications and processed once per PayPal event id.

- `CHECKOUT.ORDER.APPROVED`: the shopper approved but may never come back to the shop:
  the order's open attempt is captured here (`completion.complete_attempt`).
- `PAYMENT.CAPTURE.COMPLETED` / `PENDING` / `DECLINED` / `DENIED`: the capture's news about
  the payment (the capture's order is `supplementary_data.related_ids.order_id`).
- `PAYMENT.CAPTURE.REFUNDED`: a refund, matched with the refund made here (its `custom_id`)
  or recorded as made in PayPal's dashboard.
- `PAYMENT.CAPTURE.REVERSED`, `CUSTOMER.DISPUTE.CREATED`: the payment is flagged for staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from models.payments import Payment, RefundStatus
from services.payments import completion, events
from services.payments.errors import PaymentError
from services.payments.paypal_gateway import PayPalGateway
from services.payments.paypal_shapes import capture_notice, refund_status
from services.payments.paypal_units import from_paypal_value

APPROVED = "CHECKOUT.ORDER.APPROVED"
CAPTURE_EVENTS = frozenset(
    {
        "PAYMENT.CAPTURE.COMPLETED",
        "PAYMENT.CAPTURE.PENDING",
        "PAYMENT.CAPTURE.DECLINED",
        "PAYMENT.CAPTURE.DENIED",
    }
)
REFUNDED = "PAYMENT.CAPTURE.REFUNDED"
DISPUTES = frozenset({"PAYMENT.CAPTURE.REVERSED", "CUSTOMER.DISPUTE.CREATED"})


def _order_id(resource: Mapping[str, Any]) -> str:
    extra = resource.get("supplementary_data")
    related = extra.get("related_ids") if isinstance(extra, Mapping) else None
    return str(related.get("order_id") or "") if isinstance(related, Mapping) else ""


async def _disputed_order(gateway: PayPalGateway, resource: Mapping[str, Any]) -> str:
    """The order a reversal (a capture or refund object) or a dispute is about."""
    found = _order_id(resource)
    if found:
        return found
    for item in resource.get("disputed_transactions") or []:
        if isinstance(item, Mapping) and item.get("seller_transaction_id"):
            return await gateway.order_id_of_capture(str(item["seller_transaction_id"]))
    capture_id = ""
    for link in resource.get("links") or []:
        if isinstance(link, Mapping) and link.get("rel") == "up":
            capture_id = str(link.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    if not capture_id and str(resource.get("status")) in ("REVERSED", "COMPLETED"):
        capture_id = str(resource.get("id") or "")
    return await gateway.order_id_of_capture(capture_id) if capture_id else ""


async def handle(gateway: PayPalGateway, event: Mapping[str, Any]) -> str:
    """Process one verified PayPal event; returns what it concluded. Raises on an error
    worth PayPal's retry (the provider unreachable, the database down)."""
    event_id, kind = str(event["id"]), str(event["event_type"])
    resource = event["resource"]
    if not isinstance(resource, Mapping):
        raise ValueError("resource is not an object")
    if kind == APPROVED:
        return await _approved(gateway, event_id, resource)
    if kind in CAPTURE_EVENTS:
        notice, data = capture_notice(_order_id(resource), resource)
        return await events.process(gateway, event_id, notice, data)
    if kind == REFUNDED:
        return await _refunded(gateway, event_id, resource)
    if kind in DISPUTES:
        reason = str(resource.get("reason") or resource.get("status") or kind).lower()
        dispute = {
            "object": "dispute",
            "id": str(resource.get("dispute_id") or resource.get("id") or ""),
            "payment_intent": await _disputed_order(gateway, resource),
            "reason": reason,
        }
        return await events.process(gateway, event_id, events.DISPUTED, dispute)
    return await events.process(gateway, event_id, f"paypal:{kind}", {})


async def _approved(gateway: PayPalGateway, event_id: str, resource: Mapping[str, Any]) -> str:
    order_id = str(resource.get("id") or "")
    payment = await Payment.filter(provider_id=order_id, gateway=gateway.name).first()
    if payment is None:
        outcome = f"ignored: no payment {order_id}"
    else:
        try:
            outcome = await completion.complete_attempt(payment)
        except PaymentError as exc:
            # Not the order's open attempt (any more), or already completed: nothing to do.
            outcome = f"ignored: {exc}"
    # Recorded for the event log; a replay captures nothing twice either way.
    await events.process(gateway, event_id, f"paypal:{APPROVED}", {})
    return outcome


async def _refunded(gateway: PayPalGateway, event_id: str, resource: Mapping[str, Any]) -> str:
    kind, data = await gateway.refund_notice_of(resource)
    breakdown = resource.get("seller_payable_breakdown")
    total = breakdown.get("total_refunded_amount") if isinstance(breakdown, Mapping) else None
    if refund_status(resource) is RefundStatus.SUCCEEDED and isinstance(total, Mapping):
        # The capture's cumulative refunds, as Stripe's `charge.refunded` tells them: refunds
        # made in PayPal's dashboard are recorded too.
        currency = str(total.get("currency_code") or "").upper()
        charge = {
            "object": "charge",
            "payment_intent": data["payment_intent"],
            "currency": currency,
            "amount_refunded": from_paypal_value(total.get("value"), currency),
            "refunds": [{"id": data["id"], "status": "succeeded", "metadata": data["metadata"]}],
        }
        return await events.process(gateway, event_id, events.REFUNDED, charge)
    return await events.process(gateway, event_id, kind, data)
