"""Per-request loaders: a fresh `Loaders` for every request, so nothing is cached across them."""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.accounts import UserByIdLoader
from loaders.catalog import (
    BrandByIdLoader,
    CategoryByIdLoader,
    ChildrenByCategoryIdLoader,
    ImageByIdLoader,
    ImagesByProductIdLoader,
    ProductByIdLoader,
    TranslationsByCategoryIdLoader,
    TranslationsByProductIdLoader,
    VariantByIdLoader,
    VariantsByProductIdLoader,
)


@dataclass
class Loaders:
    """Every loader of a request; build inside the running event loop."""

    brand: BrandByIdLoader = field(default_factory=BrandByIdLoader)
    category: CategoryByIdLoader = field(default_factory=CategoryByIdLoader)
    product: ProductByIdLoader = field(default_factory=ProductByIdLoader)
    variant: VariantByIdLoader = field(default_factory=VariantByIdLoader)
    image: ImageByIdLoader = field(default_factory=ImageByIdLoader)
    variants_by_product: VariantsByProductIdLoader = field(
        default_factory=VariantsByProductIdLoader
    )
    images_by_product: ImagesByProductIdLoader = field(default_factory=ImagesByProductIdLoader)
    translations_by_product: TranslationsByProductIdLoader = field(
        default_factory=TranslationsByProductIdLoader
    )
    translations_by_category: TranslationsByCategoryIdLoader = field(
        default_factory=TranslationsByCategoryIdLoader
    )
    children_by_category: ChildrenByCategoryIdLoader = field(
        default_factory=ChildrenByCategoryIdLoader
    )
    user: UserByIdLoader = field(default_factory=UserByIdLoader)
    # Members loaders.
    # Reviews and coupons loaders.
