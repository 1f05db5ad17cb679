"""Counts kept up to date by the services (summary tables), a leaf every feature may call: race-safe additions
(INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n, on SQLite and PostgreSQL), the local month and week of an
instant, and the fixed buckets of an elapsed time, in Python (when a service counts one event) and in SQL (when a
rebuild counts them all from the source rows), so both put an event in the same row. It imports no feature.

Elapsed times are counted in buckets named by their upper bound in whole minutes: to the minute up to an hour, to
15 minutes up to a day, to the hour up to 60 days (the longest service standard a region may set, so "within the
standard" is exact), to the day beyond. A percentile read from the buckets is the upper bound of the bucket that
holds the value of its nearest rank: exact when the value is on a bucket's bound, otherwise at most 15 minutes
(under a day) or an hour (under 60 days) above it."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, case, cast, event, func, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from marketplace.extensions import db
from marketplace.timeutil import JAKARTA

UNKNOWN = ""  # a region that is not known, in a summary's key (a key column is never NULL)
STEPS = ((60, 1), (24 * 60, 15), (60 * 24 * 60, 60), (None, 24 * 60))  # (up to minutes, step in minutes)


def _postgres(session: Session | None = None) -> bool:
    return (session or db.session).get_bind().dialect.name == "postgresql"


def add(model, keys: dict, **counts: int) -> None:
    """Add counts to the row of model with keys (the primary key), creating it: one statement, safe against another
    transaction adding to the same row at the same time (it waits for the other's row lock, then adds)."""
    _add(db.session(), model, keys, counts)


def add_at_commit(model, keys: dict, **counts: int) -> None:
    """As add(), run as the transaction commits (nothing if it rolls back). For a counter that every request of a
    public page adds to (the views of a showcase or an event): its row stays locked from the addition to the commit,
    so added first it made every other request of that page wait while the page rendered (a showcase page served
    79 requests a second at 8 connections, a fifth of a page without it); added last it is locked for the commit
    only."""
    db.session.info.setdefault(_AT_COMMIT, []).append((model, keys, counts))


_AT_COMMIT = "counting.at_commit"


def _add(session: Session, model, keys: dict, counts: dict) -> None:
    insert = postgresql_insert if _postgres(session) else sqlite_insert
    stmt = insert(model).values(**keys, **counts)
    session.execute(stmt.on_conflict_do_update(
        index_elements=list(keys), set_={name: getattr(model, name) + stmt.excluded[name] for name in counts}))


@event.listens_for(Session, "before_commit")
def _add_at_commit(session: Session) -> None:
    pending = session.info.pop(_AT_COMMIT, [])
    if pending:
        session.flush()  # the commit flushes after this hook: what it would write must be known now
    if pending and not session.info.pop(_WROTE, False) and _postgres(session):
        # a transaction that only counts a view: its commit need not wait for the WAL to reach the disk (a few ms on
        # every view, with the row locked meanwhile). A crash of the database server may lose the last fraction of
        # a second of such counts, never anything else: a transaction that wrote anything more commits as usual.
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    for model, keys, counts in pending:
        _add(session, model, keys, counts)


_WROTE = "counting.wrote"


@event.listens_for(Session, "do_orm_execute")
def _note_a_write(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_flush")
def _note_a_flush(session: Session, _context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _forget_the_writes(session: Session) -> None:
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_at_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop(_AT_COMMIT, None)
    session.info.pop(_WROTE, None)


def local_month(moment: datetime) -> str:
    """'YYYY-MM' of a UTC instant in Asia/Jakarta (as reports/sql.py's local_month in SQL)."""
    return moment.astimezone(JAKARTA).strftime("%Y-%m")


def local_week(moment: datetime) -> str:
    """The Monday ('YYYY-MM-DD') of the Jakarta week of a UTC instant (as reports/sql.py's local_week in SQL)."""
    day: date = moment.astimezone(JAKARTA).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def bucket(later: datetime, earlier: datetime) -> int:
    """The bucket (its upper bound in minutes) of the time from earlier to later, counted in whole seconds."""
    minutes = (math.floor((later - earlier).total_seconds() + 0.5) + 59) // 60  # half a second up, as SQL's round
    for bound, step in STEPS:
        if bound is None or minutes <= bound:
            return (minutes + step - 1) // step * step
    raise AssertionError  # the last step has no bound


def bucket_sql(later, earlier):
    """The same bucket as a SQL expression of two timestamp columns (integer arithmetic on whole seconds, so a time
    of exactly two hours is never 7200.0000001 seconds)."""
    if _postgres():
        seconds = cast(func.round(func.extract("epoch", later - earlier)), Integer)
    else:
        seconds = cast(func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0), Integer)
    minutes = (seconds + 59) // 60
    whens = [(minutes <= bound, (minutes + step - 1) // step * step) for bound, step in STEPS if bound is not None]
    last = STEPS[-1][1]
    return case(*whens, else_=(minutes + last - 1) // last * last)
