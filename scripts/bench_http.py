"""Buyer pages over HTTP through gunicorn in production settings, against a bare Flask page (the floor), in one run.

    .venv/bin/python scripts/bench_http.py                                # SQLite and PostgreSQL, 50,000 products
    .venv/bin/python scripts/bench_http.py --db postgresql --products 1000000 --businesses 100000 --runs 60
    .venv/bin/python scripts/bench_http.py --db postgresql --products 1000000 --businesses 100000 --pages search \
        --no-page-cache --candidates 0          # the searches' own page queries, every match ranked (before issue 22)

The data set is made by the project's own generator (`flask bench-data`) in a database kept between runs (SQLite
in --workdir, PostgreSQL database etalase_bench_<products>). The site runs as production runs it: gunicorn with
gunicorn.conf.py (2 workers unless --workers), APP_ENV=production, the cache and the rate limits in Redis. The floor,
scripts/bench_floor.py, is a bare Flask + Jinja page of 24 product cards with no database, served by a second
gunicorn with the same settings. Requests are interleaved page by page (a site page, then the floor), one at a
time on a kept-alive connection, timed from sending the request to the last byte; then each page is loaded by
--concurrency connections for --seconds to count requests per second. Prints a Markdown table with the ratios.
Not a test: nothing here asserts a time."""

import argparse
import http.client
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sqlalchemy import create_engine, text  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
FLOOR = "/products"
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "id", "User-Agent": "bench_http"}


def database_url(kind: str, products: int, workdir: Path, suffix: str = "") -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'bench-{products}.db'}"
    name = f"etalase_bench_{products}{suffix}"
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def prepare(url: str, args, workdir: Path) -> dict[str, str]:
    """The data set (made once), and the paths of the pages to measure, picked from it."""
    from bench_pages import make_app
    from bench_pages import prepare as fill

    from marketplace.businesses.models import Business
    from marketplace.catalog.models import Category, Product
    from marketplace.extensions import db
    from marketplace.showcases.models import Showcase

    app = make_app(url, workdir)
    started = time.perf_counter()
    fill(app, args.products, args.businesses, demo=True)
    print(f"  data ready in {time.perf_counter() - started:.0f} s", flush=True)
    with app.app_context():
        product = db.session.scalar(db.select(Product).where(Product.status == "published")
                                    .order_by(Product.id.desc()).limit(1))
        business = product.business
        category = db.session.scalar(db.select(Category).where(Category.parent_id.is_not(None)).order_by(Category.id))
        showcase = db.session.scalar(db.select(Showcase).limit(1))
        pages = {
            "catalogue": "/products",
            f"category ({category.slug})": f"/products?category={category.slug}",
            "search “batik tulis”": "/products?q=batik+tulis",
            "search page 3 “kopi”": "/products?q=kopi&page=3",
            "filtered": f"/products?region=35.74&category={category.slug}&sort=price_asc",
            "filtered, price_desc": f"/products?region=35.74&category={category.slug}&sort=price_desc",
            "search filtered “batik tulis” 35.74": "/products?q=batik+tulis&region=35.74",
            "search page 50 “kopi”": "/products?q=kopi&page=50",
            "product": f"/products/{product.id}-{product.slug}",
            "business": f"/businesses/{business.slug}",
            "region": "/regions/35.74",
            "home": "/",
        }
        if showcase is None:
            raise SystemExit("this data set has no demo (showcases, events, staples, services, Bela-Beli): it was made "
                             "before bench_http seeded one; drop it (or use another --db-suffix / --workdir)")
        pages.update(wave_pages(showcase))
        if args.pages == "search":
            pages = {label: path for label, path in pages.items() if "?" in path}
        if args.only:
            pages = {label: path for label, path in pages.items() if label in args.only}
        assert isinstance(business, Business)
    return pages


def wave_pages(showcase) -> dict[str, str]:
    """The public pages of this wave's features, on the demo's data (seeded with the bench data)."""
    from marketplace.events import clock
    from marketplace.events.queries import public_events
    from marketplace.extensions import db
    from marketplace.institutions.training_models import Cohort, Enrolment
    from marketplace.regions.models import Agreement
    from marketplace.staples.models import Commodity

    coming, past = public_events(clock.now())
    event = (coming or past)[0]
    cohort = db.session.scalar(db.select(Cohort).order_by(Cohort.id))
    code = db.session.scalar(db.select(Enrolment.certificate_code).where(Enrolment.certificate_code.is_not(None)))
    agreement = db.session.scalar(db.select(Agreement.key).order_by(Agreement.id))
    commodity = db.session.scalar(db.select(Commodity.code).order_by(Commodity.id))
    return {
        "showcases": "/showcases", "showcase": f"/showcases/{showcase.slug}",
        "events": "/events", "event": f"/events/{event.slug}",
        "staples board": "/staples", "staples commodity": f"/staples/{commodity}",
        "services": "/services", "training": f"/services/training/{cohort.id}", "verify": f"/verify/{code}",
        "bela-beli": "/bela-beli", "impact": "/impact", "impact agreement": f"/impact/{agreement}",
    }


def serve(target: str, port: int, env: dict, log: Path, chdir: Path | None = None) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), target]
    if chdir:
        command[1:1] = ["--chdir", str(chdir)]
    process = subprocess.Popen(command, cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},  # noqa: S603
                               stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(120):
        try:
            status, _ = fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=5), port, "/healthz")
            if status < 500:
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"gunicorn {target} did not start on {port}: see {log}")


