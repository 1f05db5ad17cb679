"""Computed figures kept for a few minutes (REPORTS_CACHE_SECONDS, default 600; 0 turns it off): a dashboard's
grouped queries over a year of a region's inquiries cost a few hundred milliseconds on a busy machine, and figures
of whole months need not be fresher than that. Kept in the site's cache (Redis in production, shared by the
workers), by what they depend on: the report, the period, the language and the region's service standard. A cache
that is down costs only speed (marketplace/caching.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from flask_babel import get_locale

from marketplace.caching import cached_or_computed

T = TypeVar("T")
DEFAULT_SECONDS = 600


def cached(name: str, compute: Callable[[], T]) -> T:
    seconds = current_app.config.get("REPORTS_CACHE_SECONDS", DEFAULT_SECONDS)
    if not seconds:
        return compute()
    return cached_or_computed(f"reports:{name}:{get_locale()}", compute, "reports", timeout=seconds)
