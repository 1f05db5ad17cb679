"""Fault check: gunicorn workers killed with SIGKILL in the middle of photo uploads. PASS/FAIL.

    .venv/bin/python scripts/faults/upload_kill.py [--rounds 30] [--seed 7]

A throwaway instance (SQLite and an uploads folder in a temp dir, demo data) is served by gunicorn with the
repo's gunicorn.conf.py and one worker. Each round, the demo owner sends the new-product form with a 12 MP
phone-sized photo, and the worker is killed with SIGKILL at a random moment between the first byte of the
request and a little after its usual answer. gunicorn starts a new worker; the next round waits for it.

Afterwards it checks what the issue asks, against the database and the folder:
- no partial file: every file in the uploads folder has a plain name (no temporaries) and decodes completely;
- no photo row without files: every photo row's renditions (and, while pending, its original) are there.
Complete files that no row names (a worker killed after writing them, before committing) are counted and
reported: they are not partial, and they are what a later identical upload reuses.
"""

import argparse
import contextlib
import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from io import BytesIO
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
OWNER, PASSWORD = "pemilik@demo.etalase.id", "demo-umkm-2025"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser: one cookie jar, CSRF tokens read from the forms."""

    def __init__(self, port: int):
        self.port, self.cookies = port, SimpleCookie()

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None, timeout: float = 30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        data = response.read()
        connection.close()
        return response.status, response.headers, data

    def token(self, path: str) -> str:
        status, _headers, page = self.request("GET", path)
        match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(rb'name="csrf_token" value="([^"]+)"', page)
        if status != 200 or not match:
            raise SystemExit(f"no form at {path} (HTTP {status})")
        return match.group(1).decode()

    def login(self) -> None:
        token = self.token("/auth/login")
        body = f"csrf_token={token}&email={OWNER}&password={PASSWORD}".encode()
        status, _h, _d = self.request("POST", "/auth/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise SystemExit(f"login failed: HTTP {status}")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    out = BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                  f"Content-Type: image/jpeg\r\n\r\n".encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def phone_photo(seed: int) -> bytes:
    """A 4000x3000 JPEG with grain (about 4 MB), different every round so no upload reuses another's files."""
    rng = random.Random(seed)  # noqa: S311  (test pictures, reproducible)
    small = Image.frombytes("RGB", (500, 375), rng.randbytes(500 * 375 * 3))
    buffer = BytesIO()
    small.resize((4000, 3000), Image.Resampling.BILINEAR).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False).stdout  # noqa: S603, S607
    return [int(pid) for pid in out.split()]


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # gone already (gunicorn replaced it after an answer)
        os.kill(pid, signal.SIGKILL)


def wait_for_worker(master: int, port: int) -> int:
    for _ in range(200):
        pids = worker_pids(master)
        if pids:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return pids[0]
            except OSError:
                pass
        time.sleep(0.05)
    raise SystemExit("gunicorn did not start a new worker")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311  (kill moments, reproducible)
    work = Path(tempfile.mkdtemp(prefix="etalase-faults-"))
    port = free_port()
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": f"sqlite:///{work / 'etalase.db'}", "UPLOAD_DIR": str(work / "uploads"),
           "JOBS_URL": f"sqlite:///{work / 'jobs.sqlite3'}", "MAIL_OUTBOX_DIR": str(work / "outbox"),
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"}
    flask = [str(REPO / ".venv/bin/flask"), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([*flask, *command], cwd=REPO, env=env, check=True, capture_output=True)  # noqa: S603
    server = subprocess.Popen([str(REPO / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--no-control-socket", "wsgi:app"],  # noqa: S603
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=(work / "gunicorn.log").open("wb"))
    try:
        wait_for_worker(server.pid, port)
        browser = Browser(port)
        browser.login()
        status, _h, page = browser.request("GET", "/my/businesses")
        business = int(re.search(rb"/my/businesses/(\d+)/products/new", page).group(1))
        form_path = f"/my/businesses/{business}/products/new"
        env["FAULTS_STARTED"] = str(time.time())
        print(f"instance {work}; gunicorn {server.pid} on 127.0.0.1:{port}; {args.rounds} rounds")
        outcomes = {"killed": 0, "answered": 0}
        for round_number in range(args.rounds):
            worker = wait_for_worker(server.pid, port)
            fields = {"csrf_token": browser.token(form_path), "name": f"Batik uji {round_number}", "category": "",
                      "price_mode": "request", "unit": "lembar", "min_order": "1", "availability": "ready", "staged": ""}
            body, content_type = multipart(fields, {"photos": (f"foto-{round_number}.jpg", phone_photo(args.seed * 1000 + round_number))})
            delay = rng.uniform(0.0, 0.6)
            timer = threading.Timer(delay, kill, (worker,))
            timer.start()
            try:
                status, _h, _d = browser.request("POST", form_path, body, {"Content-Type": content_type})
                outcomes["answered"] += 1
            except (ConnectionError, http.client.HTTPException, OSError):
                outcomes["killed"] += 1
            timer.join()
            time.sleep(0.1)
        print(f"rounds: {outcomes['killed']} cut off by the kill, {outcomes['answered']} answered before it")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return check(work, env)


def check(work: Path, env: dict) -> int:
    os.environ.update({k: env[k] for k in ("APP_ENV", "SECRET_KEY", "DATABASE_URL", "UPLOAD_DIR", "JOBS_URL", "MAIL_OUTBOX_DIR")})
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.media.models import Photo
    from marketplace.media.storage import check_name

    app = create_app()
    uploads = Path(env["UPLOAD_DIR"])
    problems = []
    files = [path for path in uploads.rglob("*") if path.is_file()]
    for path in files:
        relative = path.relative_to(uploads).as_posix()
        try:
            check_name(relative)
        except ValueError:
            problems.append(f"temporary or odd file left: {relative}")
            continue
        if path.suffix in (".webp", ".jpg"):
            try:
                with Image.open(path) as image:
                    image.load()
            except (OSError, SyntaxError) as error:
                problems.append(f"partial file: {relative} ({error})")
    with app.app_context():
        photos = db.session.scalars(db.select(Photo)).all()
        named = set()
        for photo in photos:
            wanted = [name for name in photo.filenames if not photo.pending or "-320." in name or name.startswith("originals/")]
            named.update(photo.filenames)
            missing = [name for name in wanted if not (uploads / name).is_file()]
            if missing:
                problems.append(f"photo {photo.id} has no file {missing[0]} ({len(missing)} missing)")
    started = float(env["FAULTS_STARTED"])  # files of the demo data (logos, covers) are older
    unnamed = [p for p in files if p.relative_to(uploads).as_posix() not in named and p.stat().st_mtime >= started]
    print(f"after the kills: {len(photos)} photo rows, {len(files)} files, {len(unnamed)} complete files no row names")
    for problem in problems[:20]:
        print("  " + problem)
    print("PASS: no partial file, no photo row without its files" if not problems else f"FAIL: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
