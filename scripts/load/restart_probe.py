"""Steady requests against the site while its PostgreSQL restarts; PASS/FAIL on how the site behaves and recovers.

Run by scripts/load/db_restart.sh, which starts the rig (private PostgreSQL, gunicorn) and passes its settings.
Plain threads and requests (no locust): every request's start, end and outcome are kept for the timeline.

Events, each after a steady stretch: `pg_ctl restart -m fast` (sessions ended cleanly, checkpoint), `-m immediate`
(the server is killed and runs crash recovery), and a stop with the database down for a few seconds.

Checks, each PASS or FAIL:
- no request fails before the first event;
- failed requests only overlap an event (from its start to GRACE seconds after the database accepts connections
  again): these are the requests in flight or sent while the database was away;
- every failure is a proper error page (HTTP 500 or 503 with the site's HTML), not a reset connection or a timeout;
- no request takes longer than HANG_LIMIT seconds (nothing hangs while the database is away; the table shows the
  slowest request around each event);
- after each event every request succeeds again, with gunicorn's master and workers the same processes
  (the site recovers by itself; nothing was restarted but the database)."""

import argparse
import csv
import os
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

GRACE = 2.0  # seconds after the database is back during which a failure still counts as part of the event
HANG_LIMIT = 10.0
PAGES = ["/", "/products", "/products?page=2", "/products?q=batik+tulis", "/products?q=kopi", "/products?q=keripik+pisang",
         "/products?region=35.74&category=batik", "/products?category=telur&sort=price_asc", "/regions/35.14", "/healthz"]


@dataclass
class Sample:
    start: float
    end: float
    path: str
    status: int  # 0 when no HTTP response came back
    error: str  # "" when the page was a 200


@dataclass
class Event:
    name: str
    start: float
    back: float = 0.0  # when the database accepted connections again


