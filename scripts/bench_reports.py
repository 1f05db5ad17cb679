"""The report dashboards and the public impact pages over HTTP through gunicorn in production settings, on the
50,000-product bench data with a year of generated inquiries, decisions, showcase views and dormancy counts.

    .venv/bin/python scripts/bench_reports.py                        # SQLite and PostgreSQL
    .venv/bin/python scripts/bench_reports.py --db postgresql --inquiries 100000 --runs 60

The products come from the project's generator (`flask bench-data`, through scripts/bench_pages.py) in the database
bench_http.py keeps between runs; the year of activity is added once (marked by its own contact numbers), written
straight as rows, and the reports' summary tables are then counted from it (reports/summaries.py, as
`flask reports-rebuild-summaries`; a database that had the year before the summaries got them from its migration). The site
runs as bench_http.py runs it (gunicorn.conf.py, APP_ENV=production, Redis); a moderator of 35.74 and an admin log in
over HTTP like a browser (CSRF token, session cookie). Requests one at a time on a kept-alive connection, timed from
sending to the last byte. Prints a Markdown table; the goal is p95 <= 200 ms. Not a test: nothing here asserts."""

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_http import HEADERS, database_url, p95, production_env, serve  # noqa: E402

CONTACT = "62899{:08d}"  # the generated inquiries' contacts: the marker that the year was added
PASSWORD = "bench-" + "reports-" + "laporan-2026"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def add_year(app, inquiries: int) -> None:
    """A year up to today of inquiries (buyer regions spread over Jawa Timur, some unknown; three in four answered),
    product decisions in the audit log, daily showcase views and daily dormancy counts, and the reports' summary
    tables counted from them; and the two staff accounts."""
    from sqlalchemy import insert

    from marketplace.accounts import services as accounts
    from marketplace.accounts.models import Role
    from marketplace.audit.models import AuditEntry
    from marketplace.catalog.models import Product
    from marketplace.coach.models import DormancySnapshot
    from marketplace.conversations.models import Conversation
    from marketplace.extensions import db
    from marketplace.inquiries.models import Inquiry
    from marketplace.regions.models import Agreement, Region
    from marketplace.reports import summaries
    from marketplace.showcases.models import Showcase, ShowcaseReach
    from marketplace.unit_of_work import unit_of_work

    with app.app_context():
        for email, role, region in (("mod.reports@bench.etalase.id", Role.MODERATOR, "35.74"),
                                    ("admin.reports@bench.etalase.id", Role.ADMIN, None)):
            if accounts.find_user_by_email(email) is None:
                with unit_of_work():
                    accounts.create_user(email=email, password=PASSWORD, name="Bench", role=role, region_code=region)
        if db.session.scalar(db.select(Inquiry.id).where(Inquiry.contact == CONTACT.format(0))) is not None:
            return
        print(f"  adding a year of activity: {inquiries} inquiries ...", flush=True)
        rng = random.Random(20)  # noqa: S311  (made-up data, not secrets)
        now = datetime.now(UTC)
        regions = list(db.session.scalars(db.select(Region.code)))
        products = db.session.execute(db.select(Product.id, Product.business_id, Product.region_code, Product.submitted_at)
                                      .where(Product.public)).all()
        with unit_of_work():
            first = (db.session.scalar(db.select(db.func.max(Conversation.id))) or 0) + 1
            db.session.execute(insert(Conversation), [{"subject": "inquiry", "created_at": now, "last_message_at": now}
                                                      for _ in range(inquiries)])
            rows = []
            for i in range(inquiries):
                product_id, business_id, region, _submitted = products[rng.randrange(len(products))]
                asked = now - timedelta(days=rng.uniform(0, 364))
                replied = asked + timedelta(hours=rng.expovariate(1 / 12)) if rng.random() < 0.75 else None
                rows.append({"product_id": product_id, "business_id": business_id, "name": "Pembeli",
                             "contact": CONTACT.format(i), "quantity": 1, "message": "",
                             "buyer_region_code": None if rng.random() < 0.05 else rng.choice(regions),
                             "seller_region_code": region, "status": "replied" if replied else "new",
                             "replied_at": replied, "conversation_id": first + i, "created_at": asked})
            db.session.execute(insert(Inquiry), rows)
            decisions = []
            for product_id, _business, region, _submitted in rng.sample(products, min(len(products), 20_000)):
                decided = now - timedelta(days=rng.uniform(0, 364))
                decisions.append({"created_at": decided, "actor_email": "mod@bench", "actor_role": "moderator",
                                  "action": "product.approve", "object_type": "product", "object_id": product_id,
                                  "object_label": "", "region_code": region, "reason": "", "changes": {}})
            db.session.execute(insert(AuditEntry), decisions)
            # the decisions need submissions before them: the generator's products were submitted long ago
            db.session.execute(db.update(Product).where(Product.submitted_at.is_(None))
                               .values(submitted_at=now - timedelta(days=400)))
            today = date.today()
            pasuruan = db.session.scalar(db.select(Agreement.id).where(Agreement.key == "mou-kota-probolinggo-kab-pasuruan-2025"))
            showcase = db.session.scalar(db.select(Showcase.id).limit(1))
            if showcase is None:
                showcase_row = Showcase(slug="bench-reports", title="Bench", host_region_code="35.74",
                                        agreement_id=pasuruan, published=True)
                db.session.add(showcase_row)
                db.session.flush()
                showcase = showcase_row.id
            db.session.execute(insert(ShowcaseReach), [
                {"showcase_id": showcase, "product_id": 0, "day": today - timedelta(days=d), "count": rng.randrange(200)}
                for d in range(365)])
            existing = set(db.session.execute(db.select(DormancySnapshot.region_code, DormancySnapshot.day)).all())
            db.session.execute(insert(DormancySnapshot), [
                {"region_code": code, "day": today - timedelta(days=d), "active": rng.randrange(500),
                 "dormant": rng.randrange(300)}
                for code in regions for d in range(365) if (code, today - timedelta(days=d)) not in existing])
            # the rows above were written straight: count the reports' summaries from them, as
            # `flask reports-rebuild-summaries` does (a database made before the summaries got them from its migration)
            summaries.rebuild()


