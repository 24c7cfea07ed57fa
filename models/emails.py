"""Emails sent to shoppers about their orders: one row per email, kept as a record.

A row is claimed before the message goes out and marked sent or failed after, so a job that
runs again finds the email already sent and sends nothing; (order, kind, key) is unique. The
key tells apart emails of one kind an order may get several of: one per shipment, one per
refund, one per parcel and tracking status episode (`<shipment>:<epoch seconds>`), one per
staff message (the timeline note's id), one per return or cancellation request and kind.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.orders import Order


class EmailKind(StrEnum):
    ORDER_PLACED = "order_placed"
    PAYMENT_RECEIVED = "payment_received"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    # A parcel's tracking (one per shipment and status episode).
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_ATTEMPT_FAILED = "delivery_attempt_failed"
    TRACKING_EXCEPTION = "tracking_exception"
    CUSTOMS_DUTIES_DUE = "customs_duties_due"
    #: Staff wrote to the shopper about a parcel (one per message).
    SHIPMENT_NOTICE = "shipment_notice"
    # A return (one per return and kind; the key is the return's id).
    RETURN_REQUESTED = "return_requested"
    RETURN_APPROVED = "return_approved"
    RETURN_DECLINED = "return_declined"
    RETURN_RECEIVED = "return_received"
    RETURN_CLOSED = "return_closed"
    RETURN_CANCELLED = "return_cancelled"
    #: To the shop's contact address, not the shopper: a return is waiting in the queue.
    SHOP_RETURN_REQUESTED = "shop_return_requested"
    # A shopper's request to cancel (the key is the request's id).
    CANCELLATION_APPROVED = "cancellation_approved"
    CANCELLATION_DECLINED = "cancellation_declined"


class EmailStatus(StrEnum):
    #: Claimed by a job that is handing it to the mail server now.
    SENDING = "sending"
    SENT = "sent"
    #: The last attempt failed (see `error`), and the job tries again.
    FAILED = "failed"


class SentEmail(Model):
    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="emails", on_delete=OnDelete.CASCADE
    )
    order_id: int
    kind = fields.CharEnumField(EmailKind, max_length=24)
    #: Which one of its kind: the shipment or refund id (empty for once-per-order kinds).
    key = fields.CharField(max_length=64, default="")
    to = fields.CharField(max_length=254)
    #: The language it was written in.
    language = fields.CharField(max_length=16)
    subject = fields.CharField(max_length=300, default="")
    status = fields.CharEnumField(EmailStatus, max_length=16, default=EmailStatus.SENDING)
    #: Why the last attempt failed, as the mail server or the connection said.
    error = fields.CharField(max_length=500, default="")
    #: The Message-ID the email went out with, which bounces and replies refer to.
    provider_message_id = fields.CharField(max_length=255, default="")
    attempts = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    #: When the current attempt claimed the row (a claim older than the lease is taken over).
    claimed_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "emails_sent_email"
        unique_together = (("order", "kind", "key"),)
        ordering = ["created_at", "id"]
