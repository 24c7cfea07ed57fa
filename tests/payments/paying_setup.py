"""Unpaid orders ready to pay: a German shopper's euro order in a USD shop."""

from __future__ import annotations

from typing import Any

from models.accounts import User
from models.currency import PresentmentCurrency
from models.orders import Order
from tests.factories import make_product
from tests.orders.checkout_setup import ready_shop
from tests.orders.handling_setup import placed_order

CREATE = """
mutation($input: CreatePaymentInput!) {
  createPayment(input: $input) {
    payment { id status method attempt amount { amount currency } clientSecret publishableKey
              nextAction failureMessage }
    errors { field code message }
  }
}
"""
PAY = """
mutation($input: PayWithTestCardInput!) {
  payWithTestCard(input: $input) {
    payment { id status failureCode failureMessage nextAction amountReceived { amount } }
    errors { field code message }
  }
}
"""
CONFIRM = """
mutation($input: ConfirmTestPaymentInput!) {
  confirmTestPayment(input: $input) {
    payment { id status nextAction }
    errors { field code message }
  }
}
"""


async def euro_order(user: User | None, **fields: Any) -> Order:
    """An unpaid order of one 10.00 USD item priced at 0.92 EUR per USD: 9.20 EUR, to Germany."""
    if not await PresentmentCurrency.exists(code="EUR"):
        await ready_shop()
    product = await make_product(prices=("10.00",))
    variant = (await product.variants.all())[0]
    fields.setdefault("ship_country", "DE")
    email = fields.pop("email", None)
    order = await placed_order(user, [(variant, 1)], currency="EUR", rate="0.92", **fields)
    if email is not None:
        order.email = email
        await order.save(update_fields=["email"])
    return order


async def pay_by_card(client: Any, order: Order, user: User, card: str = "4242424242424242") -> Any:
    """The shopper opens a card payment for their order and pays it with a test card; returns
    `payWithTestCard`'s payment."""
    given = {"orderNumber": order.number, "method": "card"}
    created = await client.query(CREATE, {"input": given}, user=user)
    payment_id = created["createPayment"]["payment"]["id"]
    paid = await client.query(
        PAY, {"input": {"paymentId": payment_id, "cardNumber": card}}, user=user
    )
    return paid["payWithTestCard"]["payment"]
