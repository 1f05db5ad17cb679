"""`flask bench-data`: bulk rows (COPY on PostgreSQL) and one bulk search rebuild, the same index as row by row."""

from sqlalchemy import func, select, text

from marketplace.catalog.models import Product
from marketplace.catalog.search import index
from marketplace.extensions import db
from marketplace.media.models import Photo


def _index_rows() -> list[tuple]:
    if db.engine.dialect.name == "postgresql":
        return db.session.execute(text("SELECT product_id, tsv::text FROM search_product ORDER BY product_id")).all()
    return db.session.execute(text("SELECT rowid, name, category, description, business FROM search_product "
                                   "ORDER BY rowid")).all()


def _vocabulary() -> list[tuple]:
    return db.session.execute(text("SELECT term, doc_count FROM search_term ORDER BY term")).all()


def test_bench_data_adds_products_with_photos_and_indexes_them(app, runner):
    result = runner.invoke(args=["bench-data", "--products", "60", "--businesses", "8"])
    assert result.exit_code == 0, result.output
    assert "Added 8 businesses and 60 products" in result.output
    public = db.session.scalar(select(func.count()).select_from(Product).where(Product.public.is_(True)))
    assert public == 60
    assert db.session.scalar(select(func.count()).select_from(Photo).where(Photo.product_id.is_not(None))) == 60
    assert f"Indexed {public} public products" in result.output
    assert len(_index_rows()) == public
    if db.engine.dialect.name == "postgresql":  # the bulk rebuild drops the GIN index and builds it again
        assert db.session.scalar(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_search_product_tsv'")) == 1


def test_bulk_rebuild_equals_reindexing_row_by_row(app, runner):
    assert runner.invoke(args=["bench-data", "--products", "40", "--businesses", "5"]).exit_code == 0
    rebuilt, vocabulary = _index_rows(), _vocabulary()
    conn = db.session.connection()
    index.clear(conn)
    index.reindex(conn, [row[0] for row in rebuilt])  # the listener's path: to_tsvector per product, no memo
    assert _index_rows() == rebuilt
    assert _vocabulary() == vocabulary
    db.session.rollback()
