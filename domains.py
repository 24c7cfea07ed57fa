"""The GraphQL schema, assembled from one table of domains.

Each row names a domain and its root types: the `Query`, `Mutation` and `Subscription`
classes its resolvers and subscriptions declare. The schema's roots merge them in the
table's order, which is the order of their fields in `schema/schema.graphql`. Adding a
domain adds one row here (see the README's "Adding a domain").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types

from resolvers.accounts import AccountsMutation, AccountsQuery
from resolvers.accounts.oauth import OAuthMutation, OAuthQuery
from resolvers.catalog import CatalogMutation, CatalogQuery
from resolvers.coupons import CouponsMutation, CouponsQuery
from resolvers.currency import CurrencyMutation, CurrencyQuery
from resolvers.customs import CustomsMutation, CustomsQuery
from resolvers.customs_documents import CustomsDocumentsMutation
from resolvers.customs_returns import CustomsReturnsQuery
from resolvers.inventory import InventoryMutation, InventoryQuery
from resolvers.jobs import JobsMutation, JobsQuery
from resolvers.members import MembersMutation, MembersQuery
from resolvers.node import NodeQuery
from resolvers.orders import OrdersMutation, OrdersQuery
from resolvers.payment_methods import PaymentMethodsMutation, PaymentMethodsQuery
from resolvers.payments import PaymentsMutation, PaymentsQuery
from resolvers.payments_admin import PaymentsAdminMutation, PaymentsAdminQuery
from resolvers.returns import ReturnsMutation
from resolvers.returns_desk import ReturnsDeskMutation, ReturnsDeskQuery
from resolvers.returns_outcome import ReturnsOutcomeMutation, ReturnsOutcomeQuery
from resolvers.returns_policy import ReturnPolicyMutation, ReturnPolicyQuery
from resolvers.reviews import ReviewsMutation, ReviewsQuery
from resolvers.shipping import ShippingMutation, ShippingQuery
from resolvers.stats import StatsQuery
from resolvers.store_credit import StoreCreditMutation
from resolvers.support import SupportMutation, SupportQuery
from resolvers.support_canned import SupportCannedMutation, SupportCannedQuery
from resolvers.support_desk import SupportDeskMutation, SupportDeskQuery
from resolvers.support_levels import SupportLevelsMutation, SupportLevelsQuery
from resolvers.support_stats import SupportStatsQuery
from schema.extensions import schema_extensions, tag_request_errors
from schema.view_cache import ViewExecutionContext
from settings import Settings, get_settings
from subscriptions.catalog import CatalogSubscription
from subscriptions.inventory import InventorySubscription
from subscriptions.orders import OrdersSubscription
from subscriptions.returns import ReturnsSubscription
from subscriptions.support import SupportSubscription
from subscriptions.support_desk import SupportDeskSubscription
from subscriptions.tracking import TrackingSubscription


@dataclass(frozen=True)
class Domain:
    """One domain's root types; a domain without mutations or subscriptions leaves them out."""

    name: str
    query: tuple[type, ...] = ()
    mutation: tuple[type, ...] = ()
    subscription: tuple[type, ...] = ()


#: Every domain of the API. `node` is the Relay kit's `node`/`nodes`, not a domain of its own.
DOMAINS: tuple[Domain, ...] = (
    Domain("node", query=(NodeQuery,)),
    Domain(
        "catalog",
        query=(CatalogQuery,),
        mutation=(CatalogMutation,),
        subscription=(CatalogSubscription,),
    ),
    Domain("reviews", query=(ReviewsQuery,), mutation=(ReviewsMutation,)),
    Domain("coupons", query=(CouponsQuery,), mutation=(CouponsMutation,)),
    Domain("currency", query=(CurrencyQuery,), mutation=(CurrencyMutation,)),
    Domain(
        "accounts",
        query=(AccountsQuery, OAuthQuery),
        mutation=(AccountsMutation, OAuthMutation),
    ),
    Domain("members", query=(MembersQuery,), mutation=(MembersMutation,)),
    Domain("shipping", query=(ShippingQuery,), mutation=(ShippingMutation,)),
    Domain(
        "customs",
        query=(CustomsQuery, CustomsReturnsQuery),
        mutation=(CustomsMutation, CustomsDocumentsMutation),
    ),
    Domain(
        "inventory",
        query=(InventoryQuery,),
        mutation=(InventoryMutation,),
        subscription=(InventorySubscription,),
    ),
    Domain(
        "orders",
        query=(OrdersQuery,),
        mutation=(OrdersMutation,),
        subscription=(OrdersSubscription, TrackingSubscription),
    ),
    Domain(
        "returns_desk",
        query=(ReturnsDeskQuery,),
        mutation=(ReturnsDeskMutation,),
    ),
    Domain(
        "payments",
        query=(PaymentsAdminQuery, PaymentsQuery, PaymentMethodsQuery),
        mutation=(PaymentsAdminMutation, PaymentsMutation, PaymentMethodsMutation),
    ),
    Domain("returns_outcome", query=(ReturnsOutcomeQuery,), mutation=(ReturnsOutcomeMutation,)),
    Domain("store_credit", mutation=(StoreCreditMutation,)),
    Domain("returns", mutation=(ReturnsMutation,), subscription=(ReturnsSubscription,)),
    Domain("returns_policy", query=(ReturnPolicyQuery,), mutation=(ReturnPolicyMutation,)),
    Domain(
        "support",
        query=(SupportQuery,),
        mutation=(SupportMutation,),
        subscription=(SupportSubscription,),
    ),
    Domain("support_canned", query=(SupportCannedQuery,), mutation=(SupportCannedMutation,)),
    Domain(
        "support_desk",
        query=(SupportDeskQuery,),
        mutation=(SupportDeskMutation,),
        subscription=(SupportDeskSubscription,),
    ),
    Domain("support_levels", query=(SupportLevelsQuery,), mutation=(SupportLevelsMutation,)),
    Domain("support_stats", query=(SupportStatsQuery,)),
    Domain("stats", query=(StatsQuery,)),
    Domain("jobs", query=(JobsQuery,), mutation=(JobsMutation,)),
)


def _root(name: str, kind: str) -> type:
    types = tuple(root for domain in DOMAINS for root in getattr(domain, kind))
    return merge_types(name, types)


Query = _root("Query", "query")
Mutation = _root("Mutation", "mutation")
Subscription = _root("Subscription", "subscription")


class TradewindSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Unexpected errors are logged with their request id where they are masked, so
        # this only labels the errors of malformed requests.
        tag_request_errors(errors)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The GraphQL schema with the limits and error handling `settings` ask for."""
    return TradewindSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=schema_extensions(settings or get_settings()),
        # Takes a node's reused answer as its completed value (`schema.view_cache`).
        execution_context_class=ViewExecutionContext,
    )
