"""Catalog root fields."""

from resolvers.catalog.mutations import CatalogMutation
from resolvers.catalog.queries import CatalogQuery

__all__ = ["CatalogMutation", "CatalogQuery"]
