"""Full-text search over public products: one interface, a backend per database dialect.

SQLite: FTS5 over text stemmed in Python (PyStemmer's Snowball Indonesian), ranked by bm25 with column weights.
PostgreSQL: tsvectors of the built-in `indonesian` configuration, ranked by ts_rank with labels A-D.
Both drop the same stop words (stopwords-id.txt), and correct unknown query words to the most similar indexed
term by pg_trgm's trigram similarity (pg_trgm itself on PostgreSQL, the same measure in Python on SQLite).

Importing this package registers the session listeners that keep the index in sync (see sync.py).
"""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import CTE, FromClause, Select

from marketplace.catalog.search import index, sync
from marketplace.catalog.search.text import is_correctable, query_terms
from marketplace.extensions import db
from marketplace.unit_of_work import transactional

sync.listen()

# match()'s rank: lower is better on both backends (bm25 is negative; PostgreSQL's is minus ts_rank).
RANK_ORDER = "asc"


def normalise_query(q: str | None) -> list[str]:
    """The terms actually searched for q: stemmed, stop words dropped, unknown words typo-corrected."""
    terms = query_terms(q)
    if not terms:
        return []
    # the catalogue asks for the terms and then for match() (ranked and not): look the vocabulary up once
    memo: dict[tuple[str, ...], list[str]] = db.session.info.setdefault(sync.TERMS_MEMO, {})
    key = tuple(terms)
    if key not in memo:
        memo[key] = _correct(terms)
    return list(memo[key])


def _correct(terms: list[str]) -> list[str]:
    conn = db.session.connection()
    backend = index.backend_for(conn)
    known = backend.known_terms(conn, terms)
    searched: list[str] = []
    for term in terms:
        if term not in known and is_correctable(term):
            # An unknown word with no close match stays, so the search finds nothing rather than everything.
            term = backend.closest_term(conn, term) or term
        if term not in searched:
            searched.append(term)
    return searched


def match(q: str | None, ranked: bool = True, document: bool = False) -> CTE | None:
    """A CTE with columns (product_id, rank) of public products matching every term of q, or None when q has
    no searchable words. Lower rank = better: `.order_by(m.c.rank, Product.id)`. For counts and facets pass
    ranked=False: same rows, rank 0, no ranking cost. document=True adds a column `document` that rank() needs."""
    terms = normalise_query(q)
    if not terms:
        return None
    return index.backend_for(db.session.connection()).match(terms, ranked, document)


def rank(q: str, candidates: FromClause) -> Select:
    """(product_id, rank) of candidates, some of q's matches with columns id and document (as match(ranked=False,
    document=True) gives them), ranked as match() ranks: for ranking a few matches of a search with very many
    (catalog/browse.py) without ranking every match."""
    return index.backend_for(db.session.connection()).rank(normalise_query(q), candidates)


def rebuild() -> int:
    """Reindex every public product from scratch, in the current transaction; returns how many are indexed."""
    return index.rebuild_all(db.session.connection())


@click.command("search-rebuild")
@transactional
def rebuild_command() -> None:
    """Rebuild the search index of public products (after restoring a database, or upgrading to search)."""
    click.echo(f"Indexed {rebuild()} public products")


def register_cli(app: Flask) -> None:
    """Add `flask search-rebuild` to app."""
    app.cli.add_command(rebuild_command)
