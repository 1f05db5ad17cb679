"""Working days of the service standard skip national holidays and cuti bersama (the pinned holidays package)."""

from datetime import UTC, date, datetime

from marketplace.institutions.workdays import add_working_days, is_working_day, working_days_between


def test_idul_fitri_week_2026_is_not_counted():
    # 18-24 March 2026: Nyepi and its cuti bersama, Idul Fitri's cuti bersama (20, 23, 24 March) and the holiday itself
    for day in (18, 19, 20, 23, 24):
        assert not is_working_day(date(2026, 3, day))
    assert is_working_day(date(2026, 3, 17)) and is_working_day(date(2026, 3, 25))
    # Tuesday 17 March to Friday 27 March: eight weekdays, of which only 25, 26 and 27 March are working days
    assert working_days_between(date(2026, 3, 17), date(2026, 3, 27)) == 3
    assert working_days_between(datetime(2026, 3, 17, 2, tzinfo=UTC), datetime(2026, 3, 27, 2, tzinfo=UTC)) == 3


def test_weekend_holidays_are_not_subtracted_twice():
    # Idul Fitri 2026 itself falls on Saturday 21 and Sunday 22 March: a weekend is off once
    assert working_days_between(date(2026, 3, 20), date(2026, 3, 25)) == 1
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 2)) == 1  # 1 January off, 2 January worked


def test_independence_day_and_across_a_year_end():
    assert not is_working_day(date(2026, 8, 17))
    assert working_days_between(date(2026, 8, 14), date(2026, 8, 18)) == 1
    # 24 and 25 December 2026 (cuti bersama and Christmas), 1 January 2027
    assert working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5  # 28-31 December, 4 January


def test_the_service_standard_due_date_skips_the_holiday_week():
    # 21 working days from Monday 16 March 2026: 17 March, then from 25 March on
    assert add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 17)
    assert add_working_days(date(2026, 3, 16), 2) == date(2026, 3, 25)
    due = add_working_days(date(2026, 3, 16), 21)
    assert working_days_between(date(2026, 3, 16), due) == 21
    assert due == date(2026, 4, 22)  # Good Friday 3 April is a holiday too
