"""Customer service levels: the service hours and targets (set by staff who keep the
settings, read by support staff too), and the customer's rating of the help."""

from __future__ import annotations

import strawberry

from models.support import ConversationPriority
from schema.context import Info
from schema.kit import mutation
from schema.permissions import CanManageSettings, CanReadSupportSettings
from schema.support.ratings import RateConversationInput, RateConversationPayload
from schema.support.settings import (
    SetServiceLevelTargetsInput,
    SetSupportScheduleInput,
    SupportSettingsPayload,
    SupportSettingsType,
)
from schema.support.types import RatingType
from services.support import ratings, setup


@strawberry.type
class SupportLevelsQuery:
    @strawberry.field(
        permission_classes=[CanReadSupportSettings],
        description="The service hours and service-level targets.",
    )
    async def support_settings(self) -> SupportSettingsType:
        return SupportSettingsType.build(await setup.read_settings())


@strawberry.type
class SupportLevelsMutation:
    @mutation(
        permission_classes=[CanManageSettings],
        description="Replace the service hours: time zone, open spans and closed days.",
    )
    async def set_support_schedule(self, input: SetSupportScheduleInput) -> SupportSettingsPayload:
        found = await setup.set_schedule(
            input.time_zone,
            [setup.Hours(setup.Weekday(h.weekday), h.opens, h.closes) for h in input.hours],
            [setup.Holiday(h.date, h.name) for h in input.holidays],
        )
        return SupportSettingsPayload(settings=SupportSettingsType.build(found))

    @mutation(
        permission_classes=[CanManageSettings],
        description="Replace the service-level targets, one per priority at most.",
    )
    async def set_service_level_targets(
        self, input: SetServiceLevelTargetsInput
    ) -> SupportSettingsPayload:
        found = await setup.set_targets(
            [
                setup.Target(
                    ConversationPriority(t.priority),
                    t.first_response_minutes,
                    t.resolution_minutes,
                )
                for t in input.targets
            ]
        )
        return SupportSettingsPayload(settings=SupportSettingsType.build(found))

    @mutation(
        description="Rate the help, as the conversation's customer (a guest with its token), "
        "once it is resolved or closed: NOT_RATABLE before. Rating again within 7 days "
        "changes the rating; later it is refused NOT_RATABLE."
    )
    async def rate_conversation(
        self, info: Info, input: RateConversationInput
    ) -> RateConversationPayload:
        rating = await ratings.rate(
            viewer=info.context.viewer,
            conversation_number=input.conversation_number,
            token=input.token,
            score=input.score,
            comment=input.comment,
        )
        return RateConversationPayload(rating=RatingType.build(rating))
