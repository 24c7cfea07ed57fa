"""Return policy root fields: shoppers read the policy a product is sold under and the
reasons they may give; staff who keep the shop's settings manage both."""

from __future__ import annotations

import strawberry

from models.returns import PolicyScope
from schema.context import Info
from schema.currency import Prices, shown_prices
from schema.kit import argument_pk, input_pk, mutation, query
from schema.money import CurrencyCode
from schema.permissions import CanManageSettings, require
from schema.returns.policy import (
    CreateReturnReasonInput,
    DeleteReturnReasonInput,
    DeleteReturnReasonPayload,
    EffectiveReturnPolicyType,
    RemoveReturnPolicyInput,
    RemoveReturnPolicyPayload,
    ReorderReturnReasonsInput,
    ReorderReturnReasonsPayload,
    ReturnPoliciesType,
    ReturnPolicyRuleType,
    ReturnReasonPayload,
    ReturnReasonType,
    SetReturnPolicyInput,
    SetReturnPolicyPayload,
    TranslateReturnReasonInput,
    UpdateReturnReasonInput,
)
from services.auth import StaffPermission
from services.returns import policy as policies
from services.returns import reasons

_TARGET_TYPES = {PolicyScope.CATEGORY: "Category", PolicyScope.PRODUCT: "Product"}


def _target_pk(scope: PolicyScope, target_id: strawberry.ID | None) -> int | None:
    """The category's or product's key (None when none is given)."""
    if target_id is None:
        return None
    if scope is PolicyScope.SHOP:
        raise policies.shop_takes_no_target()
    return input_pk(target_id, _TARGET_TYPES[scope], "target_id", what=f"The {scope.value}")


def _reason_pk(value: strawberry.ID, *field: str) -> int:
    return input_pk(value, "ReturnReason", *(field or ("id",)), what="The reason")


@strawberry.type
class ReturnPolicyQuery:
    @query(
        description="The return policy a product is sold under (the shop's for a product "
        "that no longer exists), its fee in the currency prices are shown in."
    )
    async def return_policy(
        self, info: Info, product_id: strawberry.ID, currency: CurrencyCode | None = None
    ) -> EffectiveReturnPolicyType:
        pk = argument_pk(product_id, "Product", "productId")
        prices = await shown_prices(info, currency)
        found = await policies.policies_for([pk])
        return EffectiveReturnPolicyType.build(found[pk], info.context.locale, prices)

    @strawberry.field(
        description="The reasons a shopper may give for a return, in order, named in the "
        "request's language. `includeInactive` (settings staff only) lists every reason."
    )
    async def return_reasons(
        self, info: Info, include_inactive: bool = False
    ) -> list[ReturnReasonType]:
        locale = info.context.locale
        if not include_inactive:
            return [
                ReturnReasonType.build(shown.reason, locale)
                for shown in await reasons.shown_reasons(locale)
            ]
        require(info.context.viewer, StaffPermission.SETTINGS)
        rows = await reasons.list_reasons(active_only=False)
        used = await reasons.used_reason_ids([r.id for r in rows])
        return [ReturnReasonType.build(r, locale, in_use=r.id in used) for r in rows]

    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="The shop's return policy and its overrides per category and product.",
    )
    async def return_policies(self, info: Info) -> ReturnPoliciesType:
        found = await policies.list_policies()
        settings = info.context.settings
        return ReturnPoliciesType(
            shop=ReturnPolicyRuleType.build(found.shop) if found.shop else None,
            effective_shop=EffectiveReturnPolicyType.build(
                await policies.shop_policy(), info.context.locale, Prices.shop()
            ),
            overrides=[ReturnPolicyRuleType.build(o.row, o.target_name) for o in found.overrides],
            shop_currency=settings.shop_currency,
            default_locale=settings.default_locale,
            locales=[
                settings.default_locale,
                *(c for c in settings.supported_locales if c != settings.default_locale),
            ],
        )


