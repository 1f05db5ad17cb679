"""Redis away for a minute under load: pages keep answering, a job queued meanwhile is not lost, and everything
recovers by itself. Prints PASS/FAIL per check; exits 1 on a failure.

    .venv/bin/python scripts/fault_redis.py [--down 60] [--clients 8] [--products 2000]

A throwaway site in a temporary folder (SQLite filled by `flask bench-data`'s generator, uploads on disk) under
gunicorn with gunicorn.conf.py and the production settings, its rate limits, cache and job queue in a redis-server
this script starts on a free port of its own (never the machine's shared Redis), and a job worker beside it.
--clients threads request buyer pages (catalogue, search, category, filtered, product, home, /healthz) without
pause. An owner logs in first; at 15 s the redis-server is stopped (SIGTERM), while it is away the owner uploads a
photo (its larger renditions are a job), and after --down seconds it is started again on the same port, empty
(as a Redis restarted without persistence would be). The load goes on for 20 s more."""

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from html import unescape
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

HOST = "etalase.test"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def start_redis(port: int, folder: Path) -> subprocess.Popen:
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603, S607
                                "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL,
                               start_new_session=True)
    wait_port(port)
    return process


class Browser:
    """One client with its cookies, as behind a TLS proxy."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}{path}",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, text

    def submit(self, path: str, fields: dict, files: dict | None = None) -> int:
        status, page = self.request("GET", path)
        token = CSRF.search(page)
        if not token:
            raise SystemExit(f"no form on {path} ({status})")
        fields = {**fields, "csrf_token": unescape(token.group(1))}
        boundary = secrets.token_hex(12)
        body = BytesIO()
        for name, value in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, data) in (files or {}).items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                       "Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, body.getvalue(), f"multipart/form-data; boundary={boundary}")[0]


def prepare(workdir: Path, products: int) -> tuple[str, dict[str, str], str, int]:
    """The data set, the pages to load, and an owner's email and product id."""
    from bench_pages import make_app
    from bench_pages import prepare as fill

    from marketplace.accounts.models import User
    from marketplace.businesses.models import Business
    from marketplace.catalog.models import Category, Product
    from marketplace.extensions import db

    url = f"sqlite:///{workdir / 'fault.db'}"
    app = make_app(url, workdir)
    fill(app, products, max(10, products // 10))
    with app.app_context():
        product = db.session.scalar(db.select(Product).order_by(Product.id.desc()).limit(1))
        category = db.session.scalar(db.select(Category).where(Category.parent_id.is_not(None)).order_by(Category.id))
        owner = db.session.scalar(db.select(User).join(Business, Business.owner_id == User.id)
                                  .where(Business.id == product.business_id))
        pages = {"catalogue": "/products", "search": "/products?q=batik+tulis", "category": f"/products?category={category.slug}",
                 "filtered": f"/products?region=35.74&category={category.slug}&sort=price_asc",
                 "product": f"/products/{product.id}-{product.slug}", "home": "/", "health": "/healthz"}
        return url, pages, owner.email, product.id


def load(port: int, pages: list[str], stop: threading.Event, results: list, started: float) -> None:
    conn = None
    n = 0
    while not stop.is_set():
        path = pages[n % len(pages)]
        n += 1
        begin = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError:
            status, conn = 0, None
        results.append((begin - started, time.monotonic() - begin, path, status))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--products", type=int, default=2000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fault-redis-"))
    from PIL import Image

    url, pages, owner_email, product_id = prepare(workdir, args.products)
    redis_port, site_port = free_port(), free_port()
    redis = start_redis(redis_port, workdir)
    redis_url = f"redis://127.0.0.1:{redis_port}"
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
           "BASE_URL": f"https://{HOST}", "UPLOAD_DIR": str(workdir / "uploads"), "MAIL_BACKEND": "outbox",
           "MAIL_OUTBOX_DIR": str(workdir / "outbox"), "RATELIMIT_STORAGE_URI": f"{redis_url}/0",
           "JOBS_URL": f"{redis_url}/1", "CACHE_REDIS_URL": f"{redis_url}/2", "GUNICORN_WORKERS": "2",
           "GUNICORN_BIND": f"127.0.0.1:{site_port}", "PYTHONPATH": str(ROOT), "JOBS_SPILL_FILE": str(workdir / "spill.sqlite3")}
    log = (workdir / "site.log").open("ab")
    site = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,  # noqa: S603
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    worker = subprocess.Popen([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "jobs", "--workers", "1"], cwd=ROOT,  # noqa: S603
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    checks: list[tuple[bool, str]] = []
    try:
        wait_port(site_port)
        owner = Browser(site_port)
        logged_in = owner.submit("/auth/login", {"email": owner_email, "password": "bench-password"}) == 302
        checks.append((logged_in, "the owner logs in before the outage"))
        stop, results = threading.Event(), []
        started = time.monotonic()
        threads = [threading.Thread(target=load, args=(site_port, list(pages.values())[i:] + list(pages.values())[:i],
                                                       stop, results, started)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(15)
        down_at = time.monotonic() - started
        os.killpg(redis.pid, signal.SIGTERM)
        redis.wait()
        print(f"redis stopped at {down_at:.1f} s", flush=True)
        time.sleep(5)
        buffer = BytesIO()
        Image.effect_noise((2000, 1500), 60).convert("RGB").save(buffer, "JPEG", quality=90)
        upload = owner.submit(f"/my/products/{product_id}/photos", {}, {"photos": ("foto.jpg", buffer.getvalue())})
        checks.append((upload == 302, f"a photo uploaded while Redis is away is accepted (HTTP {upload})"))
        time.sleep(max(0.0, args.down - 5))
        redis = start_redis(redis_port, workdir)
        back_at = time.monotonic() - started
        print(f"redis back at {back_at:.1f} s", flush=True)
        time.sleep(20)
        stop.set()
        for thread in threads:
            thread.join()
        photo_done = wait_for_renditions(url, product_id, 60)
        checks += judge(results, down_at, back_at, redis_url, photo_done)
    finally:
        for process in (site, worker, redis):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in (site, worker, redis):
            process.wait(timeout=30)
    for ok, what in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {what}")
    passed = all(ok for ok, _ in checks)
    print("PASS: the site rides out Redis going away and recovers by itself" if passed else f"FAIL (see {workdir})")
    if passed:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if passed else 1)


def wait_for_renditions(url: str, product_id: int, seconds: float) -> bool:
    """The photo uploaded while Redis was away gets its larger renditions (its job ran) within seconds."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                pending = conn.scalar(text("SELECT count(*) FROM photo WHERE product_id = :p AND pending"), {"p": product_id})
                total = conn.scalar(text("SELECT count(*) FROM photo WHERE product_id = :p"), {"p": product_id})
            if total > 1 and pending == 0:
                return True
            time.sleep(1)
        return False
    finally:
        engine.dispose()


def judge(results: list, down_at: float, back_at: float, redis_url: str, photo_done: bool) -> list[tuple[bool, str]]:
    import redis as redis_client

    phases = {"before": [r for r in results if r[0] < down_at], "away": [r for r in results if down_at <= r[0] < back_at],
              "after": [r for r in results if r[0] >= back_at]}
    print(f"{len(results)} requests over {max(r[0] for r in results):.0f} s")
    print("phase     requests  failed  median ms   p95 ms  slowest ms  statuses")
    for name, rows in phases.items():
        times = sorted(r[1] * 1000 for r in rows)
        statuses = Counter(r[3] for r in rows)
        failed = sum(n for s, n in statuses.items() if s != 200)
        print(f"{name:<8} {len(rows):9} {failed:7} {times[len(times) // 2]:10.1f} {times[int(len(times) * 0.95)]:8.1f} "
              f"{times[-1]:11.1f}  {dict(statuses)}")
    away = phases["away"]
    cache = redis_client.Redis.from_url(f"{redis_url}/2")
    cached_again = any(True for _ in cache.scan_iter("*part:*", count=1000))
    return [
        (all(r[3] == 200 for r in phases["before"]), "every request succeeds before the outage"),
        (len(away) > 0 and all(r[3] == 200 for r in away), f"every request succeeds while Redis is away ({len(away)} requests)"),
        (all(r[3] == 200 for r in phases["after"]), "every request succeeds after Redis is back"),
        (max(r[1] for r in results) < 10, "no request hangs (limit 10 s)"),
        (cached_again, "the catalogue cache is filled again after Redis is back (no restart)"),
        (photo_done, "the job queued while Redis was away ran after it came back (the photo's larger renditions)"),
    ]


if __name__ == "__main__":
    main()
