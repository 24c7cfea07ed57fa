"""Products and their variants: create, edit, delete. The price range follows the variants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, TypedDict

from pydantic import AfterValidator
from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.catalog import (
    Brand,
    Category,
    ListingCause,
    ListingStatus,
    Product,
    ProductImage,
    ProductVariant,
)
from services import media
from services.catalog import customs, listing, rules, search
from services.catalog.errors import CatalogErrorCode, fail, not_found
from services.catalog.rules import Checks, option_key
from services.catalog.slugs import claim_slug
from services.inventory import stock
from services.transactions import atomic
from services.validation import Input, validate

#: Product fields the search index holds: changing one rewrites the product's index row.
SEARCHED_FIELDS = frozenset({"name", "description", "model", "brand_id"})

#: The reference of the RECEIPT a new variant's initial stock is written as.
INITIAL_STOCK = "initial stock"


class NameValue(TypedDict):
    name: str
    value: str


class NationalCodeFields(TypedDict):
    country: str
    code: str


class ProductFields(TypedDict, total=False):
    name: str
    slug: str | None
    description: str
    parameters: list[NameValue]
    features: list[str]
    instructions: str
    brand_id: int | None
    category_id: int | None
    origin_country: str | None
    specification: str
    model: str
    material: str
    product_type: str
    usage: str
    hs_code: str | None
    #: National tariff codes by destination: [{"country": "US", "code": "6109100012"}].
    national_codes: list[NationalCodeFields] | None
    customs_description: str | None
    net_weight_grams: int | None
    dangerous_goods: bool
    excise_goods: bool
    weight_grams: int | None
    early_access_until: datetime | None
    delist_when_sold_out: bool


class VariantFields(TypedDict, total=False):
    sku: str
    name: str
    options: list[NameValue]
    price: Decimal
    compare_at_price: Decimal | None
    position: int
    #: Units on hand when the variant is created, written as a RECEIPT (creation only).
    initial_stock: int
    weight_grams: int | None
    # Customs facts of the variant's own; null: the product's.
    hs_code: str | None
    national_codes: list[NationalCodeFields] | None
    origin_country: str | None
    customs_description: str | None
    net_weight_grams: int | None


def _stripped(value: str | None) -> str:
    return (value or "").strip()


class ProductInput(Input):
    """What a product's fields may hold; the rules are in `services.catalog.rules`."""

    name: Annotated[str | None, AfterValidator(rules.text(200))] = None
    slug: Annotated[str | None, AfterValidator(rules.valid_slug)] = None
    description: Annotated[str | None, AfterValidator(_stripped)] = None
    instructions: Annotated[str | None, AfterValidator(_stripped)] = None
    parameters: list[rules.NameValue] | None = None
    features: list[str] | None = None
    specification: Annotated[str | None, AfterValidator(rules.text(200, required=False))] = None
    model: Annotated[str | None, AfterValidator(rules.text(120, required=False))] = None
    material: Annotated[str | None, AfterValidator(rules.text(120, required=False))] = None
    product_type: Annotated[str | None, AfterValidator(rules.text(80, required=False))] = None
    usage: Annotated[str | None, AfterValidator(rules.text(80, required=False))] = None
    origin_country: Annotated[str | None, AfterValidator(rules.country)] = None
    hs_code: Annotated[str | None, AfterValidator(customs.hs_code)] = None
    national_codes: list[customs.NationalCode] | None = None
    customs_description: Annotated[str | None, AfterValidator(customs.product_description)] = None
    net_weight_grams: Annotated[int | None, AfterValidator(customs.net_weight)] = None
    dangerous_goods: Annotated[bool | None, AfterValidator(rules.boolean)] = None
    excise_goods: Annotated[bool | None, AfterValidator(rules.boolean)] = None
    weight_grams: Annotated[int | None, AfterValidator(rules.weight)] = None
    brand_id: int | None = None
    category_id: int | None = None
    early_access_until: Annotated[datetime | None, AfterValidator(rules.moment)] = None
    delist_when_sold_out: Annotated[bool | None, AfterValidator(rules.boolean)] = None


