"""Server time of the main buyer pages at scale, on SQLite and PostgreSQL, against the Flask floor.

    .venv/bin/python scripts/bench_pages.py                      # both databases, 50,000 products, 200 requests a page
    .venv/bin/python scripts/bench_pages.py --db sqlite --runs 50

Each page is requested in-process through Flask's test client, one request at a time, after a warm-up; the time is
from the request entering the app to the last byte of the response. The "floor" pages render the same templates
with the same objects, loaded once before timing, so they measure Flask, Jinja and the layout with no database work.
Not a test: nothing here asserts a time."""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import render_template
from markupsafe import Markup
from sqlalchemy import create_engine, text

from config import TestingConfig
from marketplace import create_app
from marketplace.catalog.models import Product
from marketplace.extensions import db

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql+psycopg://postgres@127.0.0.1:5432/etalase_bench"


def make_app(url: str, workdir: Path):
    config = type("BenchConfig", (TestingConfig,), {
        "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(workdir / "uploads"), "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "TESTING": False,
    })
    return create_app(config)


def prepare(app, products: int, businesses: int, demo: bool = False) -> None:
    """The data set, made once: the reference data, with demo=True the demo of `flask seed-demo` (showcases, events,
    staples, services, Bela-Beli, so that this wave's public pages have something to show; seeded first, while the
    catalogue is empty: the demo showcase takes every public product of two regions), then the generated products."""
    from flask_migrate import upgrade

    from marketplace.demo.bench import generate
    from marketplace.seeding import seed_demo, seed_reference
    from marketplace.unit_of_work import unit_of_work

    with app.app_context():
        upgrade()
        with unit_of_work():
            seed_reference()
        have = db.session.scalar(db.select(db.func.count(Product.id)))
        if demo and not have:
            from marketplace.jobs import jobs

            print("  seeding the demo ...", flush=True)
            with unit_of_work():
                seed_demo()
            jobs().run_pending()  # the demo photos' larger renditions, as `flask seed-demo` makes them
            have = db.session.scalar(db.select(db.func.count(Product.id)))
            products += have  # the generated products come on top of the demo's
        if have < products:
            print(f"  generating {products - have} products ...", flush=True)
            from marketplace.catalog import search

            with unit_of_work():
                generate(products - have, businesses)
            with unit_of_work():
                search.rebuild()
    # fresh statistics and visibility maps, as autovacuum (PostgreSQL) or a nightly ANALYZE would give
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def add_floor_routes(app, product_id: int) -> None:
    """The same pages rendered from objects loaded once: what Flask and the templates cost without a database."""
    from marketplace.catalog.browse import Filters, browse, loosen
    from marketplace.catalog.queries import product_page, public_product_or_404, related_products, top_categories
    from marketplace.catalog.views.public import FILTER_LABELS
    from marketplace.inquiries.forms import InquiryForm
    from marketplace.regions.models import Region
    from marketplace.timeutil import today

    with app.test_request_context("/products"):
        filters = Filters()
        result = browse(filters, today())
        regions = {r.code: r for r in db.session.scalars(db.select(Region))}
        categories = top_categories()
        for category in categories:
            _ = category.children
        product = public_product_or_404(product_id)
        related = related_products(product, today())
        page = {**product_page(product, today()), "badges": []}
        for p in [*result.items, product, *related]:
            _ = (p.photos, p.business.region, p.category.parent)
        db.session.expunge_all()

    @app.route("/_floor/products")
    def floor_list():
        return render_template("catalog/list.html", result=result, filters=filters, regions=regions, categories=categories,
                               filter_labels=FILTER_LABELS, loosen=loosen(filters), selected_category=None)

    @app.route("/_floor/product")
    def floor_product():
        form = InquiryForm(data={"quantity": 1})
        related_html = Markup(render_template("catalog/_related.html", product=product, related=related))  # noqa: S704
        return render_template("catalog/product.html", product=product, form=form, showcases=[],
                               **{**page, "related_html": related_html})


def measure(client, path: str, runs: int, cold: bool = False) -> tuple[float, float]:
    """Median and p95 in ms; cold=True forgets the cached counts before every request (as after any change)."""
    from marketplace.extensions import cache

    for _ in range(max(5, runs // 10)):
        client.get(path)
    samples = []
    for _ in range(runs):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(path)
        response.get_data()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def run(name: str, url: str, args, workdir: Path) -> list[tuple]:
    print(f"{name}: preparing {url}", flush=True)
    app = make_app(url, workdir)
    prepare(app, args.products, args.businesses)
    with app.app_context():
        product = db.session.scalar(db.select(Product).order_by(Product.id.desc()).limit(1))
        product_path = f"/products/{product.id}-{product.slug}"
    add_floor_routes(app, product.id)
    client = app.test_client()
    pages = [
        ("catalogue", "/products", False),
        ("catalogue, counts not cached", "/products", True),
        ("search “batik tulis”", "/products?q=batik+tulis", False),
        ("search, counts not cached", "/products?q=batik+tulis", True),
        ("filtered", "/products?region=35.74&category=batik&sort=price_asc", False),
        ("filtered, counts not cached", "/products?region=35.74&category=batik&sort=price_asc", True),
        ("category with facets", "/products?category=batik", False),
        ("category facets, not cached", "/products?category=batik", True),
        ("facet chosen", "/products?category=batik&attr.technique=tulis&attr.dye=alami", False),
        ("facet chosen, not cached", "/products?category=batik&attr.technique=tulis&attr.dye=alami", True),
        ("product", product_path, False),
        ("floor: catalogue layout", "/_floor/products", False),
        ("floor: product layout", "/_floor/product", False),
    ]
    rows = []
    for label, path, cold in pages:
        median, p95 = measure(client, path, args.runs, cold)
        rows.append((name, label, median, p95))
        print(f"  {label:<30} median {median:7.1f} ms   p95 {p95:7.1f} ms", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--businesses", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "etalase-bench"))
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    if args.db in ("sqlite", "both"):
        rows += run("SQLite", f"sqlite:///{workdir / 'bench.db'}", args, workdir)
    if args.db in ("postgresql", "both"):
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = 'etalase_bench'")).scalar():
                conn.execute(text("CREATE DATABASE etalase_bench"))
        admin.dispose()
        rows += run("PostgreSQL", PG_BENCH, args, workdir)
    print("\n| database | page | median ms | p95 ms |\n|---|---|---|---|")
    for name, label, median, p95 in rows:
        print(f"| {name} | {label} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
