"""Rendered parts of buyer pages, cached under the catalogue generation (catalog/visibility.py).

A part is what every reader sees alike in one language on one day for the same query: never the layout around it
(the menu, the flashed messages, a form with its CSRF token), so a part cached for one reader is right for any
other, logged in or not. The generation is read from the database on every request and bumped in the same
transaction as any change a part could show (a product, its business, category, certificate, attribute or photo),
so a part is never stale and every app server sharing the cache sees the change with its next request. A cache
that is down or full costs only speed."""

from __future__ import annotations

import hashlib

from flask import current_app

from marketplace.caching import cached_or_computed
from marketplace.catalog.models import CatalogueState
from marketplace.extensions import db

# In every key: raise it when a part's shape changes (its names, what the views read from it), so that a release
# never reads an entry that the release before it cached under the same generation in a shared cache.
SHAPE = 2


def generation() -> int:
    """The catalogue's current generation (0 before the first change)."""
    return db.session.scalar(db.select(CatalogueState.generation).where(CatalogueState.id == 1)) or 0


def cached_part(key: tuple, compute):
    """compute() (a picklable value: rendered HTML and what the page around it needs) from the cache under the
    current generation, or computed and stored there. CATALOGUE_PAGE_CACHE=False always computes."""
    if not current_app.config.get("CATALOGUE_PAGE_CACHE", True):
        return compute()
    name = "part:" + hashlib.sha256(repr((SHAPE, generation(), *key)).encode()).hexdigest()
    return cached_or_computed(name, compute, "catalogue page")