class VariantInput(Input):
    """What a variant's fields may hold; prices come out in minor units of the shop currency
    (typed `Any`: their rule parses them, so a bad one reads as the rule says)."""

    sku: Annotated[str | None, AfterValidator(rules.text(64))] = None
    name: Annotated[str | None, AfterValidator(rules.text(120, required=False))] = None
    options: list[rules.NameValue] | None = None
    price: Annotated[Any, AfterValidator(rules.required_price)] = None
    compare_at_price: Annotated[Any, AfterValidator(rules.price)] = None
    position: int | None = None
    #: Kept apart from the columns: stock changes only through the inventory ledger.
    initial_stock: Annotated[int | None, AfterValidator(rules.quantity)] = None
    weight_grams: Annotated[int | None, AfterValidator(rules.weight)] = None
    hs_code: Annotated[str | None, AfterValidator(customs.hs_code)] = None
    national_codes: list[customs.NationalCode] | None = None
    origin_country: Annotated[str | None, AfterValidator(rules.country)] = None
    customs_description: Annotated[str | None, AfterValidator(customs.variant_description)] = None
    net_weight_grams: Annotated[int | None, AfterValidator(customs.net_weight)] = None


def _checked_product(fields: ProductFields, *, creating: bool, checks: Checks) -> dict[str, Any]:
    given: dict[str, Any] = dict(fields)
    if creating:
        given.setdefault("name", "")
    if not given.get("slug"):
        given.pop("slug", None)  # no slug: one is made from the name
    checked = validate(ProductInput, given, checks)
    rules.unique_names(checks, given.get("parameters"), "parameters")
    if checked is None:
        return {}
    clean = checked.model_dump(exclude_unset=True)
    if "parameters" in clean:
        clean["parameters"] = clean["parameters"] or []
    if "features" in clean:
        clean["features"] = [f.strip() for f in clean["features"] or () if f.strip()]
    return clean


def _checked_variant(
    fields: VariantFields, *, creating: bool, checks: Checks, path: tuple[str, ...] = ()
) -> dict[str, Any]:
    given: dict[str, Any] = dict(fields)
    if creating:
        given.setdefault("sku", "")
        given.setdefault("price", None)
    else:
        given.pop("initial_stock", None)
    checked = validate(VariantInput, given, checks, *path)
    rules.unique_names(checks, given.get("options"), *path, "options")
    if checked is None:
        return {}
    # Prices come out of their validators as minor units, not the Decimals given.
    clean = checked.model_dump(exclude_unset=True, warnings=False)
    if "options" in clean:
        clean["options"] = clean["options"] or []
    return clean


async def _check_references(clean: dict[str, Any], checks: Checks) -> None:
    if clean.get("brand_id") is not None and not await Brand.exists(id=clean["brand_id"]):
        checks.add(CatalogErrorCode.NOT_FOUND, "The brand does not exist.", "brand_id")
    if clean.get("category_id") is not None and not await Category.exists(id=clean["category_id"]):
        checks.add(CatalogErrorCode.NOT_FOUND, "The category does not exist.", "category_id")


async def _check_skus(
    skus: Sequence[tuple[tuple[str, ...], str]], checks: Checks, *, exclude_id: int | None = None
) -> None:
    """Note SKUs (each with its input path) given twice or used by another variant."""
    seen: set[str] = set()
    for path, sku in skus:
        if sku in seen:
            checks.add(CatalogErrorCode.DUPLICATE_SKU, f"SKU {sku!r} is given twice.", *path)
        seen.add(sku)
    taken_qs = ProductVariant.filter(sku__in=list(seen))
    if exclude_id is not None:
        taken_qs = taken_qs.exclude(id=exclude_id)
    taken = set(await taken_qs.values_list("sku", flat=True))
    for path, sku in skus:
        if sku in taken:
            checks.add(CatalogErrorCode.DUPLICATE_SKU, f"SKU {sku!r} is already in use.", *path)
            taken.discard(sku)


