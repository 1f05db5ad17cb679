"""Staples at scale: the public board `/staples` with 5,000 open posts, over HTTP through gunicorn in production
settings, and the matching of 5,000 offers against 5,000 needs in the database.

    .venv/bin/python scripts/bench_staples.py                       # SQLite and PostgreSQL
    .venv/bin/python scripts/bench_staples.py --db sqlite --runs 100

For each database: a fresh schema (migrations), the reference data, 1,000 verified businesses in 8 regions and
5,000 published posts (2,500 offers, 2,500 needs; all commodities, windows around today), bulk-inserted. gunicorn
(`gunicorn.conf.py`, APP_ENV=production, 2 workers) serves it on a free port of 127.0.0.1; `/staples` and one
commodity page are requested one at a time after a warm-up, each time from connect to the last byte, and `/healthz`
(one database round trip, no template) in the same run as the floor of this machine at that moment. Then 5,000
more posts make it 5,000 offers x 5,000 needs, and the matching query (`staples.matching`) is timed: the count of
every matching pair, the ranked first 200, and one region's matches (what the moderator's page ran before the stored
matches). Then the stored matches (`staples.match_store`): the rebuild of the whole table, refreshing one post's
pairs (what an approval or a withdrawal adds to its transaction), and the two reads the pages make. Last, gunicorn
again at 5,000 x 5,000: `/my/staples` (an owner logged in, over HTTP with the session cookie) and
`/moderation/staples` (the moderator of 35.05), `--page-runs` times each.

    .venv/bin/python scripts/bench_staples.py --parts pages     # only the two pages (also runs on the code before
                                                               # the stored matches: copy this script into that tree)

Not a test: nothing here asserts a time. PostgreSQL: the database `etalase_staples_bench` on 127.0.0.1:5432 is
dropped and made again."""

import argparse
import html
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql+psycopg://postgres@127.0.0.1:5432/etalase_staples_bench"
BENCH_PASSWORD = "bench-password-5k"  # noqa: S105  (generated accounts of a throwaway database)
REGIONS = ["35.74", "35.05", "35.14", "35.07", "35.13", "35.04", "35.73", "35.78"]


def fresh_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'staples.db'}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS etalase_staples_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE etalase_staples_bench"))
    admin.dispose()
    return PG_BENCH


def make_app(url: str, workdir: Path):
    from config import TestingConfig
    from marketplace import create_app

    config = type("BenchConfig", (TestingConfig,), {
        "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(workdir / "uploads"), "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "TESTING": False,
    })
    return create_app(config)


