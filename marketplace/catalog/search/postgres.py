"""PostgreSQL backend: weighted tsvectors built with the `indonesian` configuration, ts_rank, and pg_trgm over
the vocabulary of indexed lexemes for typo correction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import Connection, bindparam, text

from marketplace.catalog.search.documents import Document, chunks
from marketplace.catalog.search.schema import FIELDS, WEIGHTS
from marketplace.catalog.search.text import SIMILARITY_THRESHOLD, words

# ts_rank takes the weights of labels D, C, B, A in that order; built from code constants only.
_RANK_WEIGHTS = sa.literal_column("'{" + ",".join(str(WEIGHTS[f]) for f in reversed(FIELDS)) + "}'::float4[]")
_table = sa.table("search_product", sa.column("product_id"), sa.column("tsv"))
# PostgreSQL stems each field's words with its own Snowball stemmer (the same one PyStemmer wraps); Python has
# already lower-cased them and dropped stop words, so both backends index the same words.
# The labels follow schema.FIELDS: name A, category B, description C, business D.
_INSERT = text(
    "INSERT INTO search_product (product_id, tsv) VALUES (:id, "
    "setweight(to_tsvector('indonesian', :name), 'A') || setweight(to_tsvector('indonesian', :category), 'B') || "
    "setweight(to_tsvector('indonesian', :description), 'C') || setweight(to_tsvector('indonesian', :business), 'D'))"
)


def _in(sql: str, name: str = "ids") -> sa.TextClause:
    return text(sql).bindparams(bindparam(name, expanding=True))


def stored_terms(conn: Connection, ids: Iterable[int]) -> Counter[str]:
    """How many of these products' indexed documents contain each lexeme (unnest gives each lexeme once)."""
    counts: Counter[str] = Counter()
    sql = _in("SELECT u.lexeme, count(*) FROM search_product AS s, unnest(s.tsv) AS u "
              "WHERE s.product_id IN :ids GROUP BY u.lexeme")
    for chunk in chunks(ids):
        counts.update(dict(conn.execute(sql, {"ids": chunk}).all()))
    return counts


def delete(conn: Connection, ids: Iterable[int]) -> None:
    """Remove these products' documents."""
    for chunk in chunks(ids):
        conn.execute(_in("DELETE FROM search_product WHERE product_id IN :ids"), {"ids": chunk})


def insert(conn: Connection, docs: list[Document], memo: dict | None = None) -> Counter[str]:
    """Index docs; returns how many of them contain each lexeme, as PostgreSQL stemmed them.

    With memo (a dict kept across calls, as rebuild_all does), each distinct field text is stemmed by PostgreSQL
    once and its weighted tsvector reused: a million products repeat names, categories and businesses, and
    to_tsvector per row was most of a rebuild's time. The concatenation is the same tsvector _INSERT builds."""
    if not docs:
        return Counter()
    texts = [{"id": d.product_id, **{f: " ".join(words(getattr(d, f))) for f in FIELDS}} for d in docs]
    if memo is None:
        conn.execute(_INSERT, texts)
        return stored_terms(conn, [d.product_id for d in docs])
    for field, label in zip(FIELDS, "ABCD", strict=True):
        new = sorted({row[field] for row in texts if (field, row[field]) not in memo})
        if new:
            rows = conn.execute(_WEIGHTED, {"texts": new, "label": label})
            memo.update(((field, t), (vector, frozenset(lexemes or ()))) for t, vector, lexemes in rows)
    counts: Counter[str] = Counter()
    rows = []
    for row in texts:
        parts = [memo[field, row[field]] for field in FIELDS]
        counts.update(frozenset().union(*(lexemes for _, lexemes in parts)))
        rows.append({"id": row["id"], **{f"v{i}": vector for i, (vector, _) in enumerate(parts)}})
    conn.execute(_INSERT_VECTORS, rows)
    return counts


_WEIGHTED = text(
    "SELECT t, v::text, (SELECT array_agg(lexeme) FROM unnest(v)) FROM "
    "(SELECT t, setweight(to_tsvector('indonesian', t), CAST(:label AS \"char\")) AS v "
    "FROM unnest(CAST(:texts AS text[])) AS t) AS s"
)
_INSERT_VECTORS = text(
    "INSERT INTO search_product (product_id, tsv) VALUES (:id, "
    "CAST(:v0 AS tsvector) || CAST(:v1 AS tsvector) || CAST(:v2 AS tsvector) || CAST(:v3 AS tsvector))"
)