def client(base: str, paths: list[str], stop: threading.Event, out: list[Sample], lock: threading.Lock, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  (made-up traffic)
    session = requests.Session()
    session.headers["X-Forwarded-Proto"] = "https"
    while not stop.is_set():
        path = rng.choice(paths)
        start = time.monotonic()
        try:
            response = session.get(base + path, timeout=HANG_LIMIT * 3)
            status, body = response.status_code, response.text
            if status == 200:
                error = ""
            elif status in (500, 503) and "</html>" in body and "Etalase UMKM" in body:
                error = f"HTTP {status} error page"
            elif path == "/healthz" and status == 503 and '"unreachable"' in body:
                error = "HTTP 503 error page (health check: database unreachable)"
            else:
                error = f"HTTP {status} (not the site's error page)"
        except requests.RequestException as exc:
            status, error = 0, f"{type(exc).__name__}"
        sample = Sample(start, time.monotonic(), path, status, error)
        with lock:
            out.append(sample)
        time.sleep(rng.uniform(0.05, 0.25))


def pg(*args: str) -> None:
    subprocess.run(["bash", str(Path(__file__).with_name("pg.sh")), *args], check=True)  # noqa: S603, S607


def gunicorn_processes(master: int) -> set[int]:
    """The master and its workers, to tell whether anything but the database was restarted."""
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    return {master, *(int(p) for p in children.stdout.split())}


def run_events(steady: float, outage: float) -> list[Event]:
    events = []
    for name, action in [("restart -m fast", lambda: pg("restart", "fast")),
                         ("restart -m immediate", lambda: pg("restart", "immediate")),
                         (f"stop, {outage:g} s down, start", lambda: (pg("stop", "fast"), time.sleep(outage), pg("start")))]:
        time.sleep(steady)
        event = Event(name, time.monotonic())
        action()
        event.back = time.monotonic()
        events.append(event)
    time.sleep(steady)
    return events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--master-pid", type=int, required=True, help="gunicorn's master process")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--steady", type=float, default=20.0, help="seconds of steady load before, between and after events")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of requests before the timeline starts (not counted)")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds the database stays down in the last event")
    parser.add_argument("--csv", type=Path, help="write every request here")
    args = parser.parse_args()

    sitemap = requests.get(f"{args.url}/sitemap.xml", headers={"X-Forwarded-Proto": "https"}, timeout=60).text
    products = re.findall(r"<loc>https?://[^/<]+(/products/\d+-[^<]+)</loc>", sitemap)
    paths = PAGES + random.Random(1).sample(products, 10)  # noqa: S311
    processes_before = gunicorn_processes(args.master_pid)

    samples: list[Sample] = []
    lock, stop = threading.Lock(), threading.Event()
    threads = [threading.Thread(target=client, args=(args.url, paths, stop, samples, lock, n), daemon=True)
               for n in range(args.clients)]
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)  # cold workers and caches: not what is measured
    t0 = time.monotonic()
    events = run_events(args.steady, args.outage)
    stop.set()
    for thread in threads:
        thread.join()
    samples = [s for s in samples if s.start >= t0]
    processes_after = gunicorn_processes(args.master_pid)

    if args.csv:
        with args.csv.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["start_s", "end_s", "ms", "path", "status", "error"])
            for s in sorted(samples, key=lambda s: s.start):
                writer.writerow([f"{s.start - t0:.3f}", f"{s.end - t0:.3f}", f"{(s.end - s.start) * 1000:.0f}", s.path, s.status, s.error])

    def rel(t: float) -> str:
        return f"{t - t0:6.2f} s"

    failures = [s for s in samples if s.error]
    checks: list[tuple[str, bool]] = []
    print(f"{len(samples)} requests from {args.clients} clients over {samples[-1].end - t0:.0f} s; {len(failures)} failed")
    print(f"{'event':<26} {'db away':>8} {'failed':>6} {'failures from':>14} {'to':>9} {'slowest':>8} {'first OK after back':>20}")
    for i, event in enumerate(events):
        window_end = event.back + GRACE
        next_start = events[i + 1].start if i + 1 < len(events) else float("inf")
        around = [s for s in samples if s.end >= event.start and s.start <= window_end]
        failed = [s for s in around if s.error]
        after = [s for s in samples if s.start > window_end and s.end < next_start]
        first_ok = min((s.end for s in samples if s.start >= event.back and not s.error), default=None)
        slowest = max((s.end - s.start for s in around), default=0.0)
        print(f"{event.name:<26} {event.back - event.start:7.2f}s {len(failed):>6} "
              f"{rel(min(s.start for s in failed)) if failed else '-':>14} {rel(max(s.end for s in failed)) if failed else '-':>9} "
              f"{slowest:7.2f}s {f'{first_ok - event.back:.2f} s' if first_ok else 'never':>20}")
        kinds: dict[str, int] = {}
        for s in failed:
            kinds[s.error] = kinds.get(s.error, 0) + 1
        for kind, count in sorted(kinds.items(), key=lambda k: -k[1]):
            print(f"    {count} x {kind}")
        checks.append((f"{event.name}: every request succeeds afterwards ({len(after)} requests)",
                       bool(after) and not any(s.error for s in after)))

    first = events[0].start
    checks.insert(0, ("no failure before the first event", not any(s.error for s in samples if s.end < first)))
    stray = [s for s in failures if not any(s.end >= e.start and s.start <= e.back + GRACE for e in events)]
    checks.append((f"failures only around an event (database away, +{GRACE:g} s): {len(stray)} outside", not stray))
    improper = [s for s in failures if "error page" not in s.error]
    checks.append((f"every failure is the site's 500/503 error page: {len(improper)} not", not improper))
    slowest = max(s.end - s.start for s in samples)
    checks.append((f"no request hangs (slowest of the run {slowest:.2f} s, limit {HANG_LIMIT:g} s)", slowest <= HANG_LIMIT))
    checks.append(("gunicorn master and workers not restarted", processes_before == processes_after))
    health = requests.get(f"{args.url}/healthz", timeout=10)
    checks.append((f"/healthz after the events: HTTP {health.status_code}", health.status_code == 200))
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    passed = all(ok for _, ok in checks)
    print("PASS: the site recovers by itself after database restarts" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
