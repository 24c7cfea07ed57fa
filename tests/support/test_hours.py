"""Business time by hand: open spans, weekends, lunch breaks, midnight, closed days and the
days the clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.support.hours import (
    Schedule,
    add_business_time,
    business_minutes_between,
    schedule,
)

NINE_TO_FIVE = [(day, 9 * 60, 17 * 60) for day in range(5)]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_friday_evening_plus_two_hours_lands_monday_morning():
    week = schedule("UTC", NINE_TO_FIVE)
    # Friday 4 December 2026, 18:00: closed until Monday 9:00.
    assert add_business_time(utc(2026, 12, 4, 18), 120, week) == utc(2026, 12, 7, 11)
    # Friday 16:00: one hour on Friday, one on Monday.
    assert add_business_time(utc(2026, 12, 4, 16), 120, week) == utc(2026, 12, 7, 10)
    assert business_minutes_between(utc(2026, 12, 4, 16), utc(2026, 12, 7, 10), week) == 120


def test_a_span_ending_exactly_when_the_time_runs_out_ends_there():
    week = schedule("UTC", NINE_TO_FIVE)
    assert add_business_time(utc(2026, 12, 7, 9), 480, week) == utc(2026, 12, 7, 17)


def test_an_empty_schedule_is_open_around_the_clock():
    always = Schedule()
    assert add_business_time(utc(2026, 12, 5, 23, 30), 90, always) == utc(2026, 12, 6, 1)
    assert business_minutes_between(utc(2026, 12, 5), utc(2026, 12, 6), always) == 1440


def test_a_closed_day_of_an_always_open_schedule_is_skipped():
    always = schedule("UTC", holidays=[date(2026, 12, 25)])
    assert add_business_time(utc(2026, 12, 24, 23), 120, always) == utc(2026, 12, 26, 1)
    assert business_minutes_between(utc(2026, 12, 24), utc(2026, 12, 27), always) == 2 * 1440


def test_a_holiday_moves_the_answer_to_the_next_working_day():
    week = schedule("UTC", NINE_TO_FIVE, holidays=[date(2026, 12, 7)])
    assert add_business_time(utc(2026, 12, 4, 16), 120, week) == utc(2026, 12, 8, 10)


def test_spans_meeting_at_midnight_count_as_one_stretch():
    late = schedule("UTC", [(0, 22 * 60, 1440), (1, 0, 2 * 60)])
    # Monday 7 December 23:00 + 2 h: one hour on Monday, one after midnight.
    assert add_business_time(utc(2026, 12, 7, 23), 120, late) == utc(2026, 12, 8, 1)
    assert business_minutes_between(utc(2026, 12, 7, 21), utc(2026, 12, 8, 3), late) == 240


def test_shanghai_hours_with_a_lunch_break():
    # 9:00-12:00 and 13:00-18:00 on weekdays, UTC+8 all year.
    shanghai = schedule(
        "Asia/Shanghai",
        [row for day in range(5) for row in ((day, 540, 720), (day, 780, 1080))],
    )
    # Monday 7 December 11:30 local (03:30 UTC) + 1 h: 30 min before lunch, 30 after.
    assert add_business_time(utc(2026, 12, 7, 3, 30), 60, shanghai) == utc(2026, 12, 7, 5, 30)
    # Friday 17:00 local (09:00 UTC) + 2 h lands Monday 10:00 local (02:00 UTC).
    assert add_business_time(utc(2026, 12, 11, 9), 120, shanghai) == utc(2026, 12, 14, 2)
    # A whole working day is eight hours.
    assert business_minutes_between(utc(2026, 12, 7), utc(2026, 12, 8), shanghai) == 480


def test_berlin_spring_forward_shortens_a_span_that_holds_the_jump():
    # Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST. Open Sundays 01:00-05:00 local,
    # which that day is 00:00-03:00 UTC: three hours, not four.
    sundays = schedule("Europe/Berlin", [(6, 60, 300)])
    assert business_minutes_between(utc(2026, 3, 28), utc(2026, 3, 30), sundays) == 180
    # 200 minutes from its opening: 180 that day, 20 the next Sunday from 01:00 CEST.
    assert add_business_time(utc(2026, 3, 29), 200, sundays) == utc(2026, 4, 4, 23, 20)


def test_berlin_weekday_hours_follow_the_offset_across_the_change():
    week = schedule("Europe/Berlin", NINE_TO_FIVE)
    # Friday 27 March 16:00 CET (15:00 UTC) + 2 h: one hour that day, then Monday 30 March
    # from 09:00 CEST, which is 07:00 UTC.
    assert add_business_time(utc(2026, 3, 27, 15), 120, week) == utc(2026, 3, 30, 8)


def test_berlin_fall_back_lengthens_a_span_that_holds_the_repeat():
    # Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:00-03:00 local lasts 2 hours.
    sundays = schedule("Europe/Berlin", [(6, 120, 180)])
    assert business_minutes_between(utc(2026, 10, 24), utc(2026, 10, 26), sundays) == 120


def test_time_between_runs_backwards_as_a_negative_figure():
    week = schedule("UTC", NINE_TO_FIVE)
    assert business_minutes_between(utc(2026, 12, 7, 10), utc(2026, 12, 4, 16), week) == -120


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError):
        add_business_time(datetime(2026, 12, 7, 9), 10, Schedule())
