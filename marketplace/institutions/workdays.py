"""Working days (Monday to Friday, Asia/Jakarta dates) for service standards. National holidays are not counted out:
the standard reads a little generous around them."""

from datetime import date, datetime, timedelta

from marketplace.timeutil import JAKARTA


def local_date(moment: datetime | date) -> date:
    return moment.astimezone(JAKARTA).date() if isinstance(moment, datetime) else moment


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
    return count
