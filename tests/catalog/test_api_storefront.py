"""The storefront's product list: filters, sorting, keyset pages, facets, languages, batching."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.catalog import Product
from services.catalog import translations
from tests.factories import gid, make_brand, make_category, make_product, png_bytes

PRODUCTS = """
query List($first: Int, $after: String, $last: Int, $before: String,
           $filter: ProductFilter, $sortBy: ProductSortInput, $locale: String) {
  products(first: $first, after: $after, last: $last, before: $before,
           filter: $filter, sortBy: $sortBy, locale: $locale) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name } }
  }
}
"""


async def names(client, **variables) -> list[str]:
    data = await client.query(PRODUCTS, variables)
    return [edge["node"]["name"] for edge in data["products"]["edges"]]


async def test_shoppers_see_only_active_products_inside_their_window(client):
    now = timezone.now()
    await make_product(name="Shown")
    await make_product(name="Draft", publish=False)
    await make_product(name="Later", publish_at=now + timedelta(days=1))
    ended = await make_product(name="Ended", unpublish_at=now + timedelta(days=1))
    await Product.filter(id=ended.id).update(unpublish_at=now - timedelta(seconds=1))
    archived = await make_product(name="Archived")
    await Product.filter(id=archived.id).update(status="archived")
    assert await names(client) == ["Shown"]


async def test_staff_can_list_by_status_and_shoppers_cannot(client):
    await make_product(name="Draft", publish=False)
    await make_product(name="Live")
    data = await client.staff(PRODUCTS, {"filter": {"statuses": ["DRAFT"]}})
    assert [e["node"]["name"] for e in data["products"]["edges"]] == ["Draft"]
    body = await client.request(PRODUCTS, {"filter": {"statuses": ["DRAFT"]}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_filter_by_category_includes_subcategories(client):
    clothing = await make_category(name="Clothing")
    men = await make_category(clothing, name="Menswear")
    shirts = await make_category(men, name="Shirts")
    toys = await make_category(name="Toys")
    await make_product(name="Shirt", category=shirts)
    await make_product(name="Jacket", category=men)
    await make_product(name="Robot", category=toys)
    got = await names(
        client,
        filter={"categories": [gid("Category", clothing.id)]},
        sortBy={"field": "NAME", "direction": "ASC"},
    )
    assert got == ["Jacket", "Shirt"]
    assert await names(client, filter={"categories": [gid("Category", shirts.id)]}) == ["Shirt"]


async def test_filter_by_brand_origin_type_usage_and_stock(client):
    north, south = await make_brand(name="North"), await make_brand(name="South")
    await make_product(
        name="A", brand=north, origin_country="JP", product_type="mug", usage="office"
    )
    await make_product(
        name="B", brand=south, origin_country="DE", product_type="mug", usage="outdoor"
    )
    await make_product(
        name="C", brand=south, origin_country="JP", product_type="bottle", stock=(0,)
    )
    by = {"field": "NAME", "direction": "ASC"}
    assert await names(client, filter={"brands": [gid("Brand", south.id)]}, sortBy=by) == ["B", "C"]
    assert await names(client, filter={"origins": ["JP"]}, sortBy=by) == ["A", "C"]
    assert await names(client, filter={"productTypes": ["mug"]}, sortBy=by) == ["A", "B"]
    assert await names(client, filter={"usages": ["outdoor"]}, sortBy=by) == ["B"]
    assert await names(client, filter={"inStock": True}, sortBy=by) == ["A", "B"]
    assert await names(client, filter={"inStock": False}, sortBy=by) == ["C"]


async def test_filter_by_price_range_uses_the_lowest_variant_price(client):
    await make_product(name="Cheap", prices=("5.00", "50.00"))
    await make_product(name="Mid", prices=("20.00",))
    await make_product(name="Dear", prices=("80.00",))
    by = {"field": "PRICE", "direction": "ASC"}
    got = await names(client, filter={"price": {"min": "5", "max": "20.00"}}, sortBy=by)
    assert got == ["Cheap", "Mid"]
    assert await names(client, filter={"price": {"min": "20.01"}}, sortBy=by) == ["Dear"]


async def test_text_search_matches_names_brands_skus_and_translations(client):
    brand = await make_brand(name="Kumo")
    await make_product(name="Ceramic Teapot", description="Hand thrown")
    await make_product(name="Cotton Scarf", brand=brand)
    scarf_twin = await make_product(name="Wool Hat")
    await translations.translate_product(scarf_twin.id, "de", {"name": "Wollmütze"})
    assert await names(client, filter={"search": "teapot"}) == ["Ceramic Teapot"]
    assert await names(client, filter={"search": "hand THROWN"}) == ["Ceramic Teapot"]
    assert await names(client, filter={"search": "kumo"}) == ["Cotton Scarf"]
    assert await names(client, filter={"search": "wollmütze"}) == ["Wool Hat"]
    sku = (await (await Product.get(name="Wool Hat")).variants.all())[0].sku
    assert await names(client, filter={"search": sku}) == ["Wool Hat"]
    assert await names(client, filter={"search": "teapot scarf"}) == []


async def test_sorting_by_each_field(client):
    a = await make_product(name="Alpha", prices=("30.00",))
    b = await make_product(name="Bravo", prices=("10.00",))
    c = await make_product(name="Charlie", prices=("20.00",))
    await Product.filter(id=a.id).update(sales_count=5, rating_average=4.5)
    await Product.filter(id=b.id).update(sales_count=50, rating_average=3.0)
    await Product.filter(id=c.id).update(sales_count=1, rating_average=4.9)
    base = timezone.now()
    for offset, product in enumerate((b, c, a)):
        await Product.filter(id=product.id).update(listed_at=base + timedelta(minutes=offset))

    async def sorted_by(field: str, direction: str) -> list[str]:
        return await names(client, sortBy={"field": field, "direction": direction})

    assert await sorted_by("SALES", "DESC") == ["Bravo", "Alpha", "Charlie"]
    assert await sorted_by("RATING", "DESC") == ["Charlie", "Alpha", "Bravo"]
    assert await sorted_by("PRICE", "ASC") == ["Bravo", "Charlie", "Alpha"]
    assert await sorted_by("PRICE", "DESC") == ["Alpha", "Charlie", "Bravo"]
    assert await sorted_by("LISTED_AT", "DESC") == ["Alpha", "Charlie", "Bravo"]
    assert await sorted_by("NAME", "ASC") == ["Alpha", "Bravo", "Charlie"]
    assert await names(client) == ["Alpha", "Charlie", "Bravo"]  # newest first by default


async def test_keyset_pages_walk_forwards_and_backwards_without_gaps(client):
    for i in range(7):
        await make_product(name=f"P{i}", prices=("10.00",))  # equal prices: ties broken by id
    by = {"field": "PRICE", "direction": "ASC"}
    seen: list[str] = []
    after = None
    while True:
        data = (await client.query(PRODUCTS, {"first": 3, "after": after, "sortBy": by}))[
            "products"
        ]
        seen += [e["node"]["name"] for e in data["edges"]]
        assert data["totalCount"] == 7
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == [f"P{i}" for i in range(7)]

    last = (await client.query(PRODUCTS, {"last": 3, "sortBy": by}))["products"]
    assert [e["node"]["name"] for e in last["edges"]] == ["P4", "P5", "P6"]
    assert last["pageInfo"]["hasPreviousPage"] is True
    before = (
        await client.query(
            PRODUCTS, {"last": 3, "before": last["pageInfo"]["startCursor"], "sortBy": by}
        )
    )["products"]
    assert [e["node"]["name"] for e in before["edges"]] == ["P1", "P2", "P3"]
    assert before["pageInfo"]["hasNextPage"] is True


async def test_bad_page_arguments_are_refused(client):
    for variables in ({"first": 101}, {"first": -1}, {"first": 1, "last": 1}, {"after": "garbage"}):
        body = await client.request(PRODUCTS, variables)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", variables


FACETS = """
query Facets($filter: ProductFilter) {
  products(first: 1, filter: $filter) {
    facets(priceBreaks: ["10", "50"]) {
      total
      exact
      brands { brand { name } count }
      categories { category { name } count }
      origins { country count }
      productTypes { value count }
      prices { min { amount } max { amount } count }
    }
  }
}
"""


async def test_facets_count_each_choice_for_the_current_filter(client):
    north, south = await make_brand(name="North"), await make_brand(name="South")
    home = await make_category(name="Home")
    kitchen = await make_category(home, name="Kitchen")
    await make_product(
        brand=north, category=kitchen, origin_country="JP", prices=("5.00",), product_type="mug"
    )
    await make_product(
        brand=north, category=home, origin_country="DE", prices=("20.00",), product_type="mug"
    )
    await make_product(
        brand=south, category=kitchen, origin_country="JP", prices=("70.00",), product_type="pot"
    )
    await make_product(brand=south, publish=False)  # not visible: never counted

    all_facets = (await client.query(FACETS))["products"]["facets"]
    assert all_facets["total"] == 3
    assert all_facets["exact"] is True
    assert all_facets["brands"] == [
        {"brand": {"name": "North"}, "count": 2},
        {"brand": {"name": "South"}, "count": 1},
    ]
    assert {(c["category"]["name"], c["count"]) for c in all_facets["categories"]} == {
        ("Home", 3),
        ("Kitchen", 2),
    }
    assert all_facets["origins"] == [{"country": "JP", "count": 2}, {"country": "DE", "count": 1}]
    assert all_facets["prices"] == [
        {"min": None, "max": {"amount": "9.99"}, "count": 1},
        {"min": {"amount": "10.00"}, "max": {"amount": "49.99"}, "count": 1},
        {"min": {"amount": "50.00"}, "max": None, "count": 1},
    ]

    # Picking a brand narrows the other facets but keeps every brand's count.
    north_only = (await client.query(FACETS, {"filter": {"brands": [gid("Brand", north.id)]}}))[
        "products"
    ]["facets"]
    assert north_only["total"] == 2
    assert [b["count"] for b in north_only["brands"]] == [2, 1]
    assert north_only["productTypes"] == [{"value": "mug", "count": 2}]
    assert sum(p["count"] for p in north_only["prices"]) == 2


async def test_facets_past_the_limit_count_the_newest_and_say_so(client, settings, monkeypatch):
    north, south = await make_brand(name="North"), await make_brand(name="South")
    await make_product(brand=south, origin_country="DE")  # the oldest: left out
    await make_product(brand=north, origin_country="JP")
    await make_product(brand=north, origin_country="JP")
    monkeypatch.setattr(settings, "facet_count_limit", 2)

    capped = (await client.query(FACETS))["products"]["facets"]
    assert capped["exact"] is False
    assert capped["total"] == 2
    assert capped["brands"] == [{"brand": {"name": "North"}, "count": 2}]
    assert capped["origins"] == [{"country": "JP", "count": 2}]

    # Fewer matches than the limit: exact again.
    south_only = {"filter": {"search": "Product", "origins": ["DE"]}}
    monkeypatch.setattr(settings, "facet_count_limit", 4)
    assert (await client.query(FACETS, south_only))["products"]["facets"]["exact"] is True


LOCALIZED = """
query($locale: String) {
  products(first: 5, locale: $locale) {
    edges { node { name description locale category { name } } }
  }
}
"""


async def test_text_comes_in_the_requested_locale_with_fallback(client):
    category = await make_category(name="Kitchen")
    await translations.translate_category(category.id, "de", {"name": "Küche"})
    product = await make_product(name="Teapot", description="A teapot.", category=category)
    await translations.translate_product(product.id, "de", {"name": "Teekanne"})

    def node(data):
        return data["products"]["edges"][0]["node"]

    german = node(await client.query(LOCALIZED, {"locale": "de-AT"}))
    assert german == {
        "name": "Teekanne",
        "description": "A teapot.",  # untranslated field falls back to the default language
        "locale": "de",
        "category": {"name": "Küche"},
    }
    by_header = node(
        await client.query(LOCALIZED, headers={"Accept-Language": "fr;q=0.5, de;q=0.9"})
    )
    assert by_header["name"] == "Teekanne"
    french = node(await client.query(LOCALIZED, {"locale": "fr"}))
    assert french["name"] == "Teapot" and french["locale"] == "fr"
    unknown = node(await client.query(LOCALIZED, {"locale": "xx"}))
    assert unknown["locale"] == "en"


NESTED = """
query($first: Int!) {
  products(first: $first, locale: "de") {
    edges { node {
      id name brand { name } category { name }
      images { url alt } featuredImage { url }
      variants { sku price { amount currency } stockStatus }
      translations { locale name }
    } }
  }
}
"""


async def test_list_queries_run_the_same_few_statements_for_10_and_100_products(
    client, count_queries
):
    from services.catalog import images

    brand = await make_brand()
    category = await make_category()
    for i in range(100):
        product = await make_product(brand=brand, category=category, prices=("1.00", "2.00"))
        if i % 10 == 0:
            await images.add_image(product.id, png_bytes(color="blue"), alt="front")
            await translations.translate_product(product.id, "de", {"name": f"Produkt {i}"})

    counts = {}
    for first in (10, 100):
        count_queries.statements.clear()
        data = await client.query(NESTED, {"first": first})
        assert len(data["products"]["edges"]) == first
        counts[first] = count_queries.count
    assert counts[10] == counts[100], count_queries.statements
    assert counts[100] <= 5, count_queries.statements


async def test_facets_of_a_filter_that_matches_nothing_are_zero(client):
    await make_product(name="Teapot")
    data = await client.query(FACETS, {"filter": {"search": "no-such-thing"}})
    facets = data["products"]["facets"]
    assert facets["total"] == 0 and facets["brands"] == [] and facets["origins"] == []
    assert [p["count"] for p in facets["prices"]] == [0, 0, 0]


async def test_the_locale_argument_also_formats_prices_and_facet_names(client):
    category = await make_category(name="Kitchen")
    await translations.translate_category(category.id, "de", {"name": "Küche"})
    await make_product(category=category, prices=("1234.50",))
    data = await client.query(
        """{ products(first: 1, locale: "de") {
               edges { node { priceRange { min { formatted } } } }
               facets { categories { category { name } } } } }"""
    )
    products = data["products"]
    assert products["edges"][0]["node"]["priceRange"]["min"]["formatted"] == "1.234,50\xa0$"
    assert products["facets"]["categories"] == [{"category": {"name": "Küche"}}]


async def test_staff_list_products_by_last_edit_and_page_in_that_order(client):
    first = await make_product(name="Edited long ago", publish=False)
    await make_product(name="Edited yesterday", publish=False)
    await make_product(name="Edited now", publish=False)
    now = timezone.now()
    for offset, name in ((3, "Edited long ago"), (1, "Edited yesterday"), (0, "Edited now")):
        await Product.filter(name=name).update(updated_at=now - timedelta(days=offset))
    sort = {"field": "UPDATED_AT", "direction": "DESC"}
    data = await client.staff(
        PRODUCTS, {"filter": {"statuses": ["DRAFT"]}, "sortBy": sort, "first": 2}
    )
    assert [e["node"]["name"] for e in data["products"]["edges"]] == [
        "Edited now",
        "Edited yesterday",
    ]
    rest = await client.staff(
        PRODUCTS,
        {
            "filter": {"statuses": ["DRAFT"]},
            "sortBy": sort,
            "first": 2,
            "after": data["products"]["pageInfo"]["endCursor"],
        },
    )
    assert [e["node"]["name"] for e in rest["products"]["edges"]] == ["Edited long ago"]
    # An edit moves the product to the top.
    await client.staff(
        "mutation($input: UpdateProductInput!) "
        "{ updateProduct(input: $input) { errors { code } } }",
        {"input": {"id": gid("Product", first.id), "model": "MK2"}},
    )
    again = await client.staff(
        PRODUCTS, {"filter": {"statuses": ["DRAFT"]}, "sortBy": sort, "first": 1}
    )
    assert again["products"]["edges"][0]["node"]["name"] == "Edited long ago"


CATALOG_SETTINGS = "{ catalogSettings { defaultLocale locales shopCurrency } }"


async def test_catalog_staff_read_the_locales_translations_may_use(client, settings):
    data = await client.staff(CATALOG_SETTINGS)
    assert data["catalogSettings"]["defaultLocale"] == settings.default_locale
    assert data["catalogSettings"]["locales"][0] == settings.default_locale
    assert sorted(data["catalogSettings"]["locales"]) == sorted(settings.supported_locales)
    assert "zh" in data["catalogSettings"]["locales"]
    assert data["catalogSettings"]["shopCurrency"] == settings.shop_currency


async def test_only_catalog_staff_read_the_catalog_settings(client):
    from models.accounts import Role
    from tests.factories import make_user

    stock_keeper = await make_user(role=Role.STAFF, permissions=("inventory",))
    refused = await client.request(CATALOG_SETTINGS, user=stock_keeper)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await client.request(CATALOG_SETTINGS))["errors"][0]["extensions"]["code"] in {
        "UNAUTHENTICATED",
        "FORBIDDEN",
    }