def generate_posts(app, count: int, seed: int, businesses: list[int] | None = None) -> list[int]:
    """count published posts (half offers, half needs) of verified businesses; returns the businesses' ids."""
    from marketplace.accounts.models import Role, User
    from marketplace.businesses.models import Business, SizeClass, Verification
    from marketplace.extensions import db
    from marketplace.models_base import utcnow
    from marketplace.staples.generation import bump_generation
    from marketplace.staples.models import WEEKS_PER_MONTH, Commodity, PostKind, PostStatus, StaplesPost
    from marketplace.timeutil import today
    from marketplace.unit_of_work import unit_of_work

    rng = random.Random(seed)  # noqa: S311  (generated test data, not secrets)
    with app.app_context(), unit_of_work():
        if businesses is None:
            now = utcnow()
            db.session.execute(insert(User), [
                {"email": f"bench{i}@example.id", "name": f"Pemilik {i}", "role": Role.OWNER, "password_hash": "!",
                 "region_code": REGIONS[i % len(REGIONS)], "locale": "id", "created_at": now} for i in range(1000)])
            owners = list(db.session.scalars(db.select(User.id).order_by(User.id)))
            db.session.execute(insert(Business), [
                {"owner_id": owner, "region_code": REGIONS[i % len(REGIONS)], "name": f"Koperasi Bench {i}",
                 "slug": f"koperasi-bench-{i}", "size_class": SizeClass.KECIL, "whatsapp": "6281200000000",
                 "verification": Verification.VERIFIED, "address": "", "description": "", "links": {},
                 "created_at": now, "updated_at": now} for i, owner in enumerate(owners)])
            businesses = list(db.session.scalars(db.select(Business.id).order_by(Business.id)))
        regions = dict(db.session.execute(db.select(Business.id, Business.region_code)).all())
        commodities = list(db.session.scalars(db.select(Commodity)))
        rows, on = [], today()
        for i in range(count):
            commodity = rng.choice(commodities)
            unit = rng.choice(commodity.units)
            grade = rng.choice([None, *commodity.grades])
            quantity = rng.randint(1, 50) if unit.factor >= 100 else rng.randint(100, 20000)
            period = rng.choice(["month", "week", "once"])
            monthly = quantity * unit.factor * (WEEKS_PER_MONTH if period == "week" else 1)
            base_price = {"kg": 8000, "liter": 17000}.get(commodity.base_unit, 8000) * rng.uniform(0.5, 4)
            price = round(base_price * unit.factor)
            starts = on + timedelta(days=rng.randint(-60, 30))
            business = rng.choice(businesses)
            lot = rng.choice([None, max(1, quantity // 4)])
            rows.append({
                "kind": PostKind.OFFER if i % 2 == 0 else PostKind.NEED, "business_id": business,
                "region_code": regions[business], "commodity_id": commodity.id, "grade_id": grade.id if grade else None,
                "unit_code": unit.code, "quantity": quantity, "period": period, "min_lot": lot if i % 2 == 0 else None,
                "starts_on": starts, "ends_on": starts + timedelta(days=rng.randint(60, 240)),
                "price_min": price, "price_max": round(price * 1.15), "negotiable": rng.random() < 0.1,
                "delivery_terms": rng.choice(["loco", "franco"]), "transport_by": rng.choice(["seller", "buyer"]),
                "notes": "", "monthly_base": monthly, "min_lot_base": lot * unit.factor if lot and i % 2 == 0 else None,
                "price_min_base": price / unit.factor, "price_max_base": round(price * 1.15) / unit.factor,
                "status": PostStatus.PUBLISHED, "reason": "", "edit_reason": "", "version": 1,
                "created_at": utcnow(), "submitted_at": utcnow(), "published_at": utcnow(),
            })
        db.session.execute(insert(StaplesPost), rows)
        bump_generation(db.session)  # a bulk insert skips the ORM's flush, where the board's generation is bumped
    return businesses


def analyse(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "BASE_URL": base,
           "DATABASE_URL": url, "UPLOAD_DIR": str(workdir / "uploads"), "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
           "MAIL_BACKEND": "log", "JOBS_URL": f"sqlite:///{workdir / 'jobs.sqlite3'}",
           "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
           "CACHE_REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
           "CACHE_KEY_PREFIX": f"etalase-staples-bench-{os.getpid()}:", "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "2")}
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115  (closed with the process)
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,  # noqa: S603
                              stdout=log, stderr=subprocess.STDOUT)
    for _ in range(400):  # up to 80 s: a busy shared machine starts workers slowly
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310  (our own local server)
            return server, base
        except OSError:
            if server.poll() is not None:
                raise RuntimeError((workdir / "gunicorn.log").read_text()) from None
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not come up:\n" + (workdir / "gunicorn.log").read_text()[-3000:])


def measure(base: str, path: str, runs: int, cookie: str | None = None) -> tuple[float, float]:
    """Median and p95 in ms, connect to last byte, one request at a time (with a session cookie: logged in)."""
    headers = {"Cookie": cookie} if cookie else {}
    for _ in range(max(2, runs // 10)):
        urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)).read()  # noqa: S310
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as response:  # noqa: S310
            body = response.read()
            assert response.status == 200 and (not cookie or b"/auth/login" not in response.url.encode()), path
        samples.append((time.perf_counter() - start) * 1000)
    assert body
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, email: str) -> str:
    """The session cookie of email logged in (the production cookie is Secure: kept by hand over plain HTTP)."""
    with urllib.request.urlopen(f"{base}/auth/login") as response:  # noqa: S310
        page = response.read().decode()
        cookie = "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [])
    token = html.unescape(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1))
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": BENCH_PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/auth/login", data=data, headers={"Cookie": cookie})  # noqa: S310
    try:
        urllib.request.build_opener(_NoRedirect).open(request)
        raise RuntimeError(f"logging in {email} did not redirect")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
        return "; ".join(c.split(";")[0] for c in answer.headers.get_all("Set-Cookie"))


def time_matching(app) -> list[tuple[str, float, int]]:
    from marketplace.extensions import db
    from marketplace.staples.matching import count_matches, matches
    from marketplace.timeutil import today

    results = []
    with app.app_context():
        for label, work in (("count of every matching pair", lambda: count_matches(today())),
                            ("ranked first 200", lambda: len(matches(today(), limit=200))),
                            ("region 35.05, ranked first 200", lambda: len(matches(today(), region_code="35.05")))):
            work()  # warm
            samples, found = [], 0
            for _ in range(3):
                start = time.perf_counter()
                found = work()
                samples.append((time.perf_counter() - start) * 1000)
                db.session.rollback()
            results.append((label, statistics.median(samples), found))
    return results


