"""Helpers shared by the catalog root fields: IDs, inputs as plain data, locale, pages."""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.models import Model

from models.catalog import Brand, Category, Product
from resolvers.common import plain
from schema.catalog import inputs
from schema.context import Context, Info
from schema.currency import Prices
from schema.errors import BadUserInput, Forbidden
from schema.relay import decode_id
from services import i18n
from services.auth import StaffPermission
from services.catalog import (
    browsing,
)
from services.catalog.errors import CatalogError, not_found

M = TypeVar("M", bound=Model)
Sluggable = TypeVar("Sluggable", Brand, Category, Product)


def global_pk(value: str, type_name: str, *field: str) -> int:
    """The primary key of a global ID of `type_name`, or a NOT_FOUND catalog error."""
    pk = decode_id(value, type_name)
    if pk is None:
        raise not_found(f"The {type_name.lower()}", *field)
    return pk


def input_fields(input: Any, *, ids: dict[str, str], skip: tuple[str, ...] = ("id",)) -> Any:
    """The fields an input gives, global IDs in `ids` (field -> type) decoded to keys.

    Typed `Any`: the keys are the snake_case input fields, which are the keys of the
    service's `...Fields` typed dict.
    """
    data = {k: v for k, v in plain(input).items() if k not in skip}
    for key, type_name in ids.items():
        if data.get(key) is not None:
            data[key] = global_pk(data[key], type_name, key)
    return data


def resolve_locale(locale: str | None, ctx: Context) -> str:
    """The locale a `locale` argument asks for, made the response's locale.

    Nested text, category names in facets and formatted prices then follow it too.
    """
    if locale is not None:
        ctx.locale = i18n.negotiate(
            [locale], ctx.settings.supported_locales, ctx.settings.default_locale
        )
    return ctx.locale


def product_filter(
    given: inputs.ProductFilter | None, info: Info, prices: Prices
) -> browsing.ProductFilter:
    """The service filter for an input filter; statuses are for catalog staff only.

    Price bounds are in the list's currency (`prices`), both inclusive, and compare with
    the prices as shown there: they become the exact bounds on the shop prices.
    """
    if given is None:
        return browsing.ProductFilter()
    ctx = info.context
    if given.statuses is not None and not ctx.viewer.can(StaffPermission.CATALOG):
        raise Forbidden("Only catalog staff can list products by status.")
    try:
        category_ids = [global_pk(i, "Category", "categories") for i in given.categories or ()]
        brand_ids = [global_pk(i, "Brand", "brands") for i in given.brands or ()]
    except CatalogError as exc:
        raise BadUserInput.from_service_error(exc) from None
    price_min, price_max = price_bounds(given.price or inputs.PriceRangeInput(), prices)
    return browsing.ProductFilter(
        category_ids=category_ids,
        brand_ids=brand_ids,
        origins=[o.value for o in given.origins or ()],
        product_types=given.product_types or (),
        usages=given.usages or (),
        price_min=price_min,
        price_max=price_max,
        in_stock=given.in_stock,
        search=given.search,
        statuses=given.statuses,
    )


def price_bounds(price: inputs.PriceRangeInput, prices: Prices) -> tuple[int | None, int | None]:
    """The shop bounds of the prices shown from `price.min` to `price.max`, inclusive."""
    low = prices.minor(price.min, "price")
    high = prices.minor(price.max, "price")
    return (
        prices.shop_floor(low) if low is not None else None,
        # Shown at most `high`: shown below `high` + 1 minor unit.
        prices.shop_floor(high + 1) - 1 if high is not None else None,
    )


async def by_id_or_slug(
    model: type[Sluggable], loader: Any, id: str | None, slug: str | None
) -> Sluggable | None:
    """The row a global ID (through the request's loader) or a slug names; exactly one given."""
    if (id is None) == (slug is None):
        raise BadUserInput("Give exactly one of `id` and `slug`.")
    if id is not None:
        pk = decode_id(id, model.__name__)
        return await loader.load(pk) if pk else None
    return await model.get_or_none(slug=slug)
