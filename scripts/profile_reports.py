"""Time each section of the report dashboards and the public impact figures in-process (no HTTP, no cache) on the
bench data of scripts/bench_reports.py, to see which grouped queries cost the time.

    .venv/bin/python scripts/profile_reports.py --db sqlite
    .venv/bin/python scripts/profile_reports.py --db postgresql --runs 10

Prints the median and the worst of --runs timings per section, in milliseconds. Not a test: nothing here asserts."""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_http import database_url  # noqa: E402
from bench_pages import make_app  # noqa: E402

AGREEMENT = "mou-kota-probolinggo-kab-pasuruan-2025"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--region", default="35.74")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "etalase-bench-http"))
    args = parser.parse_args()
    app = make_app(database_url(args.db, args.products, Path(args.workdir)), Path(args.workdir))
    app.config["REPORTS_CACHE_SECONDS"] = 0

    from marketplace.extensions import db
    from marketplace.regions.models import Agreement, Region
    from marketplace.reports import impact
    from marketplace.reports.figures.scope import agreement_scope, region_scope
    from marketplace.reports.period import Period
    from marketplace.reports.sections import AGREEMENT_SECTIONS, REGION_SECTIONS
    from marketplace.reports.tables import Regions

    with app.test_request_context("/?lang=id"):
        period = Period.from_args({})
        region = db.session.get(Region, args.region)
        agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == AGREEMENT))
        parts = []
        for section in REGION_SECTIONS:
            parts.append((f"region {section.key}", lambda s=section: s.tables(region_scope(region), period)))
        for section in AGREEMENT_SECTIONS:
            parts.append((f"agreement {section.key}", lambda s=section: s.tables(agreement_scope(agreement), period)))
        parts.append(("impact (one agreement)", lambda: impact._figures(agreement, period, Regions())))
        for label, run in parts:
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                run()
                times.append((time.perf_counter() - start) * 1000)
                db.session.rollback()
            print(f"{label:<32} median {statistics.median(times):7.1f}  max {max(times):7.1f}", flush=True)


if __name__ == "__main__":
    main()
