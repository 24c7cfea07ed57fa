"""The site's GraphQL client module (`web/lib/graphql.js`) used alone, as another app of the
site (the merchant console) uses it: no storefront module loaded, its own auth hooks."""

from __future__ import annotations

import asyncio
import contextlib

from models.accounts import Role
from models.catalog import ListingCause
from services.catalog import listing
from tests.factories import gid, make_product, make_user, token_for

SETUP = """async () => {
  const { createClient, GraphQLFailure, hasCode } = await import("/lib/graphql.js");
  Object.assign(window, { createClient, GraphQLFailure, hasCode, states: [], events: [] });
  window.client = createClient({ endpoint: "/graphql" });
}"""

SIGNED_IN = """async (token) => {
  const anonymous = await client.request("query { me { email } }", {}, { locale: "zh" });
  // A stale access token: the answer treats the caller as anonymous, so the client refreshes
  // once through the app's hook and asks again.
  let current = "stale";
  let refreshed = 0;
  client.useAuth({
    signedIn: () => true,
    fresh: () => true,
    token: () => current,
    refresh: async () => {
      refreshed++;
      current = token;
      return true;
    },
  });
  const signed = await client.request("query { me { email } }", {});
  let failure = null;
  try {
    await client.request("query { nothingHere }", {});
  } catch (err) {
    failure = { typed: err instanceof GraphQLFailure, errors: err.errors.length };
  }
  return { anonymous, signed, refreshed, failure };
}"""

SUBSCRIBE = """() => {
  window.subscription = client.subscribe(
    "subscription { productListingChanged { productId visible product { name } } }", {},
    {
      onData: (data) => events.push(data),
      onState: (s) => states.push(s),
      onRefused: () => states.push("refused"),
    },
  );
}"""


async def test_another_app_queries_and_subscribes_with_the_client_module_alone(page, storefront):
    admin = await make_user(email="staff@example.com", role=Role.ADMIN)
    product = await make_product(name="Lantern")
    scripts: list[str] = []
    page.on(
        "request",
        lambda r: (
            scripts.append(r.url.removeprefix(storefront)) if r.resource_type == "script" else None
        ),
    )
    # A page of the site without the storefront's scripts.
    await page.goto(f"{storefront}style.css")
    await page.evaluate(SETUP)

    answers = await page.evaluate(SIGNED_IN, token_for(admin))
    assert answers == {
        "anonymous": {"me": None},
        "signed": {"me": {"email": "staff@example.com"}},
        "refreshed": 1,
        "failure": {"typed": True, "errors": 1},
    }

    await page.evaluate(SUBSCRIBE)
    await page.wait_for_function("states.includes('live')")
    for _ in range(100):  # announce until the subscription, set up after the ack, hears
        await listing.announce(product, visible=True, cause=ListingCause.STATUS, actor="staff:test")
        with contextlib.suppress(Exception):
            await page.wait_for_function("events.length > 0", timeout=100)
            break
        await asyncio.sleep(0)
    events = await page.evaluate("events")
    assert events[0] == {
        "productListingChanged": {
            "productId": gid("Product", product.id),
            "visible": True,
            "product": {"name": "Lantern"},
        }
    }
    await page.evaluate("subscription.stop()")
    # The client module needs nothing of the storefront.
    assert scripts == ["lib/graphql.js"]
