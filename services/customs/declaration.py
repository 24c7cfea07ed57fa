"""What a parcel declares to customs: the form it travels with (CN22 or CN23), its items,
their value and weight, the Incoterm, the registrations that apply, and the duties and taxes
already collected. Pure: the caller loads the order and hands its facts in.

The form follows the UPU's rules: a CN23 for a parcel whose contents are worth more than
300 SDR, for one heavier than a small packet may be (2 kg), or when the carrier asks for
one; a CN22 otherwise. Every parcel leaving the country also travels with a commercial
invoice. Facts a form needs and the shop lacks (an HS code, a specific description, an
origin, a weight, an address) are reported all at once as problems, so the merchant knows
what to fix; a half-filled form is never produced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum, StrEnum

from models.customs import ChargeKind, RegistrationKind
from services.customs import descriptions
from services.errors import Problems, ServiceError
from services.money import currency_exponent

#: The value above which a parcel needs a CN23, in SDR (UPU Convention, Letter Post
#: Regulations art. RL 241 and Parcel Post Regulations art. RC 152).
CN22_MAX_SDR = Decimal(300)
#: The heaviest small packet: heavier items travel as parcels, with a CN23.
SMALL_PACKET_MAX_GRAMS = 2000
#: What the goods are sent for: a shop only ever sells them.
CATEGORY_SALE_OF_GOODS = "sale_of_goods"

#: EU member states (ISO 3166-1 alpha-2), for the EORI and the IOSS number.
EU_MEMBER_STATES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()  # noqa: SIM905
)
#: The registration each import regime needs on the parcel's papers (the regime ids of
#: `services/customs/data/regimes.toml`): without it the destination charges the tax again.
REQUIRED_REGISTRATION = {
    "EU-IOSS": RegistrationKind.IOSS,
    "GB-LVI": RegistrationKind.UK_VAT,
    "AU-LVG": RegistrationKind.AU_ARN,
}

#: Languages the forms' labels are printed in besides English and French (the UPU's).
LABEL_LANGUAGES = ("zh", "ja", "de")
#: The language of a destination's labels, where it is one of `LABEL_LANGUAGES`.
DESTINATION_LANGUAGE = {
    "CN": "zh",
    "HK": "zh",
    "MO": "zh",
    "TW": "zh",
    "SG": "zh",
    "JP": "ja",
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "LI": "de",
}


class CustomsForm(StrEnum):
    CN22 = "cn22"
    CN23 = "cn23"


class DocumentKind(StrEnum):
    """The papers a parcel is printed: its customs declaration and its commercial invoice."""

    DECLARATION = "declaration"
    COMMERCIAL_INVOICE = "commercial_invoice"


class DocumentErrorCode(Enum):
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    #: The parcel stays in the shop's own country: it needs no customs papers.
    DOMESTIC_PARCEL = "domestic_parcel"
    NO_ITEMS = "no_items"
    HS_CODE_MISSING = "hs_code_missing"
    DESCRIPTION_MISSING = "description_missing"
    DESCRIPTION_VAGUE = "description_vague"
    ORIGIN_MISSING = "origin_missing"
    WEIGHT_MISSING = "weight_missing"
    SENDER_ADDRESS_MISSING = "sender_address_missing"
    RECEIVER_ADDRESS_INCOMPLETE = "receiver_address_incomplete"
    #: The import regime needs a registration number the shop has not entered.
    REGISTRATION_MISSING = "registration_missing"
    #: The shop has no exchange rate for a currency the SDR's value is worked out from.
    SDR_RATE_UNAVAILABLE = "sdr_rate_unavailable"


class DocumentError(ServiceError[DocumentErrorCode]):
    """A parcel's papers that cannot be printed as they are; `problems` say what to fix."""


fail, not_found = DocumentError.fail, DocumentError.not_found


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    lines: tuple[str, ...]
    city: str
    postal_code: str
    #: ISO 3166-1 alpha-2.
    country: str
    company: str = ""
    region: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class ParcelLine:
    """An order line's units in the parcel, with the line's customs snapshot."""

    line_id: int
    product_name: str
    variant_name: str
    sku: str
    #: Units in this parcel, and in the whole order line.
    quantity: int
    line_quantity: int
    hs_code: str
    hs_national: str
    origin_country: str
    description: str
    material: str
    #: Grams of one unit (None when unknown).
    unit_net_weight_grams: int | None
    dangerous_goods: bool


