"""A member's rights over their data: a copy of everything held, and erasure.

Export reads every table that holds rows about the member, each filtered by the member's
id, so another person's rows cannot appear.

Deletion erases personal data and keeps the account row as an anonymous tombstone:
- erased: sign-in email and phone, password hash, nickname, gender, birthday, contact
  email and phone, preferences, avatar (and its file), addresses, linked identities,
  refresh tokens (sessions), one-time codes and pending provider sign-ins;
- kept: orders, with their own email snapshot and shipping country, because the shop
  must keep its books (tax and accounting law); coupon uses, which belong to those
  orders; reviews, shown as by a deleted member; the points ledger and check-ins, which
  say nothing about the person once the row is anonymous.
The row is marked deleted and inactive and its token epoch raised, so every token issued
before stops working at once and nobody can sign in to it again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models.accounts import (
    Gender,
    OAuthAttempt,
    OAuthIdentity,
    RefreshToken,
    Role,
    User,
    VerificationCode,
)
from models.coupons import CouponUse
from models.members import Address, CheckIn, PointsEntry, RewardRedemption
from models.orders import Order, OrderLine
from models.reviews import Review, ReviewImage
from services import rate_limit
from services.accounts.passwords import verify_password
from services.errors import Problems
from services.members.errors import MemberError, MemberErrorCode, fail, not_found
from services.members.profiles import discard_avatar
from services.money import Money
from settings import get_settings

#: What a member types to confirm that the account is to be deleted.
CONFIRMATION = "DELETE"
EXPORT_FORMAT = 1


def _time(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(minor: int, currency: str) -> dict[str, str]:
    return {"amount": str(Money(minor, currency).amount), "currency": currency}


async def export_data(user_id: int, *, media_base: str = "") -> dict[str, Any]:
    """Everything held about the member, as a JSON-ready document (camelCase keys)."""
    user = await User.get_or_none(id=user_id, deleted_at=None)
    if user is None:
        raise not_found("The account")
    orders = await Order.filter(user_id=user_id).order_by("placed_at", "id")
    lines = await OrderLine.filter(order__user_id=user_id).order_by("id")
    reviews = await Review.filter(user_id=user_id).order_by("created_at", "id")
    images = await ReviewImage.filter(review__user_id=user_id).order_by("position", "id")
    shop_currency = get_settings().shop_currency
    orders_by_id = {order.id: order for order in orders}
    lines_by_order: dict[int, list[dict[str, Any]]] = {}
    for line in lines:
        order = orders_by_id[line.order_id]
        lines_by_order.setdefault(line.order_id, []).append(
            {
                "productName": line.product_name,
                "variantName": line.variant_name,
                "sku": line.sku,
                "quantity": line.quantity,
                "unitPrice": _money(line.unit_price_presentment, order.currency),
                "lineTotal": _money(line.line_total_presentment, order.currency),
            }
        )
    images_by_review: dict[int, list[str]] = {}
    for image in images:
        images_by_review.setdefault(image.review_id, []).append(media_base + image.path)

    return {
        "format": EXPORT_FORMAT,
        "exportedAt": _time(datetime.now(UTC)),
        "profile": {
            "nickname": user.nickname,
            "gender": str(user.gender),
            "birthday": _time(user.birthday),
            "contactEmail": user.contact_email,
            "contactPhone": user.contact_phone,
            "locale": user.locale,
            "currency": user.currency,
            "avatarUrl": media_base + user.avatar if user.avatar else None,
            "membershipTierId": user.tier_id,
        },
        "account": {
            "email": user.email,
            "emailVerifiedAt": _time(user.email_verified_at),
            "phone": user.phone,
            "phoneVerifiedAt": _time(user.phone_verified_at),
            "hasPassword": user.password_hash is not None,
            "role": str(user.role),
            "createdAt": _time(user.created_at),
            "lastSignInAt": _time(user.last_sign_in_at),
        },
        "linkedIdentities": [
            {
                "provider": row.provider,
                "subject": row.subject,
                "email": row.email,
                "displayName": row.display_name,
                "linkedAt": _time(row.created_at),
                "lastUsedAt": _time(row.last_used_at),
            }
            for row in await OAuthIdentity.filter(user_id=user_id).order_by("provider")
        ],
        "sessions": [
            {
                "startedAt": _time(row.created_at),
                "expiresAt": _time(row.expires_at),
                "userAgent": row.user_agent,
                "clientAddress": row.client_address,
            }
            for row in await RefreshToken.filter(user_id=user_id).order_by("created_at", "id")
        ],
        "addresses": [
            {
                "fullName": row.full_name,
                "company": row.company,
                "line1": row.line1,
                "line2": row.line2,
                "city": row.city,
                "region": row.region,
                "postalCode": row.postal_code,
                "country": row.country,
                "phone": row.phone,
                "isDefault": row.is_default,
                "createdAt": _time(row.created_at),
            }
            for row in await Address.filter(user_id=user_id).order_by("id")
        ],
        "orders": [
            {
                "number": order.number,
                "status": str(order.status),
                "email": order.email,
                "placedAt": _time(order.placed_at),
                "completedAt": _time(order.completed_at),
                "shipCountry": order.ship_country,
                "total": _money(order.total_presentment, order.currency),
                "lines": lines_by_order.get(order.id, []),
            }
            for order in orders
        ],
        "pointsEntries": [
            {
                "amount": row.amount,
                "kind": str(row.kind),
                "note": row.note,
                "createdAt": _time(row.created_at),
                "expiresAt": _time(row.expires_at),
            }
            for row in await PointsEntry.filter(user_id=user_id).order_by("created_at", "id")
        ],
        "checkIns": [
            {"day": _time(row.day), "streak": row.streak, "points": row.points}
            for row in await CheckIn.filter(user_id=user_id).order_by("day")
        ],
        "rewardRedemptions": [
            {
                "reward": row.reward.name,
                "points": row.points,
                "status": str(row.status),
                "createdAt": _time(row.created_at),
            }
            for row in await RewardRedemption.filter(user_id=user_id)
            .select_related("reward")
            .order_by("created_at", "id")
        ],
        "reviews": [
            {
                "productId": row.product_id,
                "rating": row.rating,
                "title": row.title,
                "body": row.body,
                "status": str(row.status),
                "images": images_by_review.get(row.id, []),
                "createdAt": _time(row.created_at),
            }
            for row in reviews
        ],
        "couponUses": [
            {
                "code": row.coupon.code,
                "orderNumber": orders_by_id[row.order_id].number
                if row.order_id in orders_by_id
                else None,
                "discount": _money(row.discount, shop_currency),
                "usedAt": _time(row.created_at),
                "releasedAt": _time(row.released_at),
            }
            for row in await CouponUse.filter(user_id=user_id)
            .select_related("coupon")
            .order_by("created_at", "id")
        ],
    }


async def _password_matches(user: User, password: str) -> bool:
    """The password check, counted like a sign-in so a held session cannot guess passwords."""
    settings = get_settings()
    try:
        await rate_limit.hit(
            f"signin:account:user:{user.id}",
            limit=settings.sign_in_limit_per_account,
            window=settings.sign_in_window_seconds,
        )
    except rate_limit.RateLimited as exc:
        raise fail(
            MemberErrorCode.RATE_LIMITED,
            f"Too many attempts. Try again in {exc.retry_after} seconds.",
            "password",
        ) from None
    return await verify_password(user.password_hash, password)


async def delete_account(*, user_id: int, password: str | None, confirm: str) -> datetime:
    """Erase the member's personal data and close the account; returns when.

    The password is asked for when the account has one, so a borrowed unlocked device
    cannot erase an account; nothing changes when a check fails.
    """
    user = await User.get_or_none(id=user_id, deleted_at=None)
    if user is None:
        raise not_found("The account")
    if user.role != Role.CUSTOMER:
        raise fail(
            MemberErrorCode.INVALID, "Staff accounts are closed by an admin, not deleted here."
        )
    problems = Problems(MemberError)
    if confirm != CONFIRMATION:
        problems.add(MemberErrorCode.INVALID, f"Type {CONFIRMATION} to confirm.", "confirm")
    if user.password_hash is not None:
        if not password:
            problems.add(MemberErrorCode.REQUIRED, "Enter your password.", "password")
        elif not await _password_matches(user, password):
            problems.add(MemberErrorCode.WRONG_PASSWORD, "The password is not right.", "password")
    problems.raise_if_any()

    now = datetime.now(UTC)
    avatar = user.avatar
    targets = [t for t in (user.email, user.phone) if t]
    async with in_transaction("default"):
        erased = await User.filter(id=user_id, deleted_at=None).update(
            email=None,
            email_verified_at=None,
            phone=None,
            phone_verified_at=None,
            password_hash=None,
            nickname="",
            gender=Gender.UNSPECIFIED,
            birthday=None,
            contact_email=None,
            contact_phone=None,
            locale=None,
            currency=None,
            avatar=None,
            is_active=False,
            deleted_at=now,
            token_epoch=F("token_epoch") + 1,
            updated_at=now,
        )
        if not erased:  # deleted by a concurrent request meanwhile
            raise not_found("The account")
        await Address.filter(user_id=user_id).delete()
        await OAuthIdentity.filter(user_id=user_id).delete()
        await OAuthAttempt.filter(link_user_id=user_id).delete()
        await RefreshToken.filter(user_id=user_id).delete()
        # Codes sent before the account existed name only the address they went to.
        codes = Q(user_id=user_id)
        if targets:
            codes |= Q(target__in=targets)
        await VerificationCode.filter(codes).delete()
    if avatar:
        await discard_avatar(avatar)
    return now
