"""Every root field is either meant for its caller or refuses them.

The test walks the schema itself, so a new mutation or query cannot ship unguarded: it
either joins one of the lists below (a deliberate decision, visible in review) or it
must refuse anonymous callers and customers with UNAUTHENTICATED or FORBIDDEN.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
)

from domains import build_schema
from tests.factories import make_user

#: Mutations anyone may call: they start or end a sign-in.
PUBLIC_MUTATIONS = {
    "registerWithEmail",
    "resendEmailVerification",
    "verifyEmail",
    "signIn",
    "requestPhoneCode",
    "signInWithPhoneCode",
    "refreshSession",
    "signOut",
    "requestPasswordReset",
    "resetPassword",
    "startOAuthSignIn",
    "completeOAuthSignIn",
    # Guest checkout: carts are found by their secret token, orders placed by anyone.
    "addToCart",
    "updateCartLine",
    "applyCartCoupon",
    "placeOrder",
    # Paying: a shopper's own order, or a guest order proven by its email; a test-gateway
    # payment by its owner or its client secret. Anyone else's is answered as not found.
    "createPayment",
    "payWithTestCard",
    "confirmTestPayment",
    "completePayment",
    # After-sales on one's own order: a member's by number, a guest's with its access token.
    # Anyone else's order (or return) is answered as not found.
    "requestReturn",
    "cancelReturn",
    "requestOrderCancellation",
    # Chat: a member's own conversation, a guest's with its signed token; staff are refused
    # (they answer from the console). Anyone else's conversation is answered as not found.
    "startConversation",
    "sendMessage",
    "markConversationRead",
    "markMessagesDelivered",
    "setTyping",
    # Rating the help: the conversation's member, or a guest with its token.
    "rateConversation",
}
#: Mutations a signed-in customer may call, on their own data only.
CUSTOMER_MUTATIONS = {
    "signOutEverywhere",
    "mergeCart",
    "changePassword",
    "requestLoginChange",
    "confirmLoginChange",
    "startOAuthLink",
    "unlinkOAuthIdentity",
    "updateProfile",
    "uploadAvatar",
    "removeAvatar",
    "createAddress",
    "updateAddress",
    "deleteAddress",
    "setDefaultAddress",
    "deleteMyAccount",
    "checkIn",
    "redeemReward",
    "createReview",
    "updateMyReview",
    "deleteMyReview",
    "cancelMyOrder",
}
#: Queries of the storefront, open to anyone (each hides what a caller may not see).
PUBLIC_QUERIES = {
    "node",
    "nodes",
    "me",
    "products",
    "product",
    "categories",
    "category",
    "brands",
    "brand",
    "oauthProviders",
    "membershipTiers",
    "rewards",
    "checkCoupon",
    "orderLookup",
    "shippingOptions",
    "currencies",
    "currencyQuote",
    "cart",
    "checkoutQuote",
    # The policy a product is sold under and the active return reasons; inactive reasons
    # (`includeInactive`) are refused to anyone but settings staff.
    "returnPolicy",
    "returnReasons",
    # Empty unless the caller placed the order or gives a guest order's email.
    "paymentMethods",
    "paymentOptions",
    # Null unless the caller is its member, holds its guest token, or is support staff.
    "conversation",
}
#: Queries for a signed-in customer's own data.
CUSTOMER_QUERIES = {
    "exportMyData",
    "myConversations",
    "myReviews",
    "myRedemptions",
    "myOrders",
    "order",
}

REFUSED = {"UNAUTHENTICATED", "FORBIDDEN"}


def _value(type_: GraphQLInputType) -> Any:
    """Some value of the type that passes argument coercion; permissions run after it."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type)
    if isinstance(type_, GraphQLList):
        return [_value(type_.of_type)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: _value(field.type)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
    assert isinstance(type_, GraphQLScalarType)
    return {
        "Int": 1,
        "Float": 1.0,
        "Boolean": True,
        "ID": "VXNlcjox",
        "DateTime": "2030-01-01T00:00:00+00:00",
        "Date": "2000-01-01",
        "JSON": {},
        "String": "TW00000000",  # fits every kind of string, order numbers included
    }.get(type_.name, "1")


def _operation(kind: str, name: str, field: GraphQLField) -> tuple[str, dict[str, Any]]:
    """A document calling one root field with every required argument, and its variables."""
    declared = [f"${arg}: {spec.type}" for arg, spec in field.args.items()]
    passed = [f"{arg}: ${arg}" for arg in field.args]
    variables = {arg: _value(spec.type) for arg, spec in field.args.items()}
    head = f"{kind} Probe({', '.join(declared)})" if declared else f"{kind} Probe"
    call = f"{name}({', '.join(passed)})" if passed else name
    return f"{head} {{ {call} {{ __typename }} }}", variables


def _scalar_result(field: GraphQLField) -> bool:
    type_ = field.type
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return isinstance(type_, GraphQLScalarType | GraphQLEnumType)


def _root_fields(kind: str) -> list[tuple[str, GraphQLField]]:
    schema: GraphQLSchema = build_schema()._schema
    root = schema.mutation_type if kind == "mutation" else schema.query_type
    assert root is not None
    return sorted(root.fields.items())


async def _assert_refused(client, kind, name, field, **who):
    document, variables = _operation(kind, name, field)
    if _scalar_result(field):
        document = document.replace(" { __typename }", "")
    body = await client.request(document, variables, **who)
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    assert codes & REFUSED, f"{name} was not refused to {who or 'an anonymous caller'}: {body}"
    assert not (body.get("data") or {}).get(name), f"{name} answered {who}: {body}"


@pytest.mark.parametrize("kind", ["mutation", "query"])
async def test_every_guarded_root_field_refuses_anonymous_callers_and_customers(client, kind):
    public = PUBLIC_MUTATIONS if kind == "mutation" else PUBLIC_QUERIES
    customer_ok = CUSTOMER_MUTATIONS if kind == "mutation" else CUSTOMER_QUERIES
    fields = _root_fields(kind)
    names = {name for name, _ in fields}
    assert not (public | customer_ok) - names, "the allow-lists name fields that no longer exist"
    customer = await make_user()
    checked = 0
    for name, field in fields:
        if name in public:
            continue
        await _assert_refused(client, kind, name, field)
        if name not in customer_ok:
            await _assert_refused(client, kind, name, field, user=customer)
        checked += 1
    assert checked > 0


async def test_staff_without_the_permission_are_refused(client):
    from models.accounts import Role

    clerk = await make_user(role=Role.STAFF, permissions=("support",))
    body = await client.request(
        'mutation { createBrand(input: {name: "X"}) { errors { code } } }', user=clerk
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    allowed = await make_user(role=Role.STAFF, permissions=("catalog",))
    body = await client.request(
        'mutation { createBrand(input: {name: "X"}) { brand { name } errors { code } } }',
        user=allowed,
    )
    assert body["data"]["createBrand"]["brand"] == {"name": "X"}