@dataclass(frozen=True, slots=True)
class Charge:
    """A duty or import tax of the order, in the order's currency."""

    kind: ChargeKind
    name: str
    regime: str
    rate_bps: int | None
    amount: int
    collected: bool
    #: The order line it is on (None: on the whole order, like the EU's flat duty).
    line_id: int | None


@dataclass(frozen=True, slots=True)
class Parcel:
    """Everything a parcel's papers are made of, as the order and the shop know it."""

    order_number: str
    order_date: date
    #: The currency the shopper paid in: the papers declare what was paid.
    currency: str
    #: The total (in `currency`) of every line of the order, by line id: discounts are
    #: shared among all of them, whichever parcel they travel in.
    order_line_totals: Mapping[int, int]
    discount_total: int
    shipping_total: int
    #: Whether this parcel carries what belongs to the whole order (its shipping, the
    #: charges on no line): the order's first parcel.
    first_parcel: bool
    lines: Sequence[ParcelLine]
    charges: Sequence[Charge]
    incoterm: str
    regime: str
    tracking_number: str
    carrier_code: str
    carrier_name: str
    service_name: str
    sender: Address
    receiver: Address
    #: The shop's registrations by kind.
    registrations: Mapping[RegistrationKind, str]
    #: One SDR in `currency` (None when the shop's rates cannot tell).
    sdr_in_currency: Decimal | None
    #: Carriers (codes) that ask for a CN23 for every parcel.
    cn23_carriers: frozenset[str]
    merchant_locale: str
    #: The country the parcel leaves from.
    ship_from: str
    printed_on: date


@dataclass(frozen=True, slots=True)
class Item:
    """One kind of goods on the forms."""

    description: str
    product_name: str
    sku: str
    quantity: int
    #: What the shopper paid for these units, after their share of discounts.
    value: int
    net_weight_grams: int
    hs_code: str
    hs_national: str
    origin_country: str
    material: str
    dangerous_goods: bool


@dataclass(frozen=True, slots=True)
class Declaration:
    """A parcel's papers, ready to print."""

    form: CustomsForm
    #: Why the parcel needs a CN23 (empty for a CN22): `value`, `weight`, `carrier`.
    cn23_reasons: tuple[str, ...]
    category: str
    order_number: str
    order_date: date
    printed_on: date
    currency: str
    items: tuple[Item, ...]
    total_value: int
    total_net_weight_grams: int
    #: The contents' value in SDR, two places (None when unknown: then never a CN22).
    value_sdr: Decimal | None
    #: The shipping the shopper paid, on the order's first parcel (0 on the others).
    shipping: int
    #: Duties and taxes charged at checkout for this parcel (none for a door estimate).
    charges: tuple[Charge, ...]
    #: Duties and taxes the receiver pays at the door, as estimated at checkout.
    door_charges: tuple[Charge, ...]
    incoterm: str
    regime: str
    #: The registrations printed, in the order of `RegistrationKind`.
    registrations: tuple[tuple[RegistrationKind, str], ...]
    tracking_number: str
    carrier_name: str
    service_name: str
    sender: Address
    receiver: Address
    destination: str
    dangerous_goods: bool
    #: Label languages, English and French first.
    languages: tuple[str, ...]

    @property
    def collected_total(self) -> int:
        return sum(charge.amount for charge in self.charges)

    @property
    def invoice_total(self) -> int:
        return self.total_value + self.shipping + self.collected_total


def choose_form(
    *, value_sdr: Decimal | None, net_weight_grams: int, carrier_requires_cn23: bool
) -> tuple[CustomsForm, tuple[str, ...]]:
    """CN23 (with its reasons) when the value passes 300 SDR or is unknown, the parcel is
    heavier than a small packet, or the carrier asks for one; CN22 otherwise."""
    reasons = []
    if value_sdr is None or value_sdr > CN22_MAX_SDR:
        reasons.append("value")
    if net_weight_grams > SMALL_PACKET_MAX_GRAMS:
        reasons.append("weight")
    if carrier_requires_cn23:
        reasons.append("carrier")
    return (CustomsForm.CN23 if reasons else CustomsForm.CN22), tuple(reasons)


