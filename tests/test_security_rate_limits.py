"""Issue 14, finding 11 (rate limits per worker): with memory:// storage every gunicorn worker counted failed logins on
its own (30 got through instead of 10 with 3 workers). Production refuses to start that way, and with Redis the limit
holds across processes: real gunicorn servers in production settings, one Redis database."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from requests.cookies import RequestsCookieJar

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
# A Redis database of these tests only (0-2: production's defaults, 13-14: scripts/load, 15: the cache test):
# Flask-Limiter's reset would delete every LIMITS* key of the database it is given.
REDIS_URL = "redis://127.0.0.1:6379/12"
HOST = "etalase.test"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(app, tmp_path: Path, port: int, **changes: str) -> dict[str, str]:
    """Production settings over the suite's database, in folders of this test, gunicorn on 127.0.0.1:port."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GUNICORN_", "RATELIMIT_"))}
    return {
        **env, "APP_ENV": "production", "SECRET_KEY": "r" * 48, "BASE_URL": f"https://{HOST}",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "UPLOAD_DIR": str(tmp_path / "uploads"),
        "MAIL_BACKEND": "outbox", "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"), "CACHE_TYPE": "SimpleCache",
        "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}", "RATELIMIT_STORAGE_URI": REDIS_URL,
        "LOGIN_RATE_LIMIT": "10 per 5 minutes", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2", **changes,
    }


def start_gunicorn(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([GUNICORN, "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,  # noqa: S603
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(server: subprocess.Popen) -> None:
    """The server and its workers (its own process group, started above): SIGINT is gunicorn's quick shutdown."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class BrowserCookies(RequestsCookieJar):
    """A browser on https (the TLS proxy's side) sends Secure cookies back; this jar talks plain HTTP to gunicorn."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


@pytest.fixture
def redis_db():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not running on 127.0.0.1:6379 ({error}): this test needs it (apt-get install redis-server)")

    def clear():
        for key in client.scan_iter("LIMITS*"):
            client.delete(key)

    clear()
    yield client
    clear()
    client.close()


def test_the_login_limit_holds_across_two_servers_sharing_redis(app, tmp_path, redis_db):
    ports = [free_port(), free_port()]
    servers = [start_gunicorn(production_env(app, tmp_path, port), tmp_path / f"gunicorn-{port}.log") for port in ports]
    try:
        browser = requests.Session()
        browser.cookies = BrowserCookies()
        # as the TLS proxy passes requests on: the site's host, https, and the Referer Flask-WTF checks on https
        browser.headers.update({"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}/auth/login"})
        deadline = time.monotonic() + 30
        for port, server in zip(ports, servers, strict=True):
            while True:
                assert server.poll() is None, (tmp_path / f"gunicorn-{port}.log").read_text()
                try:
                    if browser.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.1)

        # one session (the cookie goes to both servers, as to two workers behind one address), so one form token
        token = CSRF_RE.search(browser.get(f"http://127.0.0.1:{ports[0]}/auth/login", timeout=10).text).group(1)

        def failed_login(port: int) -> int:
            return browser.post(f"http://127.0.0.1:{port}/auth/login", timeout=10, allow_redirects=False,
                                data={"email": "penebak@example.id", "password": "salah sekali", "csrf_token": token}
                                ).status_code

        answers = [failed_login(ports[attempt % 2]) for attempt in range(12)]  # alternately to each server
        assert answers == [200] * 10 + [429, 429], answers
        assert redis_db.keys("LIMITS*"), "the counts were not kept in Redis"
    finally:
        for server in servers:
            stop(server)


def test_production_refuses_to_start_several_workers_with_memory_storage(app, tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(production_env(app, tmp_path, port, RATELIMIT_STORAGE_URI="memory://", GUNICORN_WORKERS="2"),
                            log)
    try:
        assert server.wait(timeout=30) == 1, log.read_text()
    finally:
        stop(server)
    assert "RATELIMIT_STORAGE_URI is memory:// with 2 workers" in log.read_text()
