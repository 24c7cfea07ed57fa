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
from schema.kit import input_pk, pk_or_none
from services import i18n
from services.auth import StaffPermission
from services.catalog import (
    browsing,
)

M = TypeVar("M", bound=Model)
Sluggable = TypeVar("Sluggable", Brand, Category, Product)


def input_fields(input: Any, *, ids: dict[str, str], skip: tuple[str, ...] = ("id",)) -> Any:
    """The fields an input gives, global IDs in `ids` (field -> type) decoded to keys.

    Typed `Any`: the keys are the snake_case input fields, which are the keys of the
    service's `...Fields` typed dict.
    """
    data = {k: v for k, v in plain(input).items() if k not in skip}
    for key, type_name in ids.items():
        if data.get(key) is not None:
            what = f"The {type_name.lower()}"
            data[key] = input_pk(data[key], type_name, key, what=what)
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
    # A query argument: the `query` field answers the kit's NOT_FOUND as an input error.
    category_ids = [
        input_pk(i, "Category", "categories", what="The category") for i in given.categories or ()
    ]
    brand_ids = [input_pk(i, "Brand", "brands", what="The brand") for i in given.brands or ()]
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
        pk = pk_or_none(id, model.__name__)
        return await loader.load(pk) if pk else None
    return await model.get_or_none(slug=slug)
