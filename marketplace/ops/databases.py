"""Dumping and loading the whole database: SQLite through its online backup API, PostgreSQL through
pg_dump / pg_restore (ops/postgres.py). Also the schema revisions, for the manifest and check-config."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import URL, Engine

from marketplace.ops import postgres
from marketplace.ops.archive import BackupError

# Backup and restore wait at most this many seconds for a lock held by another connection (a worker of the running
# app, a forgotten psql); then they fail and nothing has changed, instead of hanging.
LOCK_TIMEOUT = 30


def dump(engine: Engine, target: Path) -> str | None:
    """Write a consistent copy of the database to target; returns its Alembic revision."""
    if engine.dialect.name == "sqlite":
        return _sqlite_dump(sqlite_path(engine.url), target)
    if engine.dialect.name == "postgresql":
        revision = current_revision(engine)
        postgres.dump(engine.url, target, LOCK_TIMEOUT)
        return revision
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine.dialect.name}")


def load(engine: Engine, source: Path) -> None:
    """Replace the database's contents with the dump in source (the engine must have no connection in use)."""
    if engine.dialect.name == "sqlite":
        _sqlite_load(source, sqlite_path(engine.url))
    elif engine.dialect.name == "postgresql":
        postgres.restore(engine, source, LOCK_TIMEOUT)
    else:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {engine.dialect.name}")


# --- SQLite ------------------------------------------------------------------------------------

def sqlite_path(url: URL) -> Path:
    """The database file of a SQLite URL (Flask-SQLAlchemy has made it absolute)."""
    database = url.database
    if not database or database == ":memory:" or url.query.get("mode") == "memory" or database.startswith("file:"):
        raise BackupError(f"cannot back up the SQLite database {url}: only a plain database file is supported")
    return Path(database)


def _sqlite_dump(path: Path, target: Path) -> str | None:
    if not path.is_file():
        raise BackupError(f"the database file {path} does not exist")
    # The backup API copies a consistent snapshot even while the app writes: it restarts if a page changes.
    with closing(sqlite3.connect(path, timeout=LOCK_TIMEOUT)) as source, closing(sqlite3.connect(target)) as copy:
        _sqlite_backup(source, copy, f"cannot read {path}")
        return _sqlite_revision(copy)


class _Locked(Exception):
    pass


def _sqlite_backup(source: sqlite3.Connection, target: sqlite3.Connection, failure: str) -> None:
    """source.backup(target), giving up after LOCK_TIMEOUT seconds of being locked out: CPython's backup() itself
    retries a busy database for ever."""
    deadline = time.monotonic() + LOCK_TIMEOUT

    def give_up_when_locked_too_long(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Locked

    try:
        source.backup(target, progress=give_up_when_locked_too_long)
    except (_Locked, sqlite3.OperationalError) as error:
        reason = str(error) or f"the database stayed locked for {LOCK_TIMEOUT} s"
        raise BackupError(f"{failure}: {reason} (is another process holding it? stop the app and retry)") from None


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _sqlite_load(source: Path, path: Path) -> None:
    with closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as dump:
        try:
            healthy = dump.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            healthy = False
        if not healthy:
            raise BackupError("the database in the archive is not a healthy SQLite database")
        path.parent.mkdir(parents=True, exist_ok=True)
        # The backup API in reverse: the live file's pages are replaced under SQLite's own locking, so other
        # processes see either the old or the new database, never a half-copied file.
        with closing(sqlite3.connect(path, timeout=LOCK_TIMEOUT)) as live:
            _sqlite_backup(dump, live, f"cannot write {path}")


# --- schema revisions --------------------------------------------------------------------------

def current_revision(engine: Engine) -> str | None:
    """The database's Alembic revision (None before the first migration)."""
    heads = current_heads(engine)
    return heads[0] if len(heads) == 1 else ",".join(heads) or None


def current_heads(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as conn:
        return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def code_heads(app: Flask) -> tuple[str, ...]:
    """The head revisions of the migrations shipped with this code."""
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))
