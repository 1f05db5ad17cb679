"""One page of a list that staff pages through: the rows and the total come from one query (`count() OVER ()`),
so a page costs one round trip whatever it shows. A leaf: it imports no feature."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func

PER_PAGE = 25
MAX_PAGE = 10_000


@dataclass
class Page:
    """The rows of page `number` (rows of the select, or their first entity) and how many match in all."""

    number: int
    per_page: int
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def total_column():
    """A column that counts every row the query matches, before its LIMIT: the total of a page in the same query."""
    return func.count().over().label("total")


def clamp_page(number: int | None) -> int:
    """A page number from a request: at least 1, at most MAX_PAGE (no OFFSET of billions)."""
    return max(1, min(number or 1, MAX_PAGE))