def time_stored(app) -> list[tuple[str, float, int]]:
    """The stored matches: rebuilt whole (committed: the pages read it next), one post's pairs refreshed (rolled back),
    and the two reads of the pages."""
    from marketplace.extensions import db
    from marketplace.staples import match_store
    from marketplace.staples.models import PostKind, StaplesPost
    from marketplace.timeutil import today
    from marketplace.unit_of_work import unit_of_work

    results = []
    with app.app_context():
        start = time.perf_counter()
        with unit_of_work():
            stored = match_store.rebuild()
        results.append(("rebuild of the whole table", (time.perf_counter() - start) * 1000, stored))
        offer = db.session.scalar(db.select(StaplesPost).where(StaplesPost.kind == PostKind.OFFER).order_by(StaplesPost.id))
        owner_ids = {offer.business_id}
        for label, work in (
            ("refresh one offer's pairs", lambda: match_store.refresh_posts(db.session.connection(), {offer.id}) or 0),
            ("read: one business's first 200", lambda: len(match_store.stored_matches(today(), business_ids=owner_ids))),
            ("read: region 35.05, first 200", lambda: len(match_store.stored_matches(today(), region_code="35.05"))),
        ):
            samples, found = [], 0
            for _ in range(5):
                start = time.perf_counter()
                found = work()
                samples.append((time.perf_counter() - start) * 1000)
                db.session.rollback()
            results.append((label, statistics.median(samples), found))
    return results


def page_users(app) -> dict[str, str]:
    """An owner (of the first business) and the moderator of 35.05, with a password: {page: email}."""
    from marketplace.accounts.models import Role, User
    from marketplace.accounts.services import hash_password
    from marketplace.businesses.models import Business
    from marketplace.extensions import db
    from marketplace.unit_of_work import unit_of_work

    with app.app_context(), unit_of_work():
        business = db.session.scalar(db.select(Business).order_by(Business.id))
        business.owner.password_hash = hash_password(BENCH_PASSWORD)
        moderator = User(email="moderator.bench@example.id", name="Moderator Bench", role=Role.MODERATOR,
                         region_code="35.05", locale="id", password_hash=hash_password(BENCH_PASSWORD))
        db.session.add(moderator)
        return {"/my/staples": business.owner.email, "/moderation/staples": moderator.email}


def time_pages(kind: str, url: str, workdir: Path, app, runs: int) -> None:
    users = page_users(app)
    server, base = serve(url, workdir)
    try:
        for path, email in users.items():
            median, p95 = measure(base, path, runs, cookie=log_in(base, email))
            print(f"{kind:10} {path:34} 5,000 x 5,000      median {median:8.1f} ms   p95 {p95:8.1f} ms  ({runs} runs)",
                  flush=True)
    finally:
        server.terminate()
        server.wait()


def run(kind: str, runs: int, parts: str = "both", page_runs: int = 40) -> None:
    from flask_migrate import upgrade

    from marketplace.seeding import seed_reference
    from marketplace.unit_of_work import unit_of_work

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = fresh_database(kind, workdir)
        app = make_app(url, workdir)
        with app.app_context():
            upgrade()
            with unit_of_work():
                seed_reference()
        businesses = generate_posts(app, 5000, seed=1)
        analyse(url)
        if parts in ("http", "both"):
            server, base = serve(url, workdir)
            try:
                for path in ("/healthz", "/staples", "/staples/jagung-pipilan-kering"):
                    median, p95 = measure(base, path, runs)
                    print(f"{kind:10} {path:34} 5,000 open posts   median {median:6.1f} ms   p95 {p95:6.1f} ms", flush=True)
            finally:
                server.terminate()
                server.wait()
        if parts == "http":
            return
        generate_posts(app, 5000, seed=2, businesses=businesses)
        analyse(url)
        if parts in ("matching", "both"):
            for label, ms, found in time_matching(app):
                print(f"{kind:10} matching 5,000 offers x 5,000 needs: {label:32} {ms:8.1f} ms  ({found} pairs)", flush=True)
        try:
            stored = time_stored(app)
        except ImportError:  # the code before the stored matches: its pages run the matching query
            stored = []
        for label, ms, found in stored:
            print(f"{kind:10} stored matches at 5,000 x 5,000: {label:34} {ms:8.1f} ms  ({found})", flush=True)
        analyse(url)
        if parts in ("pages", "both"):
            time_pages(kind, url, workdir, app, page_runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--parts", choices=["http", "matching", "pages", "both"], default="both")
    parser.add_argument("--page-runs", type=int, default=40, help="requests per logged-in page at 5,000 x 5,000")
    args = parser.parse_args()
    for kind in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        run(kind, args.runs, args.parts, args.page_runs)


if __name__ == "__main__":
    main()
