"""The few SQL expressions that differ between SQLite and PostgreSQL, and percentiles by group with window functions
over a summary's buckets, so every figure is computed by the database (never by loading rows into Python)."""

from __future__ import annotations

from sqlalchemy import Integer, case, cast, func, literal_column, select

from marketplace.extensions import db


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def local_month(column, *, is_date: bool = False):
    """'YYYY-MM' of a UTC timestamp in Asia/Jakarta (or of a local date)."""
    if _postgres():
        return func.to_char(column if is_date else column.op("AT TIME ZONE")(literal_column("'Asia/Jakarta'")), "YYYY-MM")
    return func.strftime("%Y-%m", column) if is_date else func.strftime("%Y-%m", column, "+7 hours")


def local_week(column):
    """The Monday ('YYYY-MM-DD') of the Jakarta week of a UTC timestamp."""
    if _postgres():
        local = column.op("AT TIME ZONE")(literal_column("'Asia/Jakarta'"))
        return func.to_char(func.date_trunc("week", local), "YYYY-MM-DD")
    return func.date(column, "+7 hours", "weekday 0", "-6 days")


def hours_between(later, earlier):
    """Hours from earlier to later (a float)."""
    if _postgres():
        return func.extract("epoch", later - earlier) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def bucket_percentiles(group, minutes, count, *where):
    """Per group, from a summary's buckets of elapsed time (marketplace/counting.py): (group, count, median, p90) in
    minutes, each the upper bound of the bucket that holds the value of the nearest rank (rank ceil(p * n)), in one
    query over the summary's rows (never the source rows)."""
    summed = (select(group.label("g"), minutes.label("b"), func.sum(count).label("c")).where(*where)
              .group_by(group, minutes).subquery())
    running = select(summed.c.g, summed.c.b,
                     func.sum(summed.c.c).over(partition_by=summed.c.g, order_by=summed.c.b).label("cum"),
                     func.sum(summed.c.c).over(partition_by=summed.c.g).label("n")).subquery()
    n, cum = cast(running.c.n, Integer), cast(running.c.cum, Integer)
    return (select(running.c.g, func.max(n), func.min(case((cum >= (n + 1) // 2, running.c.b))),
                   func.min(case((cum >= (9 * n + 9) // 10, running.c.b))))
            .group_by(running.c.g).order_by(running.c.g))