class Browser:
    """One kept-alive connection with a session cookie, logged in like a browser."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {**HEADERS, "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:  # a form sent over HTTPS: CSRF checks that it came from this site
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):  # idle past gunicorn's keep-alive: connect again
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def log_in(self, email: str) -> None:
        _status, page = self.request("GET", "/auth/login")
        token = CSRF.search(page.decode()).group(1)
        status, _ = self.request("POST", "/auth/login", urlencode({"email": email, "password": PASSWORD,
                                                                    "csrf_token": token}))
        if status != 302:
            raise SystemExit(f"log-in of {email} answered {status}")

    def timed(self, path: str) -> float:
        start = time.perf_counter()
        status, _ = self.request("GET", path)
        elapsed = (time.perf_counter() - start) * 1000
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        return elapsed


PAGES = {
    "region dashboard (moderator 35.74)": ("mod", "/reports/region/35.74"),
    "region dashboard XLSX": ("mod", "/reports/region/35.74?format=xlsx"),
    "agreement dashboard": ("mod", "/reports/agreement/mou-kota-probolinggo-kab-pasuruan-2025"),
    "region dashboard (admin, 35.13)": ("admin", "/reports/region/35.13"),
    "/impact": (None, "/impact"),
    "/impact/<agreement>": (None, "/impact/mou-kota-probolinggo-kab-pasuruan-2025"),
    "/api/v1/impact": (None, "/api/v1/impact"),
}


def run(kind: str, args, workdir: Path) -> list[tuple]:
    from bench_pages import make_app
    from bench_pages import prepare as fill

    print(f"{kind}: {args.products} products, {args.inquiries} inquiries", flush=True)
    url = database_url(kind, args.products, workdir)
    app = make_app(url, workdir)
    fill(app, args.products, args.businesses)
    add_year(app, args.inquiries)
    env = production_env(url, workdir, args.workers)
    env["BASE_URL"] = f"https://127.0.0.1:{args.port}"
    server = serve("wsgi:app", args.port, env, workdir / "gunicorn.log")
    try:
        browsers = {None: Browser(args.port), "mod": Browser(args.port), "admin": Browser(args.port)}
        browsers["mod"].log_in("mod.reports@bench.etalase.id")
        browsers["admin"].log_in("admin.reports@bench.etalase.id")
        for who, path in PAGES.values():  # warm-up
            for _ in range(5):
                browsers[who].timed(path)
        samples = {label: [] for label in PAGES}
        for _ in range(args.runs):
            for label, (who, path) in PAGES.items():
                samples[label].append(browsers[who].timed(path))
        rows = []
        for label, own in samples.items():
            rows.append((kind, label, statistics.median(own), p95(own)))
            print(f"  {label:<36} median {statistics.median(own):6.1f}  p95 {p95(own):6.1f}", flush=True)
        return rows
    finally:
        os.killpg(server.pid, 15)
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--businesses", type=int, default=5_000)
    parser.add_argument("--inquiries", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=58300)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "etalase-bench-http"))
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    rows = [row for kind in kinds for row in run(kind, args, workdir)]
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {args.products:,} products, {args.inquiries:,} "
          f"inquiries over a year, gunicorn {args.workers} workers, {args.runs} requests a page\n")
    print("| database | page | median ms | p95 ms |\n|---|---|---|---|")
    for kind, label, med, high in rows:
        print(f"| {kind} | {label} | {med:.1f} | {high:.1f} |")


if __name__ == "__main__":
    main()
