"""A line's customs facts: the variant's where it sets them, the product's otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from models.catalog import Product, ProductVariant


@dataclass(frozen=True, slots=True)
class CustomsFacts:
    """What a declaration and the duty rules need to know about one unit of a variant."""

    #: The 6-digit HS subheading ("" when the merchant has not classified the goods).
    hs_code: str
    #: The destination's national tariff code ("" when none was given for it).
    hs_national: str
    #: ISO 3166-1 alpha-2 ("" when unknown).
    origin_country: str
    description: str
    material: str
    net_weight_grams: int | None
    dangerous_goods: bool
    excise_goods: bool


def customs_facts(
    product: Product, variant: ProductVariant, destination: str | None = None
) -> CustomsFacts:
    """The facts of `variant` for a parcel to `destination` (ISO alpha-2), variant first.

    The national code is the destination's entry in the variant's `hs_national` when the
    variant has one, otherwise in the product's; it is kept only when it extends the HS code
    that applies, so a variant reclassified under another heading never inherits a national
    code of the product's.
    """
    hs_code = (variant.hs_code or product.hs_code or "")[:6]
    national = ""
    if destination:
        country = destination.upper()
        for codes in (variant.hs_national, product.hs_national):
            if codes and codes.get(country):
                national = codes[country]
                break
    if national and not national.startswith(hs_code):
        national = ""
    description = variant.customs_description or product.customs_description or ""
    return CustomsFacts(
        hs_code=hs_code,
        hs_national=national,
        origin_country=(variant.origin_country or product.origin_country or "").upper(),
        description=description,
        material=product.material or "",
        net_weight_grams=(
            variant.net_weight_grams
            if variant.net_weight_grams is not None
            else product.net_weight_grams
        ),
        dangerous_goods=product.dangerous_goods,
        excise_goods=product.excise_goods,
    )
