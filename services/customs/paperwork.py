"""A parcel's customs papers for staff: what the order and the shop know of the parcel, put
together for `declaration.declare`, and the short-lived signed links the papers are
downloaded through.

A link is asked for through the API by staff with the ORDERS permission: the request checks
that the papers can be made (every missing fact is reported then), and the answer is a URL
holding a token signed with the shop's key, valid for `customs_document_link_seconds`. A
browser opens it like any file. Each download checks the token and, again, that its user is
still active, still signed in on the same token epoch and still allowed to see orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import jwt

from models.accounts import User
from models.customs import ChargeKind, MerchantRegistration, OrderCharge, RegistrationKind
from models.orders import Order, OrderLine, Shipment, ShipmentLine
from services.accounts.tokens import ALGORITHM, ISSUER, signing_key
from services.auth import StaffPermission, viewer_for_user
from services.customs import declaration, documents, sdr
from services.customs.declaration import (
    Address,
    Charge,
    Declaration,
    DocumentKind,
    Parcel,
    ParcelLine,
    not_found,
)
from services.customs.facts import customs_facts
from settings import Settings

#: The audience of document tokens: never an access token, nor the other way round.
AUDIENCE = "tradewind:customs-document"
#: How many parcels back a chain of replacements is followed to find the original.
_MAX_REPLACEMENTS = 20


class LinkRefused(Exception):
    """A download whose token is invalid, expired, or whose user may no longer see orders."""


@dataclass(frozen=True, slots=True)
class DocumentLink:
    token: str
    expires_at: datetime
    declaration: Declaration
    kind: DocumentKind

    @property
    def filename(self) -> str:
        return documents.filename(self.declaration, self.kind)


def ship_from(settings: Settings) -> str:
    """The country the shop's parcels leave from."""
    return settings.ship_from_country


def sender_of(settings: Settings) -> Address:
    return Address(
        name=settings.shop_name,
        lines=tuple(line for line in settings.shop_address_lines if line.strip()),
        city=settings.shop_address_city,
        postal_code=settings.shop_address_postal_code,
        region=settings.shop_address_region,
        country=ship_from(settings).upper(),
        phone=settings.shop_phone,
        email=settings.shop_contact_email,
    )


def receiver_of(order: Order) -> Address:
    given = order.shipping_address or {}

    def part(key: str) -> str:
        value = given.get(key)
        return value.strip() if isinstance(value, str) else ""

    return Address(
        name=part("full_name"),
        company=part("company"),
        lines=tuple(line for line in (part("line1"), part("line2")) if line),
        city=part("city"),
        postal_code=part("postal_code"),
        region=part("region"),
        country=(part("country") or order.ship_country).upper(),
        phone=part("phone") or order.phone,
    )


async def _first_parcel(shipment: Shipment) -> bool:
    """Whether `shipment` is (or replaces) the order's first parcel."""
    original = shipment
    for _ in range(_MAX_REPLACEMENTS):
        if original.replacement_for_id is None:
            break
        found = await Shipment.get_or_none(id=original.replacement_for_id)
        if found is None:
            break
        original = found
    first = (
        await Shipment.filter(
            order_id=shipment.order_id, replacement_for_id=None, return_request_id=None
        )
        .order_by("id")
        .first()
    )
    return first is None or first.id == original.id


async def _parcel_line(line: OrderLine, quantity: int, destination: str) -> ParcelLine:
    """The line's units with its customs snapshot, or for an order placed before orders kept
    one (nothing in it), the catalog's facts as they are now."""
    hs_code, hs_national, origin = line.hs_code, line.hs_national, line.origin_country
    description, material = line.customs_description, line.material
    weight, dangerous = line.net_weight_grams, line.dangerous_goods
    if not (hs_code or description or origin) and line.product_id and line.variant_id:
        await line.fetch_related("product", "variant")
        if line.product is not None and line.variant is not None:
            facts = customs_facts(line.product, line.variant, destination)
            hs_code, hs_national, origin = facts.hs_code, facts.hs_national, facts.origin_country
            description, material = facts.description, facts.material
            weight, dangerous = facts.net_weight_grams, facts.dangerous_goods
    return ParcelLine(
        line_id=line.id,
        product_name=line.product_name,
        variant_name=line.variant_name,
        sku=line.sku,
        quantity=quantity,
        line_quantity=line.quantity,
        hs_code=hs_code,
        hs_national=hs_national,
        origin_country=origin,
        description=description,
        material=material,
        unit_net_weight_grams=weight,
        dangerous_goods=dangerous,
    )


