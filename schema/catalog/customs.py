"""Customs facts of products and variants, and the Harmonized System codes they cite.

Staff with the CATALOG permission read them (`Product.customs`, `ProductVariant.customs`)
and look codes up (`hsCodes`); declarations and duties read the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping

import strawberry

from models.catalog import Product, ProductVariant
from schema.geo import CountryCode, country_code
from services.customs import hs
from services.customs.facts import CustomsFacts, customs_facts

HsLevelEnum = strawberry.enum(hs.HsLevel, name="HsLevel")


@strawberry.type(name="HsCode", description="A code of the Harmonized System nomenclature.")
class HsCodeType:
    code: str = strawberry.field(description="2 (chapter), 4 (heading) or 6 (subheading) digits.")
    description: str
    level: HsLevelEnum  # type: ignore[valid-type]
    section: str = strawberry.field(description="The section's Roman numeral.")
    parent: str | None = strawberry.field(description="The code one level up.")

    @classmethod
    def build(cls, entry: hs.HsEntry) -> HsCodeType:
        return cls(
            code=entry.code,
            description=entry.description,
            level=entry.level,
            section=entry.section,
            parent=entry.parent or None,
        )

    @classmethod
    def of(cls, code: str | None) -> HsCodeType | None:
        entry = hs.lookup(code[:6]) if code else None
        return cls.build(entry) if entry else None


@strawberry.type(
    name="NationalCode",
    description="A destination's national tariff code (8 to 10 digits) extending the HS code.",
)
class NationalCodeType:
    country: CountryCode
    code: str


@strawberry.input
class NationalCodeInput:
    country: CountryCode
    code: str = strawberry.field(description="8 to 10 digits, starting with the HS code.")


def national_codes(codes: Mapping[str, str] | None) -> list[NationalCodeType]:
    """Stored national codes by destination, in country order."""
    given = codes or {}
    return [NationalCodeType(country=CountryCode(c), code=given[c]) for c in sorted(given)]


@strawberry.type(
    name="CustomsFacts",
    description="What a customs declaration says of one unit of the goods.",
)
class CustomsFactsType:
    hs_code: str | None = strawberry.field(
        description="The 6-digit HS subheading; null until the goods are classified."
    )
    hs: HsCodeType | None = strawberry.field(description="The subheading in the nomenclature.")
    national_codes: list[NationalCodeType] = strawberry.field(
        description="National tariff codes by destination."
    )
    origin_country: CountryCode | None
    description: str = strawberry.field(description="What the goods are, for customs.")
    material: str
    net_weight_grams: int | None = strawberry.field(
        description="Net weight of one unit without packaging."
    )
    dangerous_goods: bool = strawberry.field(
        description="Batteries, aerosols, flammables...: carriers need to know."
    )
    excise_goods: bool = strawberry.field(description="Alcohol, tobacco, energy products...")

    @classmethod
    def of_product(cls, p: Product) -> CustomsFactsType:
        hs_code = (p.hs_code or "")[:6] or None
        return cls(
            hs_code=hs_code,
            hs=HsCodeType.of(hs_code),
            national_codes=national_codes(p.hs_national),
            origin_country=country_code(p.origin_country),
            description=p.customs_description,
            material=p.material,
            net_weight_grams=p.net_weight_grams,
            dangerous_goods=p.dangerous_goods,
            excise_goods=p.excise_goods,
        )

    @classmethod
    def of_variant(cls, product: Product, variant: ProductVariant) -> CustomsFactsType:
        """The facts that apply to the variant: its own, else its product's."""
        facts: CustomsFacts = customs_facts(product, variant)
        countries = {*(product.hs_national or {}), *(variant.hs_national or {})}
        effective = {}
        for country in countries:
            code = customs_facts(product, variant, country).hs_national
            if code:
                effective[country] = code
        return cls(
            hs_code=facts.hs_code or None,
            hs=HsCodeType.of(facts.hs_code),
            national_codes=national_codes(effective),
            origin_country=country_code(facts.origin_country),
            description=facts.description,
            material=facts.material,
            net_weight_grams=facts.net_weight_grams,
            dangerous_goods=facts.dangerous_goods,
            excise_goods=facts.excise_goods,
        )


@strawberry.type(
    name="VariantCustoms",
    description="A variant's own customs facts (null: its product's) and those that apply.",
)
class VariantCustomsType:
    hs_code: str | None
    hs: HsCodeType | None
    national_codes: list[NationalCodeType] | None
    origin_country: CountryCode | None
    description: str | None
    net_weight_grams: int | None
    effective: CustomsFactsType = strawberry.field(
        description="The facts that apply: the variant's where it sets them, else the product's."
    )

    @classmethod
    def build(cls, product: Product, variant: ProductVariant) -> VariantCustomsType:
        return cls(
            hs_code=variant.hs_code,
            hs=HsCodeType.of(variant.hs_code),
            national_codes=national_codes(variant.hs_national) if variant.hs_national else None,
            origin_country=country_code(variant.origin_country),
            description=variant.customs_description,
            net_weight_grams=variant.net_weight_grams,
            effective=CustomsFactsType.of_variant(product, variant),
        )
