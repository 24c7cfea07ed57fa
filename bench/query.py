"""The storefront list query of bench-catalog.md, and checks of its answer.

The first page of 20 products (newest listed first, the storefront default), each with
its id, name, slug, description, first image URL, category name and every variant's id,
name, price (amount and currency) and stock state: what a product grid page asks for.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import orjson

from bench.seed import CURRENCY, bench_product, category_name

PAGE_SIZE = 20

QUERY = """
query StorefrontProductGrid($first: Int!) {
  products(first: $first) {
    edges {
      node {
        id
        name
        slug
        description
        featuredImage { url }
        category { name }
        variants {
          id
          name
          price { amount currency }
          stockStatus
        }
      }
    }
  }
}
""".strip()

VARIABLES = {"first": PAGE_SIZE}

#: The storefront's product page, as `web/screens/product.js` asks for it (the newest product).
PRODUCT_PAGE = """
query StorefrontProductPage($slug: String!, $reviews: Int) {
  currencyQuote { currency rateDate stale }
  product(slug: $slug) {
    id slug name description parameters { name value } features instructions locale
    originCountry specification model material productType usage weightGrams
    ratingAverage ratingCount
    reviews(first: $reviews) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id rating title body authorName createdAt }
    }
    translations { locale }
    brand { id slug name }
    category { id slug name ancestors { id slug name } }
    images { id url alt width height }
    priceRange { min { amount formatted } max { amount formatted } }
    variants {
      id sku name position options { name value }
      price { amount formatted } compareAtPrice { amount formatted }
      quantityAvailable stockStatus
    }
  }
}
""".strip()


def product_page_body(catalog_size: int) -> tuple[dict[str, Any], bytes]:
    """The product page's variables and request body for the newest product of the catalog."""
    variables = {"slug": bench_product(catalog_size).slug, "reviews": 5}
    body = orjson.dumps(
        {"query": PRODUCT_PAGE, "variables": variables, "operationName": "StorefrontProductPage"}
    )
    return variables, body


#: The POST /graphql body every request of the benchmark sends.
BODY: bytes = orjson.dumps(
    {"query": QUERY, "variables": VARIABLES, "operationName": "StorefrontProductGrid"}
)


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def verify_page(document: Any, catalog_size: int, media_prefix: str) -> list[str]:
    """Every difference between an answer and the seeded catalog's first page.

    `media_prefix` is the start of every image URL, e.g. `http://127.0.0.1:8000/media/`.
    """
    problems: list[str] = []
    if not isinstance(document, dict) or "errors" in document:
        return [f"errors in the answer: {document!r:.300}"]
    edges = document["data"]["products"]["edges"]
    expected = [bench_product(i) for i in range(catalog_size, max(catalog_size - PAGE_SIZE, 0), -1)]
    if len(edges) != len(expected):
        problems.append(f"{len(edges)} products instead of {len(expected)}")
    for edge, want in zip(edges, expected, strict=False):
        node = edge["node"]
        where = f"product {want.index}"
        for field, value in (
            ("id", global_id("Product", want.index)),
            ("name", want.name),
            ("slug", want.slug),
            ("description", want.description),
        ):
            if node[field] != value:
                problems.append(f"{where}: {field} {node[field]!r}, expected {value!r}")
        if (node["category"] or {}).get("name") != category_name(want.category_id):
            problems.append(f"{where}: category {node['category']!r}")
        url = (node["featuredImage"] or {}).get("url", "")
        if not (url.startswith(f"{media_prefix}products/{want.index}/") and url.endswith(".png")):
            problems.append(f"{where}: image URL {url!r}")
        variants = node["variants"]
        if len(variants) != len(want.variants):
            problems.append(f"{where}: {len(variants)} variants")
        for got, variant in zip(variants, want.variants, strict=False):
            price = got["price"]
            stock = "IN_STOCK" if variant.stock > 0 else "OUT_OF_STOCK"
            if (
                got["id"] != global_id("ProductVariant", variant.id)
                or got["name"] != variant.size
                or Decimal(price["amount"]) != Decimal(variant.price) / 100
                or price["currency"] != CURRENCY
                or got["stockStatus"] != stock
            ):
                problems.append(f"{where}: variant {got!r} does not match {variant!r}")
    return problems
