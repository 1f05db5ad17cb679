"""Two app servers, as two machines would run them: two gunicorn instances on their own ports with the production
settings, one PostgreSQL, one Redis (a redis-server of this test's own) and one S3-compatible bucket (moto's server),
and a job worker beside the second. Sessions, rate limits, the catalogue cache, uploads and jobs are shared.

Marked `two_servers`: CI runs it in a step of its own (.ci/run), on PostgreSQL whatever TEST_DATABASE_URL says."""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import boto3
import pytest
import requests
from flask_migrate import upgrade
from moto.server import ThreadedMotoServer
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.seeding import seed_reference
from marketplace.unit_of_work import unit_of_work
from tests.conftest import CSRF_RE, PASSWORD, Client, jpeg_bytes, make_config

pytestmark = pytest.mark.two_servers

ROOT = Path(__file__).resolve().parent.parent
HOST = "etalase.test"
BUCKET = "etalase-two-servers"
AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_url() -> str:
    """A database of this module's own on TEST_DATABASE_URL's server when that is PostgreSQL, else 127.0.0.1:5432."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    admin = make_url(base) if base.startswith("postgresql") else make_url("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"etalase_two_servers_{os.getpid()}"
    engine = create_engine(admin.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    engine.dispose()


def wait_for(port: int, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on {port}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The shared services and the two servers; yields what the tests need to reach them."""
    tmp = tmp_path_factory.mktemp("two-servers")
    url = postgres_url()
    redis_port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603, S607
                              "--appendonly", "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL, start_new_session=True)
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    s3.start()
    s3_url = "http://{}:{}".format(*s3.get_host_and_port())
    boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=BUCKET)
    wait_for(redis_port, "redis-server")
    redis_url = f"redis://127.0.0.1:{redis_port}"
    env = {**os.environ, **AWS, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
           "BASE_URL": f"https://{HOST}", "RATELIMIT_STORAGE_URI": f"{redis_url}/0", "JOBS_URL": f"{redis_url}/1",
           "CACHE_REDIS_URL": f"{redis_url}/2", "STORAGE": "s3", "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_url,
           "S3_REGION": "us-east-1", "MAIL_BACKEND": "outbox", "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
           "LOGIN_RATE_LIMIT": "4 per 5 minutes", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "4",
           "PYTHONPATH": str(ROOT)}
    env.pop("TEST_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    subprocess.run([*flask, "seed-reference"], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    processes, ports = [], []
    log = (tmp / "servers.log").open("ab")
    try:
        for _ in range(2):
            port = free_port()
            processes.append(subprocess.Popen(  # noqa: S603
                [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True))
            ports.append(port)
        # the job worker runs beside the second server: the same settings, its own process
        processes.append(subprocess.Popen([*flask, "jobs", "--workers", "1"], cwd=ROOT, env=env, stdout=log,  # noqa: S603
                                          stderr=subprocess.STDOUT, start_new_session=True))
        for port in ports:
            wait_for(port, "gunicorn")
        yield {"ports": ports, "url": url, "redis": redis_url, "tmp": tmp, "log": tmp / "servers.log"}
    finally:
        for process in [*processes, redis]:
            os.killpg(process.pid, 15)
        for process in [*processes, redis]:
            process.wait(timeout=30)
        s3.stop()
        drop_database(url)
        shutil.rmtree(tmp / "outbox", ignore_errors=True)


@pytest.fixture(scope="module")
def app(site):
    """The suite's factories write into the servers' database through an app of the test's own."""
    app = create_app(make_config(site["tmp"], site["url"]))
    with app.app_context():
        upgrade()
        with unit_of_work():
            seed_reference()
    app.test_client_class = Client
    return app


class Browser:
    """A browser talking to one server or the other, as behind a TLS proxy: its cookies go to both."""

    def __init__(self, site):
        self.ports = site["ports"]
        self.cookies: dict[str, str] = {}

    def request(self, server: int, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}{path}",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        response = requests.request(method, f"http://127.0.0.1:{self.ports[server]}{path}", headers=headers,
                                    allow_redirects=False, timeout=30, **kwargs)
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, server: int, path: str) -> requests.Response:
        return self.request(server, "GET", path)

    def submit(self, server: int, path: str, data: dict, files=None) -> requests.Response:
        token = CSRF_RE.search(self.get(server, path).text)
        assert token, f"no form on {path}"
        return self.request(server, "POST", path, data={**data, "csrf_token": unescape(token.group(1))}, files=files)

    def login(self, server: int, email: str, password: str = PASSWORD) -> requests.Response:
        return self.submit(server, "/auth/login", {"email": email, "password": password})