@strawberry.type
class ReturnPolicyMutation:
    @mutation(
        permission_classes=[CanManageSettings],
        description="Set the return policy of the shop, a category or a product: created, "
        "or changed when it has one.",
    )
    async def set_return_policy(self, input: SetReturnPolicyInput) -> SetReturnPolicyPayload:
        scope = PolicyScope(input.scope)
        row, created = await policies.set_policy(
            scope,
            _target_pk(scope, input.target_id),
            {
                "returnable": input.returnable,
                "window_days": input.window_days,
                "restocking_fee_bps": input.restocking_fee_bps,
                "return_shipping_payer": input.return_shipping_payer,
                "return_shipping_fee": input.return_shipping_fee,
            },
        )
        names = {o.row.id: o.target_name for o in (await policies.list_policies()).overrides}
        return SetReturnPolicyPayload(
            policy=ReturnPolicyRuleType.build(row, names.get(row.id)), created=created
        )

    @mutation(
        permission_classes=[CanManageSettings],
        description="Remove a category's or product's own policy (it takes the next one up), "
        "or the shop's (the built-in default applies).",
    )
    async def remove_return_policy(
        self, input: RemoveReturnPolicyInput
    ) -> RemoveReturnPolicyPayload:
        scope = PolicyScope(input.scope)
        await policies.remove_policy(scope, _target_pk(scope, input.target_id))
        return RemoveReturnPolicyPayload(removed=True)

    @mutation(permission_classes=[CanManageSettings], description="Add a reason at the end.")
    async def create_return_reason(
        self, info: Info, input: CreateReturnReasonInput
    ) -> ReturnReasonPayload:
        reason = await reasons.create_reason(input.name, needs_photo=input.needs_photo)
        return ReturnReasonPayload(
            reason=ReturnReasonType.build(reason, info.context.locale, in_use=False)
        )

    @mutation(
        permission_classes=[CanManageSettings],
        description="Rename a reason, say whether it needs photos, or (de)activate it.",
    )
    async def update_return_reason(
        self, info: Info, input: UpdateReturnReasonInput
    ) -> ReturnReasonPayload:
        reason = await reasons.update_reason(
            _reason_pk(input.id),
            {"name": input.name, "needs_photo": input.needs_photo, "active": input.active},  # type: ignore[typeddict-item]
        )
        used = await reasons.used_reason_ids([reason.id])
        return ReturnReasonPayload(
            reason=ReturnReasonType.build(reason, info.context.locale, in_use=reason.id in used)
        )

    @mutation(
        permission_classes=[CanManageSettings],
        description="Name a reason in one of the shop's locales; an empty name removes it.",
    )
    async def translate_return_reason(
        self, info: Info, input: TranslateReturnReasonInput
    ) -> ReturnReasonPayload:
        reason = await reasons.translate_reason(_reason_pk(input.id), input.locale, input.name)
        used = await reasons.used_reason_ids([reason.id])
        return ReturnReasonPayload(
            reason=ReturnReasonType.build(reason, info.context.locale, in_use=reason.id in used)
        )

    @mutation(permission_classes=[CanManageSettings], description="Put reasons in a new order.")
    async def reorder_return_reasons(
        self, info: Info, input: ReorderReturnReasonsInput
    ) -> ReorderReturnReasonsPayload:
        ids = [_reason_pk(rid, "ids", str(i)) for i, rid in enumerate(input.ids)]
        rows = await reasons.reorder_reasons(ids)
        used = await reasons.used_reason_ids([r.id for r in rows])
        return ReorderReturnReasonsPayload(
            reasons=[
                ReturnReasonType.build(r, info.context.locale, in_use=r.id in used) for r in rows
            ]
        )

    @mutation(
        permission_classes=[CanManageSettings],
        description="Delete a reason no return names; a used one is refused IN_USE.",
    )
    async def delete_return_reason(
        self, input: DeleteReturnReasonInput
    ) -> DeleteReturnReasonPayload:
        await reasons.delete_reason(_reason_pk(input.id))
        return DeleteReturnReasonPayload(deleted_id=input.id)
