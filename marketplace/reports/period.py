"""The period a report covers: whole months in Asia/Jakarta, from `from` to `to` (both YYYY-MM, both included)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from marketplace.timeutil import JAKARTA, today

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DEFAULT_MONTHS = 12


def _month(text: str | None) -> date | None:
    match = MONTH.match(text or "")
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _months_back(first: date, count: int) -> date:
    index = first.year * 12 + first.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """[first day of the first month, first day after the last month): local dates and their UTC instants."""

    start: date
    end: date  # exclusive

    @classmethod
    def from_args(cls, args, on: date | None = None) -> Period:
        """The months asked for (`from`, `to`); a missing or malformed one falls back to the last 12 months to this
        one; a reversed pair is put in order."""
        current = (on or today()).replace(day=1)
        last = _month(args.get("to")) or current
        first = _month(args.get("from")) or _months_back(last, DEFAULT_MONTHS - 1)
        if first > last:
            first, last = last, first
        return cls(first, _next_month(last))

    @property
    def start_utc(self) -> datetime:
        return datetime(self.start.year, self.start.month, 1, tzinfo=JAKARTA).astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return datetime(self.end.year, self.end.month, 1, tzinfo=JAKARTA).astimezone(UTC)

    @property
    def first_month(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def last_month(self) -> str:
        return _months_back(self.end, 1).strftime("%Y-%m")

    def args(self) -> dict[str, str]:
        return {"from": self.first_month, "to": self.last_month}

    def contains(self, column):
        """A SQL condition: the UTC timestamp column falls in the period."""
        return (column >= self.start_utc) & (column < self.end_utc)

    def contains_month(self, column):
        """A SQL condition: the 'YYYY-MM' column (a summary's local month) is one of the period's months."""
        return (column >= self.first_month) & (column <= self.last_month)

    def contains_day(self, column):
        """A SQL condition: the local-date column falls in the period."""
        return (column >= self.start) & (column < self.end)
