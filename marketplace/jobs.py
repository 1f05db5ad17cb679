"""Background work through a Huey queue: a leaf that features hand their jobs to, importing none of them.

A feature declares a job where its work lives: `@job(retries=3, retry_delay=30)` or `@periodic(crontab(...))`
on a plain function; `jobs().<name>(args)` queues it. Queue a job with `after_commit(jobs().render_photo, id)`
(unit_of_work.py), so that nothing is queued for a change that did not happen. Each job runs inside the app and
as one unit of work.

Each app gets its own queue from JOBS_URL: `sqlite:///<file>` (development: no server needed), `redis://...`
(production), `immediate` (tests: a job runs inline when it is queued) or `memory` (tests that look at a job
before it runs). `flask --app wsgi jobs` runs the worker; `make run` starts one beside the site.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from marketplace.unit_of_work import unit_of_work

log = logging.getLogger(__name__)
SPILL_CHECK_SECONDS = 10

# name -> (function, huey task options); periodic ones have a "schedule" (a crontab)
_REGISTRY: dict[str, tuple[Callable, dict]] = {}


def job(**options) -> Callable:
    """Declare function as a job (Huey task options: retries, retry_delay...), named after the function."""
    def declare(function: Callable) -> Callable:
        _REGISTRY[function.__name__] = (function, options)
        return function
    return declare


def periodic(schedule: crontab) -> Callable:
    """Declare function as a job the worker runs on schedule (e.g. crontab(minute="17", hour="3"))."""
    return job(schedule=schedule)


class Jobs:
    """The app's queue and its tasks. Call a task to queue it: `jobs().render_photo(photo_id)`."""

    def __init__(self, app: Flask, url: str):
        self.app, self.url = app, url
        self.huey = _huey(url, app.config.get("JOBS_SPILL_FILE") or str(Path(app.instance_path) / "jobs-spill.sqlite3"))
        self.tasks = {}
        for name, (function, options) in _REGISTRY.items():
            options = dict(options)
            schedule = options.pop("schedule", None)
            if schedule is not None:
                self.tasks[name] = self.huey.periodic_task(schedule, name=name)(self._in_app(function))
            else:
                self.tasks[name] = self.huey.task(name=name, **options)(self._in_app(function))

    def __getattr__(self, name: str):
        try:
            return self.__dict__["tasks"][name]
        except KeyError:
            raise AttributeError(f"no job named {name!r} (declare it with @job)") from None

    def _in_app(self, function: Callable) -> Callable:
        """Run the job inside this app (inline in immediate mode, a worker thread's own context otherwise), as one
        unit of work."""
        @functools.wraps(function)
        def run(*args, **kwargs):
            if has_app_context() and current_app._get_current_object() is self.app:
                with unit_of_work():
                    return function(*args, **kwargs)
            with self.app.app_context(), unit_of_work():
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


class SpillingRedisStorage(RedisStorage):
    """The Redis queue, with a local spill file for jobs queued while Redis is away: they are written there (SQLite,
    on this server's disk) instead of being lost, and moved to Redis by the next job queued once it answers again, or
    by drain_spill(), which the app calls after a request at most every SPILL_CHECK_SECONDS."""

    def __init__(self, name="huey", spill: str | None = None, **kwargs):
        super().__init__(name, **kwargs)
        if spill:
            Path(spill).parent.mkdir(parents=True, exist_ok=True)
        self.spill = SqliteStorage(name, filename=spill) if spill else None
        self._checked = 0.0
        self._lock = threading.Lock()

    def enqueue(self, data, priority=None):
        try:
            super().enqueue(data, priority)
        except Exception:
            if self.spill is None:
                raise
            log.warning("job queue unavailable: the job is kept in %s until it answers", self.spill.filename,
                        exc_info=True)
            self.spill.enqueue(data, priority)
            return
        self.drain_spill()

    def drain_spill(self) -> int:
        """Move the spilled jobs to Redis (stops at the first failure: they stay); returns how many moved."""
        if self.spill is None or not self._lock.acquire(blocking=False):
            return 0
        moved = 0
        try:
            while (data := self.spill.dequeue()) is not None:
                try:
                    super().enqueue(data)
                except Exception:
                    self.spill.enqueue(data)
                    break
                moved += 1
        finally:
            self._checked = time.monotonic()
            self._lock.release()
        if moved:
            log.warning("job queue back: %d spilled jobs moved to it", moved)
        return moved

    def drain_spill_now_and_then(self) -> None:
        if self.spill is not None and time.monotonic() - self._checked > SPILL_CHECK_SECONDS:
            self._checked = time.monotonic()
            try:
                if self.spill.queue_size():
                    self.drain_spill()
            except Exception:
                log.warning("could not move spilled jobs", exc_info=True)


def _huey(url: str, spill: str | None = None) -> Huey:
    if url == "immediate":
        return Huey("etalase", results=False, immediate=True)
    if url == "memory":
        return Huey("etalase", results=False, storage_class=MemoryStorage)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return Huey("etalase", results=False, storage_class=SpillingRedisStorage, url=url, spill=spill)
    if url.startswith("sqlite:///"):
        filename = Path(url.removeprefix("sqlite:///"))
        filename.parent.mkdir(parents=True, exist_ok=True)
        return Huey("etalase", results=False, storage_class=SqliteStorage, filename=str(filename))
    raise RuntimeError(f"JOBS_URL must be sqlite:///<file>, redis://..., immediate or memory, not {url!r}")


def init_app(app: Flask) -> None:
    """Give app its queue, with every job declared so far (create_app calls this after importing the features)."""
    url = app.config.get("JOBS_URL") or f"sqlite:///{Path(app.instance_path) / 'jobs.sqlite3'}"
    app.config["JOBS_URL"] = url
    app.extensions["jobs"] = queue = Jobs(app, url)
    if isinstance(queue.huey.storage, SpillingRedisStorage):
        @app.teardown_request
        def _move_spilled_jobs(_error=None) -> None:  # jobs queued while Redis was away go to it once it is back
            queue.huey.storage.drain_spill_now_and_then()


def jobs() -> Jobs:
    """The current app's queue."""
    return current_app.extensions["jobs"]
