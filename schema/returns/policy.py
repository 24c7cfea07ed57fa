"""Return policy and reason types, inputs and payloads.

Shoppers read the policy a product is sold under (`EffectiveReturnPolicy`, with a one-line
summary in their language and the return shipping fee in their currency) and the active
reasons; staff who keep the shop's settings read and change the stored policies
(`ReturnPolicyRule`) and the reasons with their translations.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import strawberry

from models.returns import PolicyScope, ReturnPolicy, ReturnReason, ReturnShippingPayer
from schema.currency import Prices
from schema.errors import UserError
from schema.money import MoneyType
from schema.relay import encode_id
from services.returns import policy as policies
from services.returns import reasons as reason_rules
from services.returns import wording
from services.returns.setup_errors import ReturnSetupErrorCode
from settings import get_settings

ReturnPolicyScopeEnum = strawberry.enum(
    PolicyScope,
    name="ReturnPolicyScope",
    description="What a policy covers: the whole shop, a category (and its subcategories "
    "without one of their own), or one product. The most specific one applies.",
)
ReturnShippingPayerEnum = strawberry.enum(
    ReturnShippingPayer,
    name="ReturnShippingPayer",
    description="Who pays for the parcel sent back: the customer (the fee is kept from the "
    "refund) or the merchant.",
)
ReturnSetupErrorCodeEnum = strawberry.enum(ReturnSetupErrorCode, name="ReturnSetupErrorCode")

_TARGET_TYPES = {PolicyScope.CATEGORY: "Category", PolicyScope.PRODUCT: "Product"}


@strawberry.type(
    name="EffectiveReturnPolicy",
    description="The return policy a product is sold under, as a shopper reads it.",
)
class EffectiveReturnPolicyType:
    returnable: bool = strawberry.field(description="False: final sale, never returnable.")
    final_sale: bool = strawberry.field(description="The opposite of `returnable`.")
    window_days: int = strawberry.field(
        description="Days to ask for a return, counted from the delivery date tracking "
        "recorded (or the shipping date plus the shop's delivery margin)."
    )
    return_shipping_payer: ReturnShippingPayerEnum  # type: ignore[valid-type]
    return_shipping_fee: MoneyType = strawberry.field(
        description="What the customer pays for the return parcel (0 when the merchant pays), "
        "in the currency prices are shown in."
    )
    restocking_fee_bps: int = strawberry.field(
        description="Kept from the refund of a returned line, in basis points (1 % = 100)."
    )
    restocking_fee_percent: str = strawberry.field(description='The same as a percentage: "10".')
    summary: str = strawberry.field(
        description="The policy in one line, in the request's language: \"Returns within 30 "
        'days of delivery · return shipping paid by you ($8.00) · 10 % restocking fee".'
    )
    source: ReturnPolicyScopeEnum = strawberry.field(  # type: ignore[valid-type]
        description="Where the policy was set: on the product, a category, or the shop."
    )

    @classmethod
    def build(
        cls, policy: policies.EffectivePolicy, locale: str, prices: Prices
    ) -> EffectiveReturnPolicyType:
        fee = (
            policy.return_shipping_fee
            if policy.returnable and policy.return_shipping_payer == ReturnShippingPayer.CUSTOMER
            else 0
        )
        shown = prices.exact_minor(fee)
        return cls(
            returnable=policy.returnable,
            final_sale=not policy.returnable,
            window_days=policy.window_days,
            return_shipping_payer=policy.return_shipping_payer,
            return_shipping_fee=MoneyType.minor(shown, prices.currency),
            restocking_fee_bps=policy.restocking_fee_bps,
            restocking_fee_percent=wording.percent_of(policy.restocking_fee_bps),
            summary=wording.summary(policy, locale, fee_minor=shown, currency=prices.currency),
            source=policy.scope,
        )


class ProductPolicies:
    """The policies of a set of products, looked up together on first use: the lines of one
    cart each ask for theirs, and the lookup runs once for all of them."""

    def __init__(self, product_ids: Iterable[int]) -> None:
        self.product_ids = sorted(set(product_ids))
        self._found: asyncio.Future[dict[int, policies.EffectivePolicy]] | None = None

    async def of(self, product_id: int) -> policies.EffectivePolicy:
        if self._found is None:
            self._found = asyncio.ensure_future(policies.policies_for(self.product_ids))
        found = await asyncio.shield(self._found)
        return found.get(product_id) or await policies.shop_policy()


@strawberry.type(name="ReturnPolicyTarget", description="The category or product a policy is on.")
class ReturnPolicyTargetType:
    id: strawberry.ID = strawberry.field(description="A Category or Product ID.")
    name: str


@strawberry.type(name="ReturnPolicyRule", description="A return policy the merchant set.")
class ReturnPolicyRuleType:
    id: strawberry.ID
    scope: ReturnPolicyScopeEnum  # type: ignore[valid-type]
    target: ReturnPolicyTargetType | None = strawberry.field(
        description="The category or product; null for the shop's policy."
    )
    returnable: bool
    window_days: int
    restocking_fee_bps: int
    restocking_fee_percent: str
    return_shipping_payer: ReturnShippingPayerEnum  # type: ignore[valid-type]
    return_shipping_fee: MoneyType = strawberry.field(description="In the shop currency.")
    updated_at: datetime

    @classmethod
    def build(cls, row: ReturnPolicy, target_name: str | None = None) -> ReturnPolicyRuleType:
        scope = PolicyScope(row.scope)
        target_id = row.category_id or row.product_id
        return cls(
            id=encode_id("ReturnPolicy", row.id),
            scope=scope,
            target=ReturnPolicyTargetType(
                id=encode_id(_TARGET_TYPES[scope], target_id), name=target_name or ""
            )
            if scope is not PolicyScope.SHOP and target_id
            else None,
            returnable=row.returnable,
            window_days=row.window_days,
            restocking_fee_bps=row.restocking_fee_bps,
            restocking_fee_percent=wording.percent_of(row.restocking_fee_bps),
            return_shipping_payer=ReturnShippingPayer(row.return_shipping_payer),
            return_shipping_fee=MoneyType.minor(
                row.return_shipping_fee, get_settings().shop_currency
            ),
            updated_at=row.updated_at,
        )


@strawberry.type(name="ReturnPolicies", description="The shop's return policy and overrides.")
class ReturnPoliciesType:
    shop: ReturnPolicyRuleType | None = strawberry.field(
        description="The shop's own policy; null: never set, the built-in default applies."
    )
    effective_shop: EffectiveReturnPolicyType = strawberry.field(
        description="What products without an override are sold under (in the shop currency)."
    )
    overrides: list[ReturnPolicyRuleType] = strawberry.field(
        description="Policies of categories, then of products, by name."
    )
    shop_currency: str = strawberry.field(description="The currency of the fees as set.")
    default_locale: str = strawberry.field(description="The language reasons are named in.")
    locales: list[str] = strawberry.field(
        description="The shop's locales, the default first: those reasons may be translated "
        "into are the others."
    )


@strawberry.type(name="ReturnReasonTranslation")
class ReturnReasonTranslationType:
    locale: str
    name: str


@strawberry.type(name="ReturnReason", description="A reason a shopper gives for a return.")
class ReturnReasonType:
    id: strawberry.ID
    code: str = strawberry.field(description='A stable key for reports: "damaged", "wrong_size".')
    name: str = strawberry.field(description="In the request's language, else the shop's.")
    source_name: str = strawberry.field(
        description="The name as the merchant wrote it, in the shop's default language."
    )
    needs_photo: bool = strawberry.field(description="The shopper must add photos.")
    active: bool = strawberry.field(description="Inactive reasons are no longer offered.")
    position: int
    translations: list[ReturnReasonTranslationType]
    in_use: bool | None = strawberry.field(
        description="Settings staff: whether returns name it (it can then only be "
        "deactivated). Null for others."
    )

    @classmethod
    def build(
        cls, reason: ReturnReason, locale: str, *, in_use: bool | None = None
    ) -> ReturnReasonType:
        translations = sorted(reason.translations, key=lambda t: t.locale)
        return cls(
            id=encode_id("ReturnReason", reason.id),
            code=reason.code,
            name=reason_rules.name_in(reason, translations, locale),
            source_name=reason.name,
            needs_photo=reason.needs_photo,
            active=reason.active,
            position=reason.position,
            translations=[
                ReturnReasonTranslationType(locale=t.locale, name=t.name) for t in translations
            ],
            in_use=in_use,
        )


@strawberry.type(name="ReturnSetupError")
class ReturnSetupErrorType(UserError):
    code: ReturnSetupErrorCodeEnum  # type: ignore[valid-type]


# Inputs.


@strawberry.input(description="A policy is keyed by its scope and target: set twice, it changes.")
class SetReturnPolicyInput:
    scope: ReturnPolicyScopeEnum  # type: ignore[valid-type]
    target_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Category or Product ID; none for the shop's policy."
    )
    returnable: bool = strawberry.field(default=True, description="False: final sale.")
    window_days: int = strawberry.field(default=30, description="0 to 365.")
    restocking_fee_bps: int = strawberry.field(
        default=0, description="0 to 5000 basis points (0 to 50 %)."
    )
    return_shipping_payer: ReturnShippingPayerEnum = ReturnShippingPayer.CUSTOMER  # type: ignore[valid-type]
    return_shipping_fee: Decimal = strawberry.field(
        default=Decimal(0),
        description="In the shop currency, 0 to 100,000 units; ignored when the merchant pays.",
    )


@strawberry.input
class RemoveReturnPolicyInput:
    scope: ReturnPolicyScopeEnum  # type: ignore[valid-type]
    target_id: strawberry.ID | None = None


@strawberry.input
class CreateReturnReasonInput:
    name: str = strawberry.field(description="In the shop's default language; 120 at most.")
    needs_photo: bool = False


@strawberry.input(description="Fields left out keep their value.")
class UpdateReturnReasonInput:
    id: strawberry.ID
    name: str | None = None
    needs_photo: bool | None = None
    active: bool | None = None


@strawberry.input
class TranslateReturnReasonInput:
    id: strawberry.ID
    locale: str = strawberry.field(description="One of the shop's locales but the default.")
    name: str = strawberry.field(description="Empty removes the translation.")


@strawberry.input
class ReorderReturnReasonsInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="Reasons in their new order; those left out follow, as they were."
    )


@strawberry.input
class DeleteReturnReasonInput:
    id: strawberry.ID


# Payloads.


@strawberry.type
class ReturnSetupPayload:
    errors: list[ReturnSetupErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class SetReturnPolicyPayload(ReturnSetupPayload):
    policy: ReturnPolicyRuleType | None = None
    created: bool = strawberry.field(
        default=False, description="True when the policy was new, false when it was changed."
    )


@strawberry.type
class RemoveReturnPolicyPayload(ReturnSetupPayload):
    removed: bool = False


@strawberry.type
class ReturnReasonPayload(ReturnSetupPayload):
    reason: ReturnReasonType | None = None


@strawberry.type
class ReorderReturnReasonsPayload(ReturnSetupPayload):
    reasons: list[ReturnReasonType] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteReturnReasonPayload(ReturnSetupPayload):
    deleted_id: strawberry.ID | None = None
