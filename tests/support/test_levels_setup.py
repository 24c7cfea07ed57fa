"""Setting up service levels through the API: service hours in a time zone with closed
days, targets per priority, each refused whole with typed errors when anything is wrong,
read by support staff, changed only by staff who keep the settings."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from models.accounts import Role
from models.support import (
    BusinessHours,
    ConversationPriority,
    ServiceLevelTarget,
    SupportHoliday,
    SupportSchedule,
)
from services.support import levels, setup
from services.support.setup import Hours, Target, Weekday
from tests.factories import make_user

ERRORS = "errors { field code message }"
SETTINGS = (
    "timeZone hours { weekday opens closes } holidays { date name } "
    "targets { priority firstResponseMinutes resolutionMinutes }"
)
READ = f"{{ supportSettings {{ {SETTINGS} }} }}"
SET_SCHEDULE = f"""mutation($input: SetSupportScheduleInput!) {{
  setSupportSchedule(input: $input) {{ settings {{ {SETTINGS} }} {ERRORS} }}
}}"""
SET_TARGETS = f"""mutation($input: SetServiceLevelTargetsInput!) {{
  setServiceLevelTargets(input: $input) {{ settings {{ {SETTINGS} }} {ERRORS} }}
}}"""

WEEKDAYS = [
    {"weekday": day, "opens": "09:00", "closes": "12:00"}
    for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
] + [{"weekday": "MONDAY", "opens": "13:00", "closes": "18:00"}]


def codes(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


async def test_a_shop_without_settings_reads_as_open_around_the_clock_in_utc(client):
    read = (await client.staff(READ))["supportSettings"]
    assert read == {"timeZone": "UTC", "hours": [], "holidays": [], "targets": []}


async def test_settings_staff_set_hours_with_a_lunch_break_and_closed_days(client):
    payload = (
        await client.staff(
            SET_SCHEDULE,
            {
                "input": {
                    "timeZone": "Asia/Shanghai",
                    "hours": WEEKDAYS,
                    "holidays": [{"date": "2027-02-17", "name": " Spring Festival "}],
                }
            },
        )
    )["setSupportSchedule"]
    assert payload["errors"] == []
    settings = payload["settings"]
    assert settings["timeZone"] == "Asia/Shanghai"
    assert settings["hours"][:2] == [
        {"weekday": "MONDAY", "opens": "09:00", "closes": "12:00"},
        {"weekday": "MONDAY", "opens": "13:00", "closes": "18:00"},
    ]
    assert len(settings["hours"]) == 6
    assert settings["holidays"] == [{"date": "2027-02-17", "name": "Spring Festival"}]
    schedule = await levels.load_schedule()
    assert schedule.zone.key == "Asia/Shanghai" and date(2027, 2, 17) in schedule.holidays

    # A second change replaces the whole set.
    again = (
        await client.staff(
            SET_SCHEDULE,
            {
                "input": {
                    "timeZone": "Europe/Berlin",
                    "hours": [{"weekday": "SUNDAY", "opens": "22:00", "closes": "24:00"}],
                }
            },
        )
    )["setSupportSchedule"]["settings"]
    assert again["hours"] == [{"weekday": "SUNDAY", "opens": "22:00", "closes": "24:00"}]
    assert again["holidays"] == []
    assert await SupportSchedule.all().count() == 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"timeZone": "Mars/Olympus"}, [("INVALID", ["timeZone"])]),
        ({"timeZone": "../../etc/passwd"}, [("INVALID", ["timeZone"])]),
        ({"timeZone": "Europe/" + "B" * 80}, [("INVALID", ["timeZone"])]),
        (
            {"hours": [{"weekday": "MONDAY", "opens": "10:00", "closes": "10:00"}]},
            [("INVALID", ["hours", "0", "closes"])],
        ),
        (
            {"hours": [{"weekday": "MONDAY", "opens": "9:00", "closes": "25:00"}]},
            [("INVALID", ["hours", "0", "opens"]), ("INVALID", ["hours", "0", "closes"])],
        ),
        (
            {
                "hours": [
                    {"weekday": "MONDAY", "opens": "09:00", "closes": "13:00"},
                    {"weekday": "TUESDAY", "opens": "09:00", "closes": "13:00"},
                    {"weekday": "MONDAY", "opens": "12:00", "closes": "18:00"},
                ]
            },
            [("INVALID", ["hours", "2"])],
        ),
        (
            {"holidays": [{"date": "2027-01-01"}, {"date": "2027-01-01"}]},
            [("INVALID", ["holidays", "1", "date"])],
        ),
        (
            {"holidays": [{"date": "2027-01-01", "name": "x" * 81}]},
            [("TOO_LONG", ["holidays", "0", "name"])],
        ),
    ],
)
async def test_a_bad_schedule_is_refused_whole_and_changes_nothing(client, given, expected):
    await setup.set_schedule("Europe/Paris", [Hours(Weekday.FRIDAY, "08:00", "16:00")])
    body = {"timeZone": "Europe/Berlin", "hours": [], **given}
    payload = (await client.staff(SET_SCHEDULE, {"input": body}))["setSupportSchedule"]
    assert payload["settings"] is None
    assert codes(payload) == expected
    assert (await SupportSchedule.get()).timezone == "Europe/Paris"
    assert await BusinessHours.all().count() == 1
    assert await SupportHoliday.all().count() == 0


async def test_targets_are_set_per_priority_and_replace_the_last_set(client):
    first = [
        {"priority": "URGENT", "firstResponseMinutes": 15, "resolutionMinutes": 240},
        {"priority": "NORMAL", "firstResponseMinutes": 120, "resolutionMinutes": 2880},
    ]
    payload = await client.staff(SET_TARGETS, {"input": {"targets": first}})
    targets = payload["setServiceLevelTargets"]["settings"]["targets"]
    assert [t["priority"] for t in targets] == ["URGENT", "NORMAL"]
    second = [{"priority": "HIGH", "firstResponseMinutes": 30, "resolutionMinutes": 30}]
    payload = await client.staff(SET_TARGETS, {"input": {"targets": second}})
    assert payload["setServiceLevelTargets"]["settings"]["targets"] == second
    assert await ServiceLevelTarget.all().count() == 1


@pytest.mark.parametrize(
    ("target", "field"),
    [
        ({"firstResponseMinutes": -5}, "firstResponseMinutes"),
        ({"firstResponseMinutes": 0}, "firstResponseMinutes"),
        ({"resolutionMinutes": 365 * 24 * 60 + 1}, "resolutionMinutes"),
        ({"firstResponseMinutes": 120, "resolutionMinutes": 60}, "resolutionMinutes"),
    ],
)
async def test_bad_targets_are_refused_and_change_nothing(client, target, field):
    await setup.set_targets([Target(ConversationPriority.LOW, 60, 600)])
    given = {"priority": "NORMAL", "firstResponseMinutes": 60, "resolutionMinutes": 600, **target}
    payload = await client.staff(SET_TARGETS, {"input": {"targets": [given]}})
    assert codes(payload["setServiceLevelTargets"]) == [("INVALID", ["targets", "0", field])]
    assert [t.priority for t in await ServiceLevelTarget.all()] == [ConversationPriority.LOW]


async def test_a_priority_listed_twice_is_refused(client):
    row = {"priority": "HIGH", "firstResponseMinutes": 5, "resolutionMinutes": 50}
    payload = await client.staff(SET_TARGETS, {"input": {"targets": [row, row]}})
    assert codes(payload["setServiceLevelTargets"]) == [("INVALID", ["targets", "1", "priority"])]


async def test_support_staff_read_the_settings_and_only_settings_staff_change_them(client):
    support = await make_user(role=Role.STAFF, permissions=("support",))
    keeper = await make_user(role=Role.STAFF, permissions=("settings",))
    shopper = await make_user()
    assert (await client.query(READ, user=support))["supportSettings"]["timeZone"] == "UTC"
    assert (await client.query(READ, user=keeper))["supportSettings"]["timeZone"] == "UTC"
    refused = await client.request(READ, user=shopper)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await client.request(READ))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    schedule = {"input": {"timeZone": "UTC", "hours": []}}
    for user in (support, shopper):
        body = await client.request(SET_SCHEDULE, schedule, user=user)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    targets: dict[str, dict[str, list[object]]] = {"input": {"targets": []}}
    body = await client.request(SET_TARGETS, targets, user=support)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await client.query(SET_SCHEDULE, schedule, user=keeper))["setSupportSchedule"][
        "errors"
    ] == []


async def test_two_schedules_set_at_once_leave_one_whole_set(db):
    berlin = [Hours(Weekday.MONDAY, "09:00", "17:00"), Hours(Weekday.TUESDAY, "09:00", "17:00")]
    shanghai = [Hours(Weekday(d), "08:00", "20:00") for d in range(5)]
    await asyncio.gather(
        setup.set_schedule("Europe/Berlin", berlin),
        setup.set_schedule("Asia/Shanghai", shanghai),
    )
    row = await SupportSchedule.get()
    count = await BusinessHours.filter(schedule_id=row.id).count()
    assert (row.timezone, count) in {("Europe/Berlin", 2), ("Asia/Shanghai", 5)}
    assert await SupportSchedule.all().count() == 1