def discount_shares(line_totals: Mapping[int, int], discount: int) -> dict[int, int]:
    """`discount` shared among the lines in proportion to their totals, in whole minor units
    that add up to it exactly (largest remainders get the leftover units, ties by line id)."""
    whole = sum(line_totals.values())
    if discount <= 0 or whole <= 0:
        return dict.fromkeys(line_totals, 0)
    discount = min(discount, whole)
    shares = {line: discount * total // whole for line, total in line_totals.items()}
    leftover = discount - sum(shares.values())
    by_remainder = sorted(
        line_totals, key=lambda line: (-(discount * line_totals[line] % whole), line)
    )
    for line in by_remainder[:leftover]:
        shares[line] += 1
    return shares


def _part(amount: int, part: int, whole: int) -> int:
    """`amount * part / whole`, rounded half up (amounts are never negative)."""
    if whole <= 0:
        return 0
    return int((Decimal(amount) * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def languages_for(merchant_locale: str, destination: str) -> tuple[str, ...]:
    """The forms' label languages: English and French, then the merchant's and the
    destination's where the forms have them (Chinese, Japanese, German)."""
    languages = ["en", "fr"]
    merchant = merchant_locale.split("-")[0].split("_")[0].lower()
    for language in (merchant, DESTINATION_LANGUAGE.get(destination.upper(), "")):
        if language in LABEL_LANGUAGES and language not in languages:
            languages.append(language)
    return tuple(languages)


def registrations_for(
    destination: str, regime: str, registrations: Mapping[RegistrationKind, str]
) -> tuple[tuple[RegistrationKind, str], ...]:
    """The shop's registrations a parcel to `destination` under `regime` shows: the EORI
    into the EU, and the number its regime needs (IOSS, UK VAT, Australian ARN)."""
    kinds = set()
    if destination in EU_MEMBER_STATES:
        kinds.add(RegistrationKind.EORI)
    required = REQUIRED_REGISTRATION.get(regime)
    if required is not None:
        kinds.add(required)
    return tuple(
        (kind, registrations[kind])
        for kind in RegistrationKind
        if kind in kinds and registrations.get(kind)
    )


def _address_problems(problems: Problems[DocumentErrorCode], address: Address, who: str) -> None:
    missing = [
        name
        for name, value in (
            ("name", address.name),
            ("street", "".join(address.lines)),
            ("city", address.city),
            ("country", address.country),
        )
        if not value.strip()
    ]
    if not missing:
        return
    if who == "sender":
        problems.add(
            DocumentErrorCode.SENDER_ADDRESS_MISSING,
            "The shop's address is incomplete (missing: "
            + ", ".join(missing)
            + "): set the SHOP_ADDRESS_* settings.",
            "sender",
        )
    else:
        problems.add(
            DocumentErrorCode.RECEIVER_ADDRESS_INCOMPLETE,
            "The order's shipping address is incomplete (missing: " + ", ".join(missing) + ").",
            "receiver",
        )


def _line_problems(problems: Problems[DocumentErrorCode], index: int, line: ParcelLine) -> None:
    name = line.product_name + (f" ({line.sku})" if line.sku else "")
    where = ("lines", str(index))
    if len(line.hs_code) != 6 or not line.hs_code.isdigit():
        problems.add(
            DocumentErrorCode.HS_CODE_MISSING,
            f"{name} has no 6-digit HS code: classify the product in the catalog.",
            *where,
            "hs_code",
        )
    if not line.description.strip():
        problems.add(
            DocumentErrorCode.DESCRIPTION_MISSING,
            f"{name} has no customs description: say what the goods are and what they are "
            "made of (e.g. 'women's silk scarf').",
            *where,
            "description",
        )
    elif descriptions.is_vague(line.description):
        problems.add(
            DocumentErrorCode.DESCRIPTION_VAGUE,
            f"{name}: '{line.description}' is too vague for customs: say what the goods are "
            "and what they are made of (e.g. 'women's silk scarf').",
            *where,
            "description",
        )
    if len(line.origin_country) != 2:
        problems.add(
            DocumentErrorCode.ORIGIN_MISSING,
            f"{name} has no country of origin.",
            *where,
            "origin_country",
        )
    if line.unit_net_weight_grams is None or line.unit_net_weight_grams <= 0:
        problems.add(
            DocumentErrorCode.WEIGHT_MISSING,
            f"{name} has no net weight.",
            *where,
            "net_weight_grams",
        )


def declare(parcel: Parcel) -> Declaration:
    """The parcel's papers; raises `DocumentError` listing every fact that is missing."""
    problems = Problems(DocumentError)
    destination = parcel.receiver.country.upper()
    if destination and destination == parcel.ship_from.upper():
        raise fail(
            DocumentErrorCode.DOMESTIC_PARCEL,
            f"The parcel stays in {destination}: it needs no customs papers.",
        )
    if not parcel.lines:
        raise fail(DocumentErrorCode.NO_ITEMS, "The parcel holds no goods.")
    _address_problems(problems, parcel.sender, "sender")
    _address_problems(problems, parcel.receiver, "receiver")
    for index, line in enumerate(parcel.lines):
        _line_problems(problems, index, line)
    required = REQUIRED_REGISTRATION.get(parcel.regime)
    if required is not None and not parcel.registrations.get(required):
        problems.add(
            DocumentErrorCode.REGISTRATION_MISSING,
            f"Parcels under {parcel.regime} must show the shop's {required.name} number: "
            "enter it in the customs settings.",
            "registrations",
        )
    if parcel.sdr_in_currency is None or parcel.sdr_in_currency <= 0:
        problems.add(
            DocumentErrorCode.SDR_RATE_UNAVAILABLE,
            "The shop has no exchange rates to value the parcel in SDR (USD, EUR, CNY, JPY "
            f"and GBP against {parcel.currency}): import the ECB's rates.",
            "value_sdr",
        )
    problems.raise_if_any()

    shares = discount_shares(parcel.order_line_totals, parcel.discount_total)
    items = []
    for line in parcel.lines:
        paid = parcel.order_line_totals.get(line.line_id, 0) - shares.get(line.line_id, 0)
        items.append(
            Item(
                description=line.description.strip(),
                product_name=" / ".join(p for p in (line.product_name, line.variant_name) if p),
                sku=line.sku,
                quantity=line.quantity,
                value=_part(paid, line.quantity, line.line_quantity),
                net_weight_grams=(line.unit_net_weight_grams or 0) * line.quantity,
                hs_code=line.hs_code,
                hs_national=line.hs_national,
                origin_country=line.origin_country.upper(),
                material=line.material,
                dangerous_goods=line.dangerous_goods,
            )
        )
    total_value = sum(item.value for item in items)
    weight = sum(item.net_weight_grams for item in items)
    assert parcel.sdr_in_currency is not None  # checked above
    exact_sdr = (
        Decimal(total_value).scaleb(-currency_exponent(parcel.currency)) / parcel.sdr_in_currency
    )
    form, reasons = choose_form(
        value_sdr=exact_sdr,
        net_weight_grams=weight,
        carrier_requires_cn23=parcel.carrier_code.lower() in parcel.cn23_carriers,
    )

    quantities = {line.line_id: (line.quantity, line.line_quantity) for line in parcel.lines}
    charges = []
    for charge in parcel.charges:
        if charge.line_id is None:
            if not parcel.first_parcel:
                continue
            amount = charge.amount
        elif charge.line_id in quantities:
            amount = _part(charge.amount, *quantities[charge.line_id])
        else:
            continue
        charges.append(
            Charge(
                kind=charge.kind,
                name=charge.name,
                regime=charge.regime,
                rate_bps=charge.rate_bps,
                amount=amount,
                collected=charge.collected,
                line_id=charge.line_id,
            )
        )
    return Declaration(
        form=form,
        cn23_reasons=reasons,
        category=CATEGORY_SALE_OF_GOODS,
        order_number=parcel.order_number,
        order_date=parcel.order_date,
        printed_on=parcel.printed_on,
        currency=parcel.currency,
        items=tuple(items),
        total_value=total_value,
        total_net_weight_grams=weight,
        value_sdr=exact_sdr.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        shipping=parcel.shipping_total if parcel.first_parcel else 0,
        charges=tuple(c for c in charges if c.collected),
        door_charges=tuple(c for c in charges if not c.collected),
        incoterm=parcel.incoterm,
        regime=parcel.regime,
        registrations=registrations_for(destination, parcel.regime, parcel.registrations),
        tracking_number=parcel.tracking_number,
        carrier_name=parcel.carrier_name,
        service_name=parcel.service_name,
        sender=parcel.sender,
        receiver=parcel.receiver,
        destination=destination,
        dangerous_goods=any(item.dangerous_goods for item in items),
        languages=languages_for(parcel.merchant_locale, destination),
    )
