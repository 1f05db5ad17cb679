"""Summarise a locust --csv run: throughput, median/p95/p99 per page type, errors, and PASS/FAIL against the goal.

    .venv-load/bin/python scripts/load/summary.py .load/results/load [--p95-goal 200]

Exit status 1 on FAIL (any failed request or task exception, a page type whose p95 is over the goal, or a gunicorn
worker whose resident memory at the end is over --rss-goal-mb). Prints a
Markdown table for docs/PERFORMANCE.md. Locust keeps response times rounded to 2 significant digits above 100 ms."""

import argparse
import csv
import os
import sys
from pathlib import Path


def read_rows(path: Path) -> list[dict]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefix", help="the --csv prefix locust wrote to")
    parser.add_argument("--p95-goal", type=float, default=200.0)
    parser.add_argument("--cpu", type=float, nargs=6, metavar=("APP0", "DB0", "N0", "APP1", "DB1", "N1"),
                        help="CPU seconds of gunicorn and PostgreSQL and requests served, before and after the run (cpu.py)")
    parser.add_argument("--loadavg", help="the machine's load averages at the end of the run (1, 5, 15 min)")
    parser.add_argument("--worker-rss", type=int, nargs="*", metavar="KB",
                        help="resident memory of each gunicorn worker at the end of the run (VmRSS, kB)")
    parser.add_argument("--rss-goal-mb", type=float, default=150.0)
    args = parser.parse_args()
    stats = read_rows(Path(f"{args.prefix}_stats.csv"))
    failures = read_rows(Path(f"{args.prefix}_failures.csv"))
    exceptions = read_rows(Path(f"{args.prefix}_exceptions.csv"))
    pages = sorted((r for r in stats if r["Name"] != "Aggregated"), key=lambda r: -int(r["Request Count"]))
    total = next(r for r in stats if r["Name"] == "Aggregated")

    print("| page type | requests | req/s | median ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for row in [*pages, total]:
        name = "**all**" if row is total else f"{row['Type']} {row['Name']}"
        print(f"| {name} | {int(row['Request Count']):,} | {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
              f"| {row['99%']} | {float(row['Max Response Time']):.0f} | {row['Failure Count']} |")
    requests, failed = int(total["Request Count"]), int(total["Failure Count"])
    rate = failed / requests * 100 if requests else 100.0
    print(f"\nthroughput {float(total['Requests/s']):.1f} req/s; {requests:,} requests, {failed} failed ({rate:.2f} %), "
          f"{sum(int(e['Count']) for e in exceptions)} task exceptions")
    if args.cpu:
        app0, db0, n0, app1, db1, n1 = args.cpu
        served = max(1, int(n1 - n0))
        print(f"CPU spent (ramp-up included, {served:,} requests served): gunicorn {app1 - app0:.1f} s = "
              f"{(app1 - app0) / served * 1000:.1f} ms a request, "
              f"PostgreSQL {db1 - db0:.1f} s = {(db1 - db0) / served * 1000:.1f} ms a request")
    if args.loadavg:
        print(f"machine load average at the end (1/5/15 min): {args.loadavg} on {os.cpu_count()} cores "
              "(our share: locust, gunicorn and PostgreSQL; anything above that is other work)")
    worker_mb = [kb / 1024 for kb in args.worker_rss or []]
    if args.worker_rss is not None:
        print(f"resident memory of the {len(worker_mb)} gunicorn workers at the end: "
              + ", ".join(f"{mb:.0f} MB" for mb in sorted(worker_mb)))
    for f in failures:
        print(f"  failure x{f['Occurrences']}: {f['Method']} {f['Name']}: {f['Error']}")
    for e in exceptions:
        print(f"  exception x{e['Count']}: {e['Message']}")

    slow = [r["Name"] for r in pages if float(r["95%"]) > args.p95_goal]
    problems = []
    if requests == 0:
        problems.append("no requests were made")
    if failed or exceptions:
        problems.append(f"{failed} failed requests, {len(exceptions)} kinds of task exceptions")
    if slow:
        problems.append(f"p95 over {args.p95_goal:.0f} ms: {', '.join(slow)}")
    if args.worker_rss is not None and not worker_mb:
        problems.append("no gunicorn worker was found to measure its memory")
    heavy = [mb for mb in worker_mb if mb >= args.rss_goal_mb]
    if heavy:
        problems.append(f"{len(heavy)} workers at or over {args.rss_goal_mb:.0f} MB resident")
    verdict = "FAIL: " + "; ".join(problems) if problems else (
        f"PASS: 0 errors, p95 <= {args.p95_goal:.0f} ms on every page type"
        + (f", every worker under {args.rss_goal_mb:.0f} MB resident" if worker_mb else ""))
    print(verdict)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
