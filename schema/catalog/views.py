"""Product nodes a list or a page reuses from other requests (`schema.view_cache`).

A product's answer depends on its rows, the selection below it, the text locale, the
request's locale (formatted prices), the prices shown and the media host: those make its
key. Fields whose answer depends on who asks, such as a variant's product (members-first
visibility), whether a review is the viewer's own, and every field behind a staff
permission, leave the selection unkeyed and every node is built as usual. A product's
reviews are its approved ones, alike for all; a new or moderated review, like every
mutation, flushes the cache. Staff requests are never served from, nor stored in, the
cache.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace

from graphql import GraphQLField, GraphQLNamedType
from strawberry.schema.schema_converter import GraphQLCoreConverter

from models.catalog import Product
from schema.catalog.types import ProductType, build_products
from schema.context import Info
from schema.currency import Prices
from schema.kit.selection import selection_key
from schema.view_cache import CachedView, ViewShape
from services.pagination import Page

#: The types a product's view may hold: those below a product that answer alike for all.
VIEW_TYPES = frozenset(
    {
        "Product",
        "ProductVariant",
        "ProductImage",
        "ProductPriceRange",
        "ProductTranslation",
        "Category",
        "Brand",
        "Money",
        "NameValue",
        "ReviewConnection",
        "ReviewEdge",
        "PageInfo",
        "Review",
        "ReviewImage",
    }
)
#: Fields of those types whose answer depends on the viewer.
VIEWER_FIELDS = frozenset(
    {
        ("ProductVariant", "product"),
        ("Review", "isMine"),
        ("Review", "moderationNote"),
        ("Review", "moderatedAt"),
        ("Review", "product"),
    }
)


def shown_alike(parent: GraphQLNamedType, name: str, field: GraphQLField) -> bool:
    """Whether `parent.name` answers the same for every shopper (given the view's key)."""
    if parent.name not in VIEW_TYPES or (parent.name, name) in VIEWER_FIELDS:
        return False
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return not getattr(definition, "permission_classes", None)


class ProductViews:
    """The product answers one request may reuse: those of its selection and shape."""

    def __init__(self, info: Info, locale: str, prices: Prices, shape: ViewShape) -> None:
        self.info, self.locale, self.prices, self.shape = info, locale, prices, shape

    @classmethod
    def of(
        cls, info: Info, locale: str, prices: Prices, paths: Iterable[tuple[str, ...]]
    ) -> ProductViews | None:
        """The views for products selected at one of `paths` below the current field, in
        `locale` and `prices`; None when this request may not reuse them."""
        ctx = info.context
        if ctx.views is None or ctx.viewer.is_staff:
            return None
        selection = selection_key(info, paths, shown_alike)
        if selection is None:
            return None
        shape = ctx.views.shape((selection, locale, ctx.locale, prices.quote, ctx.media_base))
        return cls(info, locale, prices, shape)

    async def nodes(
        self,
        rows: Sequence[Product],
        *,
        shown: frozenset[str],
        complete: Callable[[list[int]], Awaitable[list[Product]]] | None = None,
    ) -> list[ProductType | CachedView | None]:
        """The reused answer of each row, else its node built by `build_products`, which
        stores its answer once completed.

        Rows that hold only their id are read whole with `complete` (by ids) when their
        answer must be built; one deleted in between is None.
        """
        reused = [self.shape.get(row.id) for row in rows]
        missing = [row for row, view in zip(rows, reused, strict=True) if view is None]
        if missing and complete is not None:
            missing = await complete([row.id for row in missing])
        built = {
            node.id: node
            for node in await build_products(
                missing, self.info, self.locale, prices=self.prices, shown=shown
            )
        }
        nodes: list[ProductType | CachedView | None] = []
        for row, view in zip(rows, reused, strict=True):
            if view is None and (node := built.get(row.id)) is not None:
                node._view = self.shape.slot(row.id)
                nodes.append(node)
            else:
                nodes.append(view)
        return nodes

    async def page(
        self,
        page: Page[Product],
        *,
        shown: frozenset[str],
        complete: Callable[[list[int]], Awaitable[list[Product]]],
    ) -> tuple[Page[Product], list[ProductType | CachedView]]:
        """`nodes` of a page of narrow rows, and the page less any product deleted since."""
        nodes = await self.nodes(page.items, shown=shown, complete=complete)
        if None in nodes:
            kept = [i for i, node in enumerate(nodes) if node is not None]
            page = replace(
                page,
                items=[page.items[i] for i in kept],
                cursors=[page.cursors[i] for i in kept],
            )
        return page, [node for node in nodes if node is not None]
