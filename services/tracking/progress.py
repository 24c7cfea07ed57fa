"""How a parcel's status follows its events: the rules of `status_after`, folded over the
timeline in the order things happened.

The current status is the fold of every event, oldest first, from PENDING. So it never
depends on the order deliveries arrived in, and a late event re-reads the whole story.
Forward moves are always taken; moves back only where they make sense (after a failed
attempt or an exception, a parcel goes out for delivery again). Delivered is final unless
a return starts; returned and cancelled are final; an expired parcel that speaks again
comes back to life.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from models.tracking import TrackingStatus as S

#: How far along the way each ordinary status is; a move to a lower rank is refused.
RANK: dict[S, int] = {
    S.PENDING: 0,
    S.INFO_RECEIVED: 1,
    S.IN_TRANSIT: 2,
    S.IN_CUSTOMS: 2,
    S.OUT_FOR_DELIVERY: 3,
    S.AVAILABLE_FOR_PICKUP: 3,
}

#: Statuses any event may bring, whatever came before (except a final status).
ALWAYS = frozenset(
    {S.EXCEPTION, S.ATTEMPT_FAILED, S.IN_CUSTOMS, S.DELIVERED, S.RETURNING, S.RETURNED, S.CANCELLED}
)
#: Statuses from which a parcel may move anywhere: its trouble may be over.
INTERRUPTED = frozenset({S.PENDING, S.EXCEPTION, S.ATTEMPT_FAILED, S.EXPIRED})
#: Nothing moves a parcel out of these.
FINAL = frozenset({S.RETURNED, S.CANCELLED})
#: The only ways out of DELIVERED: a return.
AFTER_DELIVERED = frozenset({S.RETURNING, S.RETURNED})

#: Statuses that put a parcel in the console's exceptions queue.
PROBLEMS = frozenset({S.EXCEPTION, S.ATTEMPT_FAILED, S.EXPIRED, S.RETURNING})
#: Customs sub-statuses that need someone to act (duties to pay, papers to send).
CUSTOMS_PROBLEMS = frozenset({"customs_duties_due", "customs_documents_missing", "customs_held"})
#: Statuses past which tracking has nothing more to say.
SETTLED = frozenset({S.DELIVERED, S.RETURNED, S.CANCELLED})


def status_after(current: S, incoming: S) -> S:
    """The status a parcel in `current` has after an event saying `incoming`."""
    if current in FINAL:
        return current
    if current is S.DELIVERED:
        return incoming if incoming in AFTER_DELIVERED else current
    if incoming is S.PENDING:
        return current
    if incoming in ALWAYS or current in INTERRUPTED:
        return incoming
    if incoming is S.EXPIRED:
        return incoming
    if current is S.RETURNING:
        return current  # on its way back: only RETURNED, DELIVERED or trouble move it
    return incoming if RANK.get(incoming, 0) >= RANK.get(current, 0) else current


@dataclass(frozen=True, slots=True)
class Step:
    """One event as the fold reads it."""

    status: S
    sub_status: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class Progress:
    status: S
    sub_status: str
    #: When the parcel took its current status (the event that moved it there).
    since: datetime | None
    #: When the latest event happened.
    last_event_at: datetime | None
    delivered_at: datetime | None


def fold(steps: Iterable[Step]) -> Progress:
    """The status a timeline adds up to; `steps` in the order things happened."""
    status, sub_status = S.PENDING, ""
    since = last = delivered_at = None
    for step in steps:
        last = step.occurred_at
        after = status_after(status, step.status)
        if after is step.status and (after is not status or step.sub_status != sub_status):
            if after is not status:
                since = step.occurred_at
            status, sub_status = after, step.sub_status
            if after is S.DELIVERED:
                delivered_at = step.occurred_at
    return Progress(status, sub_status, since, last, delivered_at)


def needs_attention(status: S, sub_status: str) -> bool:
    """Whether a parcel in this state belongs in the console's exceptions queue."""
    return status in PROBLEMS or (status is S.IN_CUSTOMS and sub_status in CUSTOMS_PROBLEMS)
