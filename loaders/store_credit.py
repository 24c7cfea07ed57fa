"""Store credit loaders: ledger entries by id."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ByIdLoader
from models.store_credit import StoreCreditEntry


class StoreCreditEntryByIdLoader(ByIdLoader[StoreCreditEntry]):
    model = StoreCreditEntry


class StoreCreditLoaders:
    """The store credit loaders of a request, each built on first use."""

    @cached_property
    def store_credit_entry(self) -> StoreCreditEntryByIdLoader:
        return StoreCreditEntryByIdLoader()
