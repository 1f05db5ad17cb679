"""One unit of work per request, command and job: services flush, this module commits, once, at the edge.

- Every view runs inside a unit of work (`register` wraps them all): what the view's services changed is committed
  together when the view returns, and rolled back whole when it raises. A CLI command that changes data is
  decorated with `@transactional`; every job runs in one (jobs.py).
- `after_commit(callback)` registers work that must happen only once the change is committed: queueing a job,
  sending mail, deleting stored files, bumping caches. It runs after the commit; a rollback drops it.
  `on_rollback(callback)` is its mirror: files stored for rows that a rollback undoes are deleted again.
- A lost race on a versioned row (StaleDataError, at any flush or at the commit) becomes AlreadyDecided, here,
  for every feature (`flush()` does the same for a service that flushes to see it at once).
- Units nest: an inner one joins the outer one, which alone commits.

This is the only module that commits (besides migrations and ops code that must commit on its own, each saying why).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from marketplace.domain import AlreadyDecided
from marketplace.extensions import db

PENDING = "after_commit"  # keys in Session.info
UNDO = "on_rollback"
DEPTH = "unit_of_work_depth"


def after_commit(callback: Callable, *args, **kwargs) -> None:
    """Run callback(*args, **kwargs) once the current transaction commits; never if it rolls back."""
    db.session.info.setdefault(PENDING, []).append(functools.partial(callback, *args, **kwargs))


def on_rollback(callback: Callable, *args, **kwargs) -> None:
    """Run callback(*args, **kwargs) if the current transaction rolls back; never once it commits."""
    db.session.info.setdefault(UNDO, []).append(functools.partial(callback, *args, **kwargs))


@event.listens_for(Session, "after_soft_rollback")
def _undo(session: Session, previous_transaction) -> None:
    """A rollback of the whole transaction (not of a savepoint) drops the work that waited for its commit and runs
    what undoes its side effects."""
    if previous_transaction.parent is None and not previous_transaction.nested:
        session.info.pop(PENDING, None)
        _run(session.info.pop(UNDO, []))


def _run(callbacks: list[Callable]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:
            current_app.logger.exception("work after the transaction ended failed: %r", callback)


def flush() -> None:
    """Flush the session now (a service that must see database errors before it goes on); a lost race on a
    versioned row becomes AlreadyDecided."""
    try:
        db.session.flush()
    except StaleDataError:
        raise AlreadyDecided from None


@contextmanager
def _all_or_nothing() -> Iterator[None]:
    """Roll everything back when the block raises; a lost race on a versioned row becomes AlreadyDecided."""
    try:
        yield
    except StaleDataError:
        rollback()
        raise AlreadyDecided from None
    except BaseException:
        rollback()
        raise


def commit() -> None:
    """Commit the session, then run what waited for the commit (failures there are logged: the change stands)."""
    session = db.session()
    with _all_or_nothing():
        session.commit()
    session.info.pop(UNDO, None)
    _run(session.info.pop(PENDING, []))


def rollback() -> None:
    """Undo everything of the current transaction, with the work that waited for its commit."""
    db.session.rollback()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block changed when it ends; roll all of it back if it raises. Nested units join the outer."""
    info = db.session.info
    if info.get(DEPTH):
        info[DEPTH] += 1
        try:
            yield
        finally:
            info[DEPTH] -= 1
        return
    info[DEPTH] = 1
    try:
        with _all_or_nothing():
            yield
    finally:
        info[DEPTH] = 0
    commit()


def transactional(function: Callable) -> Callable:
    """Run function (a view, a command, a job) as one unit of work."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        with unit_of_work():
            return function(*args, **kwargs)

    return wrapped


def register(app: Flask) -> None:
    """Make every view of app one unit of work (call after the blueprints are registered)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = transactional(view)
