"""Background work through a Huey queue: renditions beyond the first, mail, and the nightly clean-up.

Each app gets its own queue from JOBS_URL: `sqlite:///<file>` (development: no server needed), `redis://...`
(production), `immediate` (tests: a job runs inline when it is queued) or `memory` (tests that look at a job
before it runs). `flask --app wsgi jobs` runs the worker; `make run` starts one beside the site.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage


class Jobs:
    """The app's queue and its tasks. Call a task to queue it: `jobs().render_photo(photo_id)`."""

    def __init__(self, app: Flask, url: str):
        self.app, self.url = app, url
        self.huey = _huey(url)
        self.render_photo = self._task(_render_photo, retries=3, retry_delay=30)
        self.send_mail = self._task(_send_mail, retries=5, retry_delay=120)
        self.prune_uploads = self.huey.periodic_task(crontab(minute="17", hour="3"), name="prune_uploads")(
            self._in_app(_prune_uploads))

    def _task(self, function: Callable, **options):
        return self.huey.task(name=function.__name__.lstrip("_"), **options)(self._in_app(function))

    def _in_app(self, function: Callable) -> Callable:
        """Run the job inside this app (inline in immediate mode, a worker thread's own context otherwise)."""
        @functools.wraps(function)
        def run(*args, **kwargs):
            if has_app_context() and current_app._get_current_object() is self.app:
                return function(*args, **kwargs)
            with self.app.app_context():
                return function(*args, **kwargs)
        return run

    def run_pending(self) -> int:
        """Run every queued job now, in this process (tests, and `flask jobs --drain`); returns how many ran."""
        count = 0
        while (task := self.huey.dequeue()) is not None:
            self.huey.execute(task)
            count += 1
        return count

    def pending(self) -> int:
        return self.huey.pending_count()


def _huey(url: str) -> Huey:
    if url == "immediate":
        return Huey("etalase", results=False, immediate=True)
    if url == "memory":
        return Huey("etalase", results=False, storage_class=MemoryStorage)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return Huey("etalase", results=False, storage_class=RedisStorage, url=url)
    if url.startswith("sqlite:///"):
        filename = Path(url.removeprefix("sqlite:///"))
        filename.parent.mkdir(parents=True, exist_ok=True)
        return Huey("etalase", results=False, storage_class=SqliteStorage, filename=str(filename))
    raise RuntimeError(f"JOBS_URL must be sqlite:///<file>, redis://..., immediate or memory, not {url!r}")


def init_app(app: Flask) -> None:
    url = app.config.get("JOBS_URL") or f"sqlite:///{Path(app.instance_path) / 'jobs.sqlite3'}"
    app.config["JOBS_URL"] = url
    app.extensions["jobs"] = Jobs(app, url)


def jobs() -> Jobs:
    """The current app's queue."""
    return current_app.extensions["jobs"]


# --- the jobs: thin, the work lives with its feature ------------------------------------------------------

def _render_photo(photo_id: int) -> None:
    from marketplace.media.services import finish_photo

    finish_photo(photo_id)


def _send_mail(to: str, subject: str, body: str) -> None:
    from marketplace.mail import deliver_mail

    deliver_mail(to, subject, body)


def _prune_uploads() -> None:
    from datetime import timedelta

    from marketplace.media.services import prune_orphan_files, prune_staged

    age = timedelta(hours=current_app.config["PRUNE_UPLOADS_AFTER_HOURS"])
    current_app.logger.info("pruned %d abandoned uploads and %d files without a row", prune_staged(age), prune_orphan_files(age))
