"""PostgreSQL dumps with Debian's postgresql-client: pg_dump to a custom-format file, pg_restore from it.

The connection comes from the SQLAlchemy URL: host, port and user as options, the password only through
PGPASSWORD (never on a command line, where `ps` shows it), SSL settings through their PG* variables.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import URL, Engine, text

from marketplace.ops.archive import BackupError

# URL query arguments that libpq also reads from the environment.
QUERY_ENV = {"host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT",
             "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT"}
POLL_SECONDS = 0.2


def dump(url: URL, target: Path, lock_timeout: int) -> None:
    """pg_dump the whole database into target (custom format, without owners and grants)."""
    command, env = _command("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--no-password",
                                        f"--lock-wait-timeout={lock_timeout}s", f"--file={target}"], url)
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  (fixed program, no shell)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()}")


def restore(engine: Engine, source: Path, lock_timeout: int) -> None:
    """pg_restore source over the database in one transaction: every object of the dump is dropped and recreated,
    or, on any error, nothing changes.

    pg_restore sets lock_timeout to 0 itself, so a connection that keeps a transaction open (a stuck worker, a
    forgotten psql) would make it wait for ever: it is watched, and cancelled after lock_timeout seconds of
    waiting for a lock, which rolls its transaction back."""
    name = f"etalase-restore-{secrets.token_hex(4)}"
    command, env = _command("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                                           "--single-transaction", "--no-password", str(source)], engine.url)
    env["PGAPPNAME"] = name
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)  # noqa: S603  (fixed program, no shell)
        try:
            blockers = _watch(engine, process, name, lock_timeout)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
        errors.seek(0)
        message = errors.read().decode(errors="replace").strip()
    if blockers is not None:
        raise BackupError(f"pg_restore waited more than {lock_timeout} s for a lock held by other connections (server pids "
                          f"{', '.join(map(str, blockers)) or 'unknown'}): stop the app and retry; nothing was restored")
    if process.returncode != 0:
        raise BackupError(f"pg_restore failed ({process.returncode}), nothing was restored: {message}")


def _watch(engine: Engine, process: subprocess.Popen, name: str, lock_timeout: int) -> list[int] | None:
    """Wait for process; cancel its server backend once it has waited lock_timeout seconds for a lock.
    Returns the pids that blocked it if it was cancelled, else None."""
    waiting_since = None
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as monitor:
        while process.poll() is None:
            time.sleep(POLL_SECONDS)
            row = monitor.execute(text("SELECT pid, wait_event_type = 'Lock' FROM pg_stat_activity "
                                       "WHERE application_name = :name"), {"name": name}).first()
            if row is None or not row[1]:
                waiting_since = None
                continue
            waiting_since = waiting_since or time.monotonic()
            if time.monotonic() - waiting_since > lock_timeout:
                blockers = monitor.scalar(text("SELECT pg_blocking_pids(:pid)"), {"pid": row[0]}) or []
                monitor.execute(text("SELECT pg_cancel_backend(:pid)"), {"pid": row[0]})
                process.wait()
                return list(blockers)
    return None


def _command(program: str, args: list[str], url: URL) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that run program against url's database."""
    if not url.database or "=" in url.database or "://" in url.database:
        # pg_dump and pg_restore would read such a --dbname as a connection string
        raise BackupError(f"unsupported PostgreSQL database name {url.database!r}")
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} not found: install Debian's postgresql-client (the server's major version or newer)")
    connection = [f"--host={url.host}"] if url.host else []
    connection += [f"--port={url.port}"] if url.port else []
    connection += [f"--username={url.username}"] if url.username else []
    env = dict(os.environ)
    for key, variable in QUERY_ENV.items():
        value = url.query.get(key)
        if value:
            env[variable] = value if isinstance(value, str) else value[-1]
    if url.password:
        env["PGPASSWORD"] = url.password
    return [executable, *args, *connection, f"--dbname={url.database}"], env