def _check_option_combinations(variants: Sequence[dict[str, Any]], checks: Checks) -> None:
    """Note variants of one new product that repeat another's option values."""
    seen: set[tuple[tuple[str, str], ...]] = set()
    for index, variant in enumerate(variants):
        key = option_key(variant.get("options", []))
        if key in seen:
            checks.add(
                CatalogErrorCode.DUPLICATE_OPTIONS,
                "Two variants of a product may not have the same option values.",
                "variants",
                str(index),
                "options",
            )
        seen.add(key)


async def _check_options_free(
    product_id: int, options: list[dict[str, str]], checks: Checks, *, exclude_id: int | None = None
) -> None:
    """Note option values another variant of the product already has."""
    siblings = ProductVariant.filter(product_id=product_id)
    if exclude_id is not None:
        siblings = siblings.exclude(id=exclude_id)
    if option_key(options) in {
        option_key(s) for s in await siblings.values_list("options", flat=True)
    }:
        checks.add(
            CatalogErrorCode.DUPLICATE_OPTIONS,
            "Another variant of the product has these option values.",
            "options",
        )


async def refresh_price_range(product_id: int) -> None:
    """Store the product's lowest and highest variant price (0 when it has no variant)."""
    prices = await ProductVariant.filter(product_id=product_id).values_list("price", flat=True)
    lo, hi = (min(prices), max(prices)) if prices else (0, 0)
    await Product.filter(id=product_id).update(price_min=lo, price_max=hi)


async def get_product(product_id: int) -> Product:
    product = await Product.get_or_none(id=product_id)
    if product is None:
        raise not_found("The product", "id")
    return product


async def create_product(fields: ProductFields, variants: Sequence[VariantFields] = ()) -> Product:
    """A new draft product, with its variants if given."""
    checks = Checks()
    clean = _checked_product(fields, creating=True, checks=checks)
    clean_variants = [
        _checked_variant(v, creating=True, checks=checks, path=("variants", str(i)))
        for i, v in enumerate(variants)
    ]
    checks.raise_if_any()
    customs.restated(checks, clean, None, None)
    for index, variant in enumerate(clean_variants):
        path = ("variants", str(index))
        customs.restated(checks, variant, None, None, clean.get("hs_code"), path=path)
    checks.raise_if_any()
    await _check_references(clean, checks)
    await _check_skus(
        [(("variants", str(i), "sku"), v["sku"]) for i, v in enumerate(clean_variants)], checks
    )
    _check_option_combinations(clean_variants, checks)
    checks.raise_if_any()

    clean["slug"] = await claim_slug(Product, wanted=clean.get("slug"), name=clean["name"])
    try:
        async with atomic():
            product = await Product.create(**clean, listed_at=timezone.now())
            receipts = []
            for position, variant in enumerate(clean_variants):
                variant.setdefault("position", position)
                initial = variant.pop("initial_stock", None)
                created = await ProductVariant.create(product=product, **variant)
                if initial:
                    receipts.append((created.id, initial))
            if receipts:
                await stock.receive_many(receipts, reference=INITIAL_STOCK)
            await refresh_price_range(product.id)
            await search.refresh([product.id])
    except IntegrityError:
        raise fail(CatalogErrorCode.DUPLICATE_SLUG, "The slug or a SKU is taken.", "slug") from None
    await product.refresh_from_db()
    return product


async def update_product(
    product_id: int, fields: ProductFields, *, actor: str = "system"
) -> Product:
    """The product with the given fields changed."""
    product = await get_product(product_id)
    checks = Checks()
    clean = _checked_product(fields, creating=False, checks=checks)
    checks.raise_if_any()
    customs.restated(checks, clean, product.hs_code, product.hs_national)
    await _check_references(clean, checks)
    checks.raise_if_any()
    if "slug" in clean and clean["slug"] != product.slug:
        await claim_slug(Product, wanted=clean["slug"], name=product.name, exclude_id=product.id)
    product.update_from_dict(clean)
    try:
        async with atomic():
            await product.save()
            if SEARCHED_FIELDS.intersection(clean):
                await search.refresh([product.id])
    except IntegrityError:
        raise fail(CatalogErrorCode.DUPLICATE_SLUG, "The slug is taken.", "slug") from None
    if "early_access_until" in clean:
        # Members-first or not changes who sees the product from now on.
        await listing.record_edit(product, actor=actor)
    return product


