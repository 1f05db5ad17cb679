"""The search tables: made by the migration, deliberately outside the models (their shape depends on the dialect).

SQLite: `search_product` is an FTS5 table (rowid = product id; FTS5 adds its own `search_product_*` shadow
tables), `search_term` the vocabulary with document counts, `search_trigram` its trigram postings for typos.
PostgreSQL: `search_product` holds a weighted tsvector per product, `search_term` the vocabulary with a
pg_trgm GIN index.
"""

from __future__ import annotations

from alembic.autogenerate import comparators
from alembic.operations import ops
from alembic.util import DispatchPriority, PriorityDispatchResult

FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")
TABLES = frozenset(
    {"search_product", "search_term", "search_trigram", *(f"search_product_{shadow}" for shadow in FTS5_SHADOWS)}
)
# Field weights, name > category > description > business, the same numbers on both backends:
# FTS5 bm25() column weights, and ts_rank()'s weights for the tsvector labels A, B, C, D.
WEIGHTS = {"name": 1.0, "category": 0.4, "description": 0.2, "business": 0.1}
FIELDS = tuple(WEIGHTS)


# Indexes the models make on PostgreSQL only (Index.ddl_if), which Alembic's comparison does not know about.
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_product_public_region_price_desc", "ix_product_public_price_desc"})


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic name filter: the search tables are not in the models, so autogenerate must not drop them."""
    return not (type_ == "table" and name in TABLES)


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def _keep_search_tables(autogen_context, upgrade_ops: ops.UpgradeOps, schemas) -> PriorityDispatchResult:
    """The same filter for comparisons configured without env.py (tests/test_migrations.py builds its own
    MigrationContext): drop the ops (remove table, remove index) that the search tables would otherwise produce."""
    upgrade_ops.ops[:] = [op for op in upgrade_ops.ops if getattr(op, "table_name", None) not in TABLES]
    if autogen_context.dialect.name != "postgresql":
        _drop_postgresql_only_indexes(upgrade_ops)
    return PriorityDispatchResult.CONTINUE


def _drop_postgresql_only_indexes(container) -> None:
    """Remove the CreateIndexOps of POSTGRESQL_ONLY_INDEXES (within a table's ops too), and tables' ops left empty."""
    kept = []
    for op in container.ops:
        if isinstance(op, ops.CreateIndexOp) and op.index_name in POSTGRESQL_ONLY_INDEXES:
            continue
        if isinstance(op, ops.ModifyTableOps):
            _drop_postgresql_only_indexes(op)
            if not op.ops:
                continue
        kept.append(op)
    container.ops[:] = kept