def apply_term_deltas(conn: Connection, deltas: dict[str, int]) -> None:
    """Add deltas to the vocabulary's document counts in one ordered upsert (concurrent writers lock terms in
    the same order, so they wait for each other instead of deadlocking); terms reaching zero leave it."""
    if not deltas:
        return
    conn.execute(
        text("INSERT INTO search_term (term, doc_count) VALUES (:term, :n) "
             "ON CONFLICT (term) DO UPDATE SET doc_count = search_term.doc_count + excluded.doc_count"),
        [{"term": t, "n": deltas[t]} for t in sorted(deltas)],
    )
    for chunk in chunks(t for t, n in deltas.items() if n < 0):
        conn.execute(_in("DELETE FROM search_term WHERE term IN :terms AND doc_count <= 0", "terms"), {"terms": chunk})


def clear(conn: Connection, bulk: bool = False) -> None:
    """Empty the index and its vocabulary. bulk (a rebuild follows): TRUNCATE, and drop the GIN index until
    optimise() builds it again in one pass; maintaining it row by row was over half of a rebuild's time. Both
    lock the table until the rebuild commits: searches wait for it, as they would for the rebuilt rows."""
    if bulk:
        conn.execute(text("TRUNCATE search_product, search_term"))
        conn.execute(text("DROP INDEX IF EXISTS ix_search_product_tsv"))
        return
    conn.execute(text("DELETE FROM search_product"))
    conn.execute(text("DELETE FROM search_term"))


def known_terms(conn: Connection, terms: list[str]) -> set[str]:
    """Those of terms that some indexed product contains."""
    return set(conn.scalars(_in("SELECT term FROM search_term WHERE term IN :terms", "terms"), {"terms": terms}))


def closest_term(conn: Connection, term: str) -> str | None:
    """The indexed lexeme most similar to term by pg_trgm (the % operator uses the GIN trigram index)."""
    return conn.scalar(
        text("SELECT term FROM search_term WHERE term % :term AND similarity(term, :term) >= :threshold "
             'ORDER BY similarity(term, :term) DESC, doc_count DESC, term COLLATE "C" LIMIT 1'),
        {"term": term, "threshold": float(SIMILARITY_THRESHOLD)},
    )


def _query(terms: list[str]) -> sa.ColumnElement:
    # plainto_tsquery with the `simple` configuration: the terms are already Indonesian stems (stemming them
    # again could change them), and plain text has no operators, so nothing typed can become tsquery syntax.
    return sa.func.plainto_tsquery(sa.literal_column("'simple'::regconfig"), sa.literal(" ".join(terms)))


def _rank(terms: list[str], document: sa.ColumnElement = _table.c.tsv) -> sa.ColumnElement:
    # normalization 1 divides by 1 + log(document length): like bm25, equally good matches in shorter
    # documents come first, which keeps the two backends' orders close.
    return (-sa.func.ts_rank(_RANK_WEIGHTS, document, _query(terms), 1)).label("rank")


def match(terms: list[str], ranked: bool = True, document: bool = False) -> sa.CTE:
    """(product_id, rank) of documents containing every term; rank is minus ts_rank, so lower = better.
    Unranked, rank is 0: for counts and facets (PostgreSQL inlines the CTE and skips an unused rank anyway).
    document=True adds the tsvector as `document`, for rank() to rank some of the rows without reading them again."""
    rank = _rank(terms) if ranked else sa.literal_column("0").label("rank")
    columns = [_table.c.product_id, rank, *([_table.c.tsv.label("document")] if document else [])]
    return sa.select(*columns).where(_table.c.tsv.op("@@")(_query(terms))).cte()


def rank(terms: list[str], candidates: sa.FromClause) -> sa.Select:
    """(product_id, rank) of candidates (columns id and document, taken from match(document=True)), ranked as
    match() ranks: ts_rank is computed for those rows only, from the tsvector they carry."""
    return sa.select(candidates.c.id.label("product_id"), _rank(terms, candidates.c.document))


def optimise(conn: Connection) -> None:
    """The GIN index (dropped by a bulk clear; as in the migration) and fresh planner statistics after a bulk load
    (without them the planner may ignore the indexes)."""
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_search_product_tsv ON search_product USING gin (tsv) "
                      "WITH (fastupdate = off)"))
    conn.execute(text("ANALYZE search_product"))
    conn.execute(text("ANALYZE search_term"))