async def delete_product(product_id: int, *, actor: str) -> None:
    """Delete a product with its variants, images and translations."""
    async with in_transaction("default"):
        product = await get_product(product_id)
        paths = await ProductImage.filter(product_id=product_id).values_list("path", flat=True)
        was_visible = product.listing_visible
        await product.delete()
        await search.refresh([product_id])  # drops its index row, whatever cascades do
    if was_visible:
        await listing.announce(product, visible=False, cause=ListingCause.DELETED, actor=actor)
    await media.discard_unused([str(p) for p in paths])


async def create_variant(product_id: int, fields: VariantFields) -> ProductVariant:
    """A new variant of the product."""
    checks = Checks()
    clean = _checked_variant(fields, creating=True, checks=checks)
    checks.raise_if_any()
    async with atomic():
        product = await get_product(product_id)
        customs.restated(checks, clean, None, None, product.hs_code)
        await _check_skus([(("sku",), clean["sku"])], checks)
        await _check_options_free(product_id, clean.get("options", []), checks)
        checks.raise_if_any()
        if "position" not in clean:
            clean["position"] = await ProductVariant.filter(product_id=product_id).count()
        initial = clean.pop("initial_stock", None)
        try:
            variant = await ProductVariant.create(product_id=product_id, **clean)
        except IntegrityError:
            raise fail(CatalogErrorCode.DUPLICATE_SKU, "The SKU is taken.", "sku") from None
        if initial:
            await stock.receive(variant.id, initial, reference=INITIAL_STOCK)
            await variant.refresh_from_db()
        await refresh_price_range(product_id)
        await search.refresh([product_id])
    return variant


async def update_variant(variant_id: int, fields: VariantFields) -> ProductVariant:
    """The variant with the given fields changed."""
    checks = Checks()
    clean = _checked_variant(fields, creating=False, checks=checks)
    checks.raise_if_any()
    async with in_transaction("default"):
        variant = await ProductVariant.get_or_none(id=variant_id)
        if variant is None:
            raise not_found("The variant", "id")
        product = await Product.get(id=variant.product_id)
        customs.restated(checks, clean, variant.hs_code, variant.hs_national, product.hs_code)
        if "sku" in clean and clean["sku"] != variant.sku:
            await _check_skus([(("sku",), clean["sku"])], checks, exclude_id=variant.id)
        if "options" in clean:
            await _check_options_free(
                variant.product_id, clean["options"], checks, exclude_id=variant.id
            )
        checks.raise_if_any()
        variant.update_from_dict(clean)
        try:
            await variant.save()
        except IntegrityError:
            raise fail(CatalogErrorCode.DUPLICATE_SKU, "The SKU is taken.", "sku") from None
        await refresh_price_range(variant.product_id)
        if "sku" in clean:
            await search.refresh([variant.product_id])
    return variant


async def delete_variant(variant_id: int) -> int:
    """Delete a variant; an active product keeps at least one. Returns its product's id."""
    async with in_transaction("default"):
        variant = await ProductVariant.get_or_none(id=variant_id).select_related("product")
        if variant is None:
            raise not_found("The variant", "id")
        product = variant.product
        remaining = (
            await ProductVariant.filter(product_id=product.id).exclude(id=variant_id).count()
        )
        if remaining == 0 and product.status == ListingStatus.ACTIVE:
            raise fail(
                CatalogErrorCode.LAST_VARIANT,
                "An active product needs at least one variant; unpublish it first.",
                "id",
            )
        await variant.delete()
        await refresh_price_range(product.id)
        await search.refresh([product.id])
    return product.id
