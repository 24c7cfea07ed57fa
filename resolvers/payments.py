"""Payments root fields: a shopper starts a payment for their order (a guest with the order's
email), pays it with a test card when the shop runs the built-in test gateway, and lists
the methods offered for an order.

Ownership is checked in the services: another shopper's order or payment is answered as
not found.
"""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.kit import input_pk, mutation, or_none
from schema.payments import (
    CompletePaymentInput,
    ConfirmTestPaymentInput,
    CreatePaymentInput,
    PaymentPayload,
    PaymentType,
    PayWithTestCardInput,
)
from services.payments import completion, payments, test_gateway


@strawberry.type
class PaymentsQuery:
    @strawberry.field(
        description="The payment methods offered for an unpaid order (empty once it is paid "
        "or cancelled): for the shopper who placed it, or anyone giving a guest order's email."
    )
    async def payment_methods(
        self, info: Info, order_number: str, email: str | None = None
    ) -> list[str]:
        order = await or_none(
            payments.payable_order(
                order_number, info.context.viewer, email=email, client=info.context.client_address
            )
        )
        return await payments.payment_methods(order) if order is not None else []


@strawberry.type
class PaymentsMutation:
    @mutation(
        description="Start paying an unpaid order: the payment comes back with the client "
        "secret and the next action the storefront completes with the provider. The "
        "shopper's own order, or a guest order with its email."
    )
    async def create_payment(self, info: Info, input: CreatePaymentInput) -> PaymentPayload:
        created = await payments.create_payment(
            input.order_number,
            input.method,
            info.context.viewer,
            input.return_url,
            email=input.email,
            client=info.context.client_address,
            mobile=input.mobile,
        )
        return PaymentPayload(
            payment=PaymentType.build(
                created.payment,
                client_secret=created.client_secret,
                publishable_key=payments.publishable_key(created.payment),
            )
        )

    @mutation(
        description="Finish a payment when the shopper comes back from the provider's page: "
        "a PayPal payment they approved is captured; for other providers the shop asks how "
        "the payment stands. It comes back SUCCEEDED, PROCESSING, FAILED, or still "
        "REQUIRES_ACTION when it was not approved or paid yet. The shopper's own order, or a "
        "guest order with its email."
    )
    async def complete_payment(self, info: Info, input: CompletePaymentInput) -> PaymentPayload:
        payment = await completion.complete_payment(
            input_pk(input.payment_id, "Payment", "paymentId", what="The payment"),
            info.context.viewer,
            email=input.email,
            client=info.context.client_address,
        )
        return PaymentPayload(payment=PaymentType.build(payment))

    @mutation(
        description="Pay a payment of the built-in test gateway with a documented test card "
        "(the shopper who owns it, or anyone with its client secret)."
    )
    async def pay_with_test_card(self, info: Info, input: PayWithTestCardInput) -> PaymentPayload:
        payment = await test_gateway.pay_with_test_card(
            input_pk(input.payment_id, "Payment", "paymentId", what="The payment"),
            input.card_number,
            viewer=info.context.viewer,
            client_secret=input.client_secret,
        )
        return PaymentPayload(payment=PaymentType.build(payment))

    @mutation(description="Complete the extra step a test card asked for (`nextAction`).")
    async def confirm_test_payment(
        self, info: Info, input: ConfirmTestPaymentInput
    ) -> PaymentPayload:
        payment = await test_gateway.confirm_test_payment(
            input_pk(input.payment_id, "Payment", "paymentId", what="The payment"),
            viewer=info.context.viewer,
            client_secret=input.client_secret,
        )
        return PaymentPayload(payment=PaymentType.build(payment))
