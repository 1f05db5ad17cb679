"""EXPLAIN ANALYZE of the page query of catalogue URLs, as browse() builds it, on a database of your own.

    .venv/bin/python scripts/explain_catalogue.py --url postgresql+psycopg://postgres@127.0.0.1:5432/etalase_bench_1000000 \\
        "/products?q=batik+tulis" "/products?q=kopi&page=3" --candidates 0 --candidates 2000

Each URL is browsed once to fill the cached counts, then the query that reads the page's products is captured and
explained (--runs times; the plan of the last run is printed in full with --plans). --candidates sets
SEARCH_RANK_CANDIDATES (0: every match ranked, as before issue 22's candidates); give it twice to compare.
Not a test: nothing here asserts a time."""

import argparse
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sqlalchemy import event  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402


def page_statement(app, path: str) -> tuple[str, object]:
    """The SQL and parameters of the query that reads the page's products (the counts cached by a first browse)."""
    from marketplace.catalog.browse import Filters, browse
    from marketplace.extensions import db
    from marketplace.timeutil import today

    args = MultiDict([(k, v) for k, vs in parse_qs(urlsplit(path).query).items() for v in vs])
    with app.test_request_context(path):
        browse(Filters.from_args(args), today())
        seen = []
        listener = lambda conn, cursor, statement, parameters, context, many: seen.append((statement, parameters))  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            browse(Filters.from_args(args), today())
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        db.session.remove()
    pages = [(s, p) for s, p in seen if re.search(r"\bLIMIT\b", s) and "product.name" in s]
    return pages[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--url", required=True)
    parser.add_argument("--candidates", type=int, action="append", help="SEARCH_RANK_CANDIDATES (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plans", action="store_true", help="print each plan in full")
    args = parser.parse_args()
    from bench_pages import make_app

    from marketplace.extensions import db

    app = make_app(args.url, Path(tempfile.gettempdir()) / "etalase-explain")
    for candidates in args.candidates or [app.config["SEARCH_RANK_CANDIDATES"]]:
        app.config["SEARCH_RANK_CANDIDATES"] = candidates
        for path in args.paths:
            statement, parameters = page_statement(app, path)
            times, plan = [], []
            with app.app_context():
                raw = db.engine.raw_connection()
                try:
                    cursor = raw.cursor()
                    for _ in range(args.runs):
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                        plan = [row[0] for row in cursor.fetchall()]
                        times.append(float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1)))
                    cursor.close()
                finally:
                    raw.rollback()
                    raw.close()
            print(f"candidates={candidates:<6} {path:<60} execution ms: {', '.join(f'{t:.1f}' for t in times)}")
            if args.plans:
                print("\n".join("    " + line for line in plan) + "\n")


if __name__ == "__main__":
    main()