def fetch(conn: http.client.HTTPConnection, port: int, path: str) -> tuple[int, int]:
    conn.request("GET", path, headers={**HEADERS, "Host": f"127.0.0.1:{port}"})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


def timed(conn, port: int, path: str) -> float:
    start = time.perf_counter()
    status, _ = fetch(conn, port, path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    return elapsed


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def throughput(port: int, path: str, connections: int, seconds: float) -> float:
    done = [0] * connections
    stop = time.perf_counter() + seconds

    def load(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            fetch(conn, port, path)
            done[slot] += 1

    threads = [threading.Thread(target=load, args=(slot,)) for slot in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def measure(name: str, pages: dict[str, str], site: int, floor: int, args) -> list[dict]:
    site_conn = http.client.HTTPConnection("127.0.0.1", site, timeout=30)
    floor_conn = http.client.HTTPConnection("127.0.0.1", floor, timeout=30)
    for path in pages.values():  # warm-up: connections, caches, the workers' first imports
        for _ in range(10):
            timed(site_conn, site, path)
            timed(floor_conn, floor, FLOOR)
    samples = {label: ([], []) for label in pages}
    for _ in range(args.runs):
        for label, path in pages.items():
            samples[label][0].append(timed(site_conn, site, path))
            samples[label][1].append(timed(floor_conn, floor, FLOOR))
    rows = []
    floor_rps = throughput(floor, FLOOR, args.concurrency, args.seconds) if args.seconds else 0
    for label, path in pages.items():
        own, base = samples[label]
        rps = throughput(site, path, args.concurrency, args.seconds) if args.seconds else 0
        rows.append({"db": name, "page": label, "path": path, "median": statistics.median(own), "p95": p95(own),
                     "floor_p95": p95(base), "rps": rps, "floor_rps": floor_rps})
        print(f"  {label:<28} median {statistics.median(own):6.1f}  p95 {p95(own):6.1f}  floor p95 "
              f"{p95(base):5.1f}  ratio {p95(own) / p95(base):4.1f}x  rps {rps:6.0f}", flush=True)
    return rows


def production_env(url: str, workdir: Path, workers: int) -> dict:
    tag = f"bench-http-{os.getpid()}"
    return {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
            "UPLOAD_DIR": str(workdir / "uploads"), "MAIL_BACKEND": "outbox", "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/13", "JOBS_URL": "redis://127.0.0.1:6379/14",
            "CACHE_REDIS_URL": "redis://127.0.0.1:6379/13", "CACHE_KEY_PREFIX": f"{tag}:",
            "GUNICORN_WORKERS": str(workers), "PYTHONPATH": str(ROOT)}


def site_env(url: str, workdir: Path, args) -> dict:
    env = production_env(url, workdir, args.workers)
    if args.no_page_cache:
        env["CATALOGUE_PAGE_CACHE"] = "0"
    if args.candidates is not None:
        env["SEARCH_RANK_CANDIDATES"] = str(args.candidates)
    return env


def run(kind: str, args, workdir: Path) -> list[dict]:
    print(f"{kind}: {args.products} products, {args.businesses} businesses", flush=True)
    url = database_url(kind, args.products, workdir, args.db_suffix)
    pages = prepare(url, args, workdir)
    site_port, floor_port = args.port, args.port + 1
    env = site_env(url, workdir, args)
    env["BASE_URL"] = f"https://127.0.0.1:{site_port}"
    log = workdir / "gunicorn.log"
    servers = [serve("wsgi:app", site_port, env, log), serve("bench_floor:app", floor_port, env, log, ROOT / "scripts")]
    try:
        return measure(kind, pages, site_port, floor_port, args)
    finally:
        for server in servers:
            os.killpg(server.pid, 15)
            server.wait()


def table(rows: list[dict], args) -> str:
    lines = [f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {args.products:,} products / "
             f"{args.businesses:,} businesses, gunicorn {args.workers} workers, {args.runs} requests a page, "
             f"throughput at {args.concurrency} connections for {args.seconds:g} s, catalogue page cache "
             f"{'off' if args.no_page_cache else 'on'}, SEARCH_RANK_CANDIDATES "
             f"{'default' if args.candidates is None else args.candidates}", "",
             "| database | page | median ms | p95 ms | floor p95 ms | p95 ratio | req/s | floor req/s | req/s ratio |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        rps_ratio = f"{row['floor_rps'] / row['rps']:.1f}x" if row["rps"] else "-"
        lines.append(f"| {row['db']} | {row['page']} | {row['median']:.1f} | {row['p95']:.1f} | {row['floor_p95']:.1f} | "
                     f"{row['p95'] / row['floor_p95']:.1f}x | {row['rps']:.0f} | {row['floor_rps']:.0f} | {rps_ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--businesses", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=150)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="per page for the throughput; 0 skips it")
    parser.add_argument("--port", type=int, default=58100)
    parser.add_argument("--db-suffix", default="", help="appended to the PostgreSQL database's name (a shared server)")
    parser.add_argument("--pages", choices=["all", "search"], default="all",
                        help="search: only the catalogue's pages with a query string (searches, filters, sorts)")
    parser.add_argument("--only", nargs="+", metavar="LABEL", help="measure only these pages (their labels, e.g. showcase event)")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="CATALOGUE_PAGE_CACHE=0: every catalogue page runs its page query (counts stay cached)")
    parser.add_argument("--candidates", type=int, help="SEARCH_RANK_CANDIDATES for the site (0: rank every match)")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "etalase-bench-http"))
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    rows = [row for kind in kinds for row in run(kind, args, workdir)]
    print()
    print(table(rows, args))


if __name__ == "__main__":
    main()
