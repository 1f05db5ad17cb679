"""Writing the index: reindex some products, or all of them, on whichever backend the connection is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from types import ModuleType

from sqlalchemy import Connection

from marketplace.catalog.search import postgres, sqlite
from marketplace.catalog.search.documents import chunks, public_documents, public_ids

BACKENDS = {"sqlite": sqlite, "postgresql": postgres}


def backend_for(conn: Connection) -> ModuleType:
    """The backend module for the connection's dialect."""
    try:
        return BACKENDS[conn.dialect.name]
    except KeyError:
        raise RuntimeError(f"search supports SQLite and PostgreSQL, not {conn.dialect.name}") from None


def reindex(conn: Connection, product_ids: Iterable[int]) -> None:
    """Make the index rows of these products match the catalogue: public ones (re)indexed, others removed."""
    ids = set(product_ids)
    if not ids:
        return
    backend = backend_for(conn)
    old = backend.stored_terms(conn, ids)
    backend.delete(conn, ids)
    new = backend.insert(conn, list(public_documents(conn, ids)))
    deltas = {term: new[term] - old[term] for term in old.keys() | new.keys() if new[term] != old[term]}
    backend.apply_term_deltas(conn, deltas)


def clear(conn: Connection) -> None:
    """Empty the index and its vocabulary (tests start from nothing)."""
    backend_for(conn).clear(conn)


def rebuild_all(conn: Connection) -> int:
    """Empty the index and index every public product; returns how many."""
    backend = backend_for(conn)
    backend.clear(conn, bulk=True)
    counts: Counter[str] = Counter()
    indexed = 0
    memo: dict = {}  # field texts already stemmed (a million products repeat most of them)
    for chunk in chunks(public_ids(conn)):
        docs = list(public_documents(conn, chunk))
        counts.update(backend.insert(conn, docs, memo))
        indexed += len(docs)
    backend.apply_term_deltas(conn, dict(counts))
    backend.optimise(conn)
    return indexed
