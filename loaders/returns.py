"""Returns loaders: each order's returns, each return's lines, photos, timeline and outcome,
and the names of return reasons in other languages."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ByIdLoader, ManyByLoader
from models.returns import (
    ReturnEvent,
    ReturnLine,
    ReturnOutcome,
    ReturnPhoto,
    ReturnReasonTranslation,
    ReturnRequest,
)


class ReturnByIdLoader(ByIdLoader[ReturnRequest]):
    model = ReturnRequest


class ReturnsByOrderIdLoader(ManyByLoader[ReturnRequest]):
    """An order's returns, newest first."""

    model = ReturnRequest
    key_field = "order_id"


class LinesByReturnIdLoader(ManyByLoader[ReturnLine]):
    model = ReturnLine
    key_field = "return_request_id"


class PhotosByReturnIdLoader(ManyByLoader[ReturnPhoto]):
    model = ReturnPhoto
    key_field = "return_request_id"


class EventsByReturnIdLoader(ManyByLoader[ReturnEvent]):
    """A return's timeline, oldest first."""

    model = ReturnEvent
    key_field = "return_request_id"


class OutcomesByReturnIdLoader(ManyByLoader[ReturnOutcome]):
    """A return's outcome (one at most: the list is empty before it is carried out)."""

    model = ReturnOutcome
    key_field = "return_request_id"


class TranslationsByReasonIdLoader(ManyByLoader[ReturnReasonTranslation]):
    """The names a return reason has in other languages."""

    model = ReturnReasonTranslation
    key_field = "reason_id"


class ReturnsLoaders:
    """The returns loaders of a request, each built on first use."""

    @cached_property
    def return_request(self) -> ReturnByIdLoader:
        return ReturnByIdLoader()

    @cached_property
    def returns_by_order(self) -> ReturnsByOrderIdLoader:
        return ReturnsByOrderIdLoader()

    @cached_property
    def lines_by_return(self) -> LinesByReturnIdLoader:
        return LinesByReturnIdLoader()

    @cached_property
    def photos_by_return(self) -> PhotosByReturnIdLoader:
        return PhotosByReturnIdLoader()

    @cached_property
    def events_by_return(self) -> EventsByReturnIdLoader:
        return EventsByReturnIdLoader()

    @cached_property
    def outcomes_by_return(self) -> OutcomesByReturnIdLoader:
        return OutcomesByReturnIdLoader()

    @cached_property
    def translations_by_reason(self) -> TranslationsByReasonIdLoader:
        return TranslationsByReasonIdLoader()
