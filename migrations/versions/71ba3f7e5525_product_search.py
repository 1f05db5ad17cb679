"""product search: FTS5 tables on SQLite, tsvector and pg_trgm on PostgreSQL

Revision ID: 71ba3f7e5525
Revises: 2db06c4d61c6
Create Date: 2026-11-25 10:00:00.000000

The tables are outside the models (their shape depends on the dialect; see marketplace/catalog/search/schema.py).
They start empty: on a database that already has public products run `flask --app wsgi search-rebuild` once.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '71ba3f7e5525'
down_revision = '2db06c4d61c6'
branch_labels = None
depends_on = None


SQLITE_UPGRADE = [
    # Stemmed text per field, rowid = product id; tokens are Python's, so no diacritics folding here either.
    "CREATE VIRTUAL TABLE search_product USING fts5("
    "name, category, description, business, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TABLE search_term (term TEXT NOT NULL PRIMARY KEY, doc_count INTEGER NOT NULL) WITHOUT ROWID",
    # pg_trgm's trigrams of each term, so typo candidates are found by index and scored exactly as pg_trgm would.
    "CREATE TABLE search_trigram (trigram TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (trigram, term)) WITHOUT ROWID",
    "CREATE INDEX ix_search_trigram_term ON search_trigram (term)",
]
POSTGRES_UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE search_product (product_id INTEGER NOT NULL PRIMARY KEY, tsv TSVECTOR NOT NULL)",
    # fastupdate off: GIN's pending list (flushed only by (auto)vacuum) is scanned linearly by every search and
    # makes the planner fall back to a sequential scan; index writes here are few, searches many.
    "CREATE INDEX ix_search_product_tsv ON search_product USING gin (tsv) WITH (fastupdate = off)",
    "CREATE TABLE search_term (term TEXT NOT NULL PRIMARY KEY, doc_count INTEGER NOT NULL)",
    "CREATE INDEX ix_search_term_trgm ON search_term USING gin (term gin_trgm_ops) WITH (fastupdate = off)",
]


def upgrade():
    statements = POSTGRES_UPGRADE if op.get_bind().dialect.name == "postgresql" else SQLITE_UPGRADE
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in ("DROP TABLE search_term", "DROP TABLE search_product", "DROP EXTENSION IF EXISTS pg_trgm"):
            op.execute(statement)
    else:
        for statement in ("DROP TABLE search_trigram", "DROP TABLE search_term", "DROP TABLE search_product"):
            op.execute(statement)