def test_a_session_made_on_one_server_is_valid_on_the_other(site, make_user):
    buyer = make_user(email="pembeli.dua.server@example.id")
    browser = Browser(site)
    assert browser.login(0, buyer.email).status_code == 302
    on_other = browser.get(1, "/my/")
    assert on_other.status_code == 200 and buyer.email in on_other.text
    assert browser.get(1, "/my/?lang=en").status_code == 200


def test_rate_limits_count_once_across_both_servers(site, make_user):
    """LOGIN_RATE_LIMIT is 4 per 5 minutes here: two failures on each server use it up on both."""
    buyer = make_user(email="coba.coba@example.id")
    browser = Browser(site)
    try:
        answers = [browser.login(server, buyer.email, "salah-sandi").status_code for server in (0, 1, 0, 1)]
        assert 429 not in answers
        assert browser.login(0, buyer.email, "salah-sandi").status_code == 429
        assert browser.login(1, buyer.email, "salah-sandi").status_code == 429
    finally:  # every client here is 127.0.0.1: the other tests log in again
        import redis as redis_client

        redis_client.Redis.from_url(f"{site['redis']}/0").flushdb()


def test_the_catalogue_cache_is_shared_and_never_stale(site, make_product):
    import redis as redis_client

    product = make_product(status="published", name="Batik Dua Server", price_min=150000)
    browser = Browser(site)
    cached = redis_client.Redis.from_url(f"{site['redis']}/2")
    first = browser.get(0, "/products?lang=en")
    parts = sorted(cached.scan_iter("*part:*"))
    assert "Batik Dua Server" in first.text and "Rp 150.000" in first.text and parts
    second = browser.get(1, "/products?lang=en")
    assert second.text.count("Batik Dua Server") == first.text.count("Batik Dua Server")
    assert sorted(cached.scan_iter("*part:*")) == parts  # the second server used the part the first one stored
    with unit_of_work():
        db.session.get(Product, product.id).price_min = 175000  # any change buyers could see
    for server in (1, 0):
        page = browser.get(server, "/products?lang=en").text
        assert "Rp 175.000" in page and "Rp 150.000" not in page


def test_a_photo_uploaded_through_one_is_served_by_the_other_and_its_job_runs_beside_it(site, make_product):
    product = make_product(status="draft", name="Batik Foto Dua Server", photos=0)
    browser = Browser(site)
    assert browser.login(0, product.business.owner.email).status_code == 302
    photo = jpeg_bytes(size=(2000, 1500), color=(120, 60, 30), quality=90)
    answer = browser.submit(0, f"/my/products/{product.id}/photos", {}, files={"photos": ("foto.jpg", photo, "image/jpeg")})
    assert answer.status_code == 302, answer.text[:500]
    db.session.expire_all()
    stored = db.session.scalar(db.select(Photo).where(Photo.product_id == product.id))
    assert stored is not None and stored.pending  # the larger renditions are the worker's job
    small = browser.get(1, f"/media/{stored.content_hash}-320.webp")
    assert small.status_code == 200 and small.headers["Content-Type"] == "image/webp"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        large = browser.get(1, f"/media/{stored.content_hash}-800.webp")
        if large.headers["Content-Type"] == "image/webp":
            break
        time.sleep(0.5)
    assert large.status_code == 200 and large.headers["Content-Type"] == "image/webp", site["log"].read_text()[-3000:]
    db.session.expire_all()
    assert not db.session.get(Photo, stored.id).pending
    assert re.search(r"Worker for redis://", site["log"].read_text())