async def parcel_of(shipment_id: int, *, settings: Settings, today: date) -> Parcel:
    """What the papers of the shipment are made of; NOT_FOUND for no such shipment."""
    # A return parcel travels on the shopper's papers, not the shop's.
    shipment = await Shipment.get_or_none(id=shipment_id, return_request_id=None).select_related(
        "order", "carrier"
    )
    if shipment is None:
        raise not_found("The shipment", "shipment_id")
    order: Order = shipment.order
    receiver = receiver_of(order)
    order_lines = {line.id: line for line in await OrderLine.filter(order_id=order.id)}
    shipped: dict[int, int] = {}
    for shipment_line in await ShipmentLine.filter(shipment_id=shipment.id).order_by("id"):
        shipped[shipment_line.order_line_id] = (
            shipped.get(shipment_line.order_line_id, 0) + shipment_line.quantity
        )
    lines = [
        await _parcel_line(order_lines[line_id], quantity, receiver.country)
        for line_id, quantity in sorted(shipped.items())
        if line_id in order_lines and quantity > 0
    ]
    charges = [
        Charge(
            kind=ChargeKind(row.kind),
            name=row.name,
            regime=row.regime,
            rate_bps=row.rate_bps,
            amount=row.amount_presentment,
            collected=row.collected,
            line_id=row.line_id,
        )
        for row in await OrderCharge.filter(order_id=order.id)
    ]
    registrations = {
        RegistrationKind(row.kind): row.number for row in await MerchantRegistration.all()
    }
    carrier = shipment.carrier
    return Parcel(
        order_number=order.number,
        order_date=order.placed_at.astimezone(UTC).date(),
        currency=order.currency,
        order_line_totals={pk: line.line_total_presentment for pk, line in order_lines.items()},
        discount_total=order.discount_total_presentment,
        shipping_total=order.shipping_total_presentment,
        first_parcel=await _first_parcel(shipment),
        lines=lines,
        charges=charges,
        incoterm=order.incoterm,
        regime=order.customs_regime,
        tracking_number=shipment.tracking_number,
        carrier_code=carrier.code if carrier is not None else "",
        carrier_name=shipment.carrier_name,
        service_name=shipment.service_name,
        sender=sender_of(settings),
        receiver=receiver,
        registrations=registrations,
        sdr_in_currency=await sdr.sdr_in(order.currency, on=today),
        cn23_carriers=frozenset(code.lower() for code in settings.customs_cn23_carriers),
        merchant_locale=settings.default_locale,
        ship_from=ship_from(settings),
        printed_on=today,
    )


async def declare_shipment(shipment_id: int, *, settings: Settings, today: date) -> Declaration:
    """The shipment's papers; `DocumentError` says what is missing."""
    return declaration.declare(await parcel_of(shipment_id, settings=settings, today=today))


async def create_document_link(
    shipment_id: int,
    kind: DocumentKind,
    *,
    user_id: int,
    settings: Settings,
    now: datetime | None = None,
) -> DocumentLink:
    """A signed link for `user_id` to download the shipment's `kind` of paper, once the papers
    are known to be complete (`DocumentError` otherwise, and no link)."""
    now = now or datetime.now(UTC)
    papers = await declare_shipment(shipment_id, settings=settings, today=now.date())
    user = await User.get(id=user_id)
    expires = now + timedelta(seconds=settings.customs_document_link_seconds)
    token = jwt.encode(
        {
            "sub": str(user.id),
            "ep": user.token_epoch,
            "shp": shipment_id,
            "knd": kind.value,
            "iat": now,
            "exp": expires,
            "iss": ISSUER,
            "aud": AUDIENCE,
        },
        signing_key(settings),
        algorithm=ALGORITHM,
    )
    return DocumentLink(token=token, expires_at=expires, declaration=papers, kind=kind)


async def download(
    token: str, *, settings: Settings, now: datetime | None = None
) -> tuple[str, bytes]:
    """The file name and PDF a link's token stands for; `LinkRefused` for a token that is
    not ours, has expired, or whose user may no longer see orders, and `DocumentError` when
    the papers can no longer be made."""
    try:
        claims = jwt.decode(
            token,
            signing_key(settings),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            audience=AUDIENCE,
            options={"require": ["sub", "exp", "ep", "shp", "knd"]},
        )
        user_id, epoch, shipment_id = int(claims["sub"]), int(claims["ep"]), int(claims["shp"])
        kind = DocumentKind(claims["knd"])
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        raise LinkRefused from None
    user = await User.get_or_none(id=user_id, is_active=True, deleted_at=None, token_epoch=epoch)
    if user is None or not viewer_for_user(user).can(StaffPermission.ORDERS):
        raise LinkRefused
    now = now or datetime.now(UTC)
    papers = await declare_shipment(shipment_id, settings=settings, today=now.date())
    pdf = documents.render(
        papers, kind, shop_name=settings.shop_name, font_file=settings.documents_cjk_font
    )
    return documents.filename(papers, kind), pdf
