"""The shop's customer service settings as staff read and change them: service hours in a
time zone, closed days, and service-level targets per priority."""

from __future__ import annotations

from datetime import date

import strawberry

from models.support import BusinessHours, ServiceLevelTarget, SupportHoliday
from schema.support.types import ConversationPriorityEnum, SupportErrorType
from services.support import setup
from services.support.setup import Weekday

WeekdayEnum = strawberry.enum(Weekday, name="Weekday", description="A day of the week.")


@strawberry.type(name="BusinessHours", description="One open span of one weekday.")
class BusinessHoursType:
    weekday: WeekdayEnum  # type: ignore[valid-type]
    opens: str = strawberry.field(description='Local clock time it opens, "HH:MM".')
    closes: str = strawberry.field(description='Local clock time it closes, "HH:MM" (to 24:00).')

    @classmethod
    def build(cls, row: BusinessHours) -> BusinessHoursType:
        return cls(
            weekday=Weekday(row.weekday),
            opens=setup.clock(row.opens_minute),
            closes=setup.clock(row.closes_minute),
        )


@strawberry.type(name="SupportHoliday", description="A day without service.")
class HolidayType:
    date: date
    name: str

    @classmethod
    def build(cls, row: SupportHoliday) -> HolidayType:
        return cls(date=row.day, name=row.name)


@strawberry.type(
    name="ServiceLevelTarget",
    description="How soon conversations of one priority are answered and resolved, in "
    "minutes of business time.",
)
class TargetType:
    priority: ConversationPriorityEnum  # type: ignore[valid-type]
    first_response_minutes: int
    resolution_minutes: int

    @classmethod
    def build(cls, row: ServiceLevelTarget) -> TargetType:
        return cls(
            priority=row.priority,
            first_response_minutes=row.first_response_minutes,
            resolution_minutes=row.resolution_minutes,
        )


@strawberry.type(
    name="SupportSettings",
    description="Service hours and targets. Business time runs only while open; with no "
    "hours at all it runs around the clock (closed days excepted).",
)
class SupportSettingsType:
    time_zone: str = strawberry.field(description="The IANA zone the hours are in.")
    hours: list[BusinessHoursType]
    holidays: list[HolidayType]
    targets: list[TargetType] = strawberry.field(
        description="One per priority that has one, the most pressing first; a priority "
        "without one is never due."
    )

    @classmethod
    def build(cls, found: setup.SupportSettings) -> SupportSettingsType:
        return cls(
            time_zone=found.timezone,
            hours=[BusinessHoursType.build(row) for row in found.hours],
            holidays=[HolidayType.build(row) for row in found.holidays],
            targets=[TargetType.build(row) for row in found.targets],
        )


@strawberry.input(description="One open span of one weekday.")
class BusinessHoursInput:
    weekday: WeekdayEnum  # type: ignore[valid-type]
    opens: str = strawberry.field(description='"HH:MM", local time.')
    closes: str = strawberry.field(description='"HH:MM", after `opens`; "24:00" for midnight.')


@strawberry.input(name="SupportHolidayInput", description="A day without service.")
class HolidayInput:
    date: date
    name: str = ""


@strawberry.input
class SetSupportScheduleInput:
    time_zone: str = strawberry.field(description="An IANA name: Europe/Berlin, Asia/Shanghai.")
    hours: list[BusinessHoursInput] = strawberry.field(
        description="Open spans, several a day allowed, none overlapping; none at all: "
        "open around the clock."
    )
    holidays: list[HolidayInput] = strawberry.field(
        default_factory=list, description="Local dates closed all day."
    )


@strawberry.input(description="The targets of one priority, in minutes of business time.")
class ServiceLevelTargetInput:
    priority: ConversationPriorityEnum  # type: ignore[valid-type]
    first_response_minutes: int = strawberry.field(description="1 to 525600 (365 days).")
    resolution_minutes: int = strawberry.field(
        description="From the first response's target to 525600."
    )


@strawberry.input
class SetServiceLevelTargetsInput:
    targets: list[ServiceLevelTargetInput] = strawberry.field(
        description="The whole set: a priority left out has no target."
    )


@strawberry.type(description="The settings after a change, or why it was refused.")
class SupportSettingsPayload:
    settings: SupportSettingsType | None = None
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)
