"""Payments root fields: a shopper starts a payment for their order (a guest with the order's
email), pays it with a test card when the shop runs the built-in test gateway, and lists
the methods offered for an order.

Ownership is checked in the services: another shopper's order or payment is answered as
not found.
"""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.payments import (
    ConfirmTestPaymentInput,
    CreatePaymentInput,
    PaymentPayload,
    PaymentType,
    PayWithTestCardInput,
    payment_errors,
)
from schema.relay import decode_id
from services.payments import payments, test_gateway
from services.payments.errors import PaymentError, not_found


def _payment_pk(value: str) -> int:
    pk = decode_id(value, "Payment")
    if pk is None:
        raise not_found("The payment", "paymentId")
    return pk


@strawberry.type
class PaymentsQuery:
    @strawberry.field(
        description="The payment methods offered for an unpaid order (empty once it is paid "
        "or cancelled): for the shopper who placed it, or anyone giving a guest order's email."
    )
    async def payment_methods(
        self, info: Info, order_number: str, email: str | None = None
    ) -> list[str]:
        try:
            order = await payments.payable_order(
                order_number, info.context.viewer, email=email, client=info.context.client_address
            )
        except PaymentError:
            return []
        return await payments.payment_methods(order)


@strawberry.type
class PaymentsMutation:
    @strawberry.mutation(
        description="Start paying an unpaid order: the payment comes back with the client "
        "secret and the next action the storefront completes with the provider. The "
        "shopper's own order, or a guest order with its email."
    )
    async def create_payment(self, info: Info, input: CreatePaymentInput) -> PaymentPayload:
        try:
            created = await payments.create_payment(
                input.order_number,
                input.method,
                info.context.viewer,
                input.return_url,
                email=input.email,
                client=info.context.client_address,
            )
        except PaymentError as exc:
            return PaymentPayload(errors=payment_errors(exc))
        return PaymentPayload(
            payment=PaymentType.build(
                created.payment,
                client_secret=created.client_secret,
                publishable_key=payments.publishable_key(created.payment),
            )
        )

    @strawberry.mutation(
        description="Pay a payment of the built-in test gateway with a documented test card "
        "(the shopper who owns it, or anyone with its client secret)."
    )
    async def pay_with_test_card(self, info: Info, input: PayWithTestCardInput) -> PaymentPayload:
        try:
            payment = await test_gateway.pay_with_test_card(
                _payment_pk(input.payment_id),
                input.card_number,
                viewer=info.context.viewer,
                client_secret=input.client_secret,
            )
        except PaymentError as exc:
            return PaymentPayload(errors=payment_errors(exc))
        return PaymentPayload(payment=PaymentType.build(payment))

    @strawberry.mutation(
        description="Complete the extra step a test card asked for (`nextAction`)."
    )
    async def confirm_test_payment(
        self, info: Info, input: ConfirmTestPaymentInput
    ) -> PaymentPayload:
        try:
            payment = await test_gateway.confirm_test_payment(
                _payment_pk(input.payment_id),
                viewer=info.context.viewer,
                client_secret=input.client_secret,
            )
        except PaymentError as exc:
            return PaymentPayload(errors=payment_errors(exc))
        return PaymentPayload(payment=PaymentType.build(payment))
