"""Customer service statistics types: totals and one row per staff member or channel."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from models.support import ConversationChannel
from schema.context import Info
from schema.stats import StatsErrorType
from schema.support.types import ConversationChannelEnum
from services.support import stats as support_stats

if TYPE_CHECKING:
    from schema.accounts.types import UserType

SupportStatisticsGroupByEnum = strawberry.enum(
    support_stats.GroupBy,
    name="SupportStatisticsGroupBy",
    description=(
        "Rows per staff member (first responses to whoever gave them, ratings to the assignee "
        "when given, the rest to the assignee) or per channel."
    ),
)


@strawberry.type(
    name="SupportFigures",
    description="A customer service report's figures: its totals or one group's.",
)
class FiguresType:
    opened: int = strawberry.field(description="Conversations created.")
    resolved: int = strawberry.field(description="Conversations resolved (latest resolution).")
    first_responses: int = strawberry.field(description="Conversations first answered by staff.")
    median_first_response_seconds: int | None = strawberry.field(
        description="Median business seconds from creation to first response; null if none."
    )
    p90_first_response_seconds: int | None = strawberry.field(
        description="90th percentile (nearest rank) of the same; null if none."
    )
    median_resolution_seconds: int | None = strawberry.field(
        description="Median business seconds from creation to resolution; null if none."
    )
    breaches: int = strawberry.field(description="Conversations flagged late.")
    ratings: int = strawberry.field(description="Ratings given.")
    average_rating: float | None = strawberry.field(
        description="Average score (1 to 5, two decimals); null without ratings."
    )

    @classmethod
    def build(cls, figures: support_stats.Figures) -> FiguresType:
        return cls(
            opened=figures.opened,
            resolved=figures.resolved,
            first_responses=figures.first_responses,
            median_first_response_seconds=figures.median_first_response,
            p90_first_response_seconds=figures.p90_first_response,
            median_resolution_seconds=figures.median_resolution,
            breaches=figures.breaches,
            ratings=figures.ratings,
            average_rating=figures.average_rating,
        )


@strawberry.type(
    name="SupportStatisticsRow",
    description="One staff member (null: unassigned) or one channel, as grouped.",
)
class RowType:
    channel: ConversationChannelEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The channel, in a report by channel."
    )
    figures: FiguresType
    staff_id: strawberry.Private[int | None]

    @strawberry.field(description="The staff member, in a report by staff; null: unassigned.")
    async def staff(
        self, info: Info
    ) -> Annotated[UserType, strawberry.lazy("schema.accounts.types")] | None:
        from schema.accounts.types import UserType

        if self.staff_id is None:
            return None
        user = await info.context.loaders.user.load(self.staff_id)
        return UserType.build(user) if user is not None else None

    @strawberry.field(description="The staff member's email, for display; null: unassigned.")
    async def staff_email(self, info: Info) -> str | None:
        if self.staff_id is None:
            return None
        user = await info.context.loaders.user.load(self.staff_id)
        return user.email if user is not None else None

    @classmethod
    def build(cls, row: support_stats.Row) -> RowType:
        channel = row.key if isinstance(row.key, ConversationChannel) else None
        staff_id = row.key if isinstance(row.key, int) else None
        return cls(channel=channel, figures=FiguresType.build(row.figures), staff_id=staff_id)


@strawberry.type(name="SupportStatistics")
class SupportStatisticsType:
    first: date = strawberry.field(name="from", description="The range's first day.")
    last: date = strawberry.field(name="to", description="The range's last day.")
    timezone: str = strawberry.field(description="The zone the days are in.")
    group_by: SupportStatisticsGroupByEnum  # type: ignore[valid-type]
    totals: FiguresType
    rows: list[RowType]

    @classmethod
    def build(cls, report: support_stats.SupportStatistics) -> SupportStatisticsType:
        return cls(
            first=report.days.first,
            last=report.days.last,
            timezone=report.days.zone.key,
            group_by=report.group_by,
            totals=FiguresType.build(report.totals),
            rows=[RowType.build(row) for row in report.rows],
        )


@strawberry.type(
    name="SupportStatisticsResult",
    description="The statistics asked for, or the errors saying why the range is refused.",
)
class SupportStatisticsResultType:
    statistics: SupportStatisticsType | None = None
    errors: list[StatsErrorType] = strawberry.field(default_factory=list)
