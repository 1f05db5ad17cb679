"""A value from the shared cache, or computed and stored there: for caches whose keys carry a generation that every
change they could show bumps (catalog/visibility.py, staples/generation.py), so no entry is ever stale, and for
figures kept a few minutes (reports/cache.py). A cache that is down or full costs only speed: the value is
computed, and a warning logged."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from marketplace.extensions import cache


def cached_or_computed(name: str, compute: Callable, what: str, timeout: int | None = None):
    """cache[name], or compute() stored under name (for timeout seconds; None: the cache's default); `what` names
    the cache in the warning when it is away."""
    try:
        value = cache.get(name)
    except Exception:
        current_app.logger.warning("%s cache unavailable", what, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(name, value, timeout=timeout)
        except Exception:
            current_app.logger.warning("%s cache unavailable", what, exc_info=True)
    return value
