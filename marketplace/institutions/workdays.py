"""Working days for service standards: Monday to Friday (Asia/Jakarta dates) that are neither a national holiday nor a
cuti bersama (joint leave day). The dates come from the pinned `holidays` package (Indonesia, categories public and
government: the SKB of the ministers that fixes the year's holidays and cuti bersama); a new release of it brings a
new year's decree, so upgrading the pin is how next year's dates arrive."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from marketplace.timeutil import JAKARTA

CATEGORIES = ("public", "government")  # national holidays, cuti bersama (holidays.PUBLIC, holidays.GOVERNMENT)


def local_date(moment: datetime | date) -> date:
    return moment.astimezone(JAKARTA).date() if isinstance(moment, datetime) else moment


@lru_cache(maxsize=16)
def _days_off(year: int) -> frozenset[date]:
    """The holidays and cuti bersama of one year that fall on a weekday (weekends are off anyway)."""
    import holidays  # imported when first needed, not by every worker (docs/PERFORMANCE.md, memory)

    return frozenset(day for day in holidays.Indonesia(years=year, categories=CATEGORIES) if day.weekday() < 5)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def working_days_between(start: datetime | date, end: datetime | date) -> int:
    """Working days after start up to and including end (0 on the same day)."""
    first, last = local_date(start), local_date(end)
    if last <= first:
        return 0
    whole_weeks, rest = divmod((last - first).days, 7)
    count = whole_weeks * 5
    for offset in range(1, rest + 1):
        if (first + timedelta(days=whole_weeks * 7 + offset)).weekday() < 5:
            count += 1
    for year in range(first.year, last.year + 1):
        count -= sum(1 for day in _days_off(year) if first < day <= last)
    return count


def add_working_days(start: datetime | date, days: int) -> date:
    """The date on which `days` working days after start have passed: the service standard's due date."""
    day, left = local_date(start), days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
