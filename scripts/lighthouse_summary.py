"""Summarise a folder of Lighthouse JSON reports (scripts/lighthouse.sh): the median score per category and page.

Reports are named <lang>-<page>-<run>.report.json. Exit status 1 if any median is below --min-score.
"""

import argparse
import json
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (("first-contentful-paint", "FCP"), ("largest-contentful-paint", "LCP"), ("total-blocking-time", "TBT"),
           ("cumulative-layout-shift", "CLS"), ("speed-index", "SI"))
PAGES = ("home", "catalogue", "product")  # the script's order
NAME = re.compile(r"(?P<lang>[a-z]+)-(?P<page>[a-z]+)-(?P<run>\d+)\.report\.json")


def load(folder: Path) -> dict[tuple[str, str], list[dict]]:
    """Reports grouped by (language, page), in run order."""
    runs: dict[tuple[str, str], list[tuple[int, dict]]] = defaultdict(list)
    for path in folder.glob("*.report.json"):
        match = NAME.fullmatch(path.name)
        if match:
            runs[match["lang"], match["page"]].append((int(match["run"]), json.loads(path.read_text())))
    return {key: [report for _, report in sorted(reports, key=lambda item: item[0])] for key, reports in runs.items()}


def position(key: tuple[str, str]) -> tuple:
    """Indonesian (the default language) first, then the pages in the script's order."""
    lang, page = key
    return lang != "id", lang, PAGES.index(page) if page in PAGES else len(PAGES), page


def score(report: dict, category: str) -> int | None:
    """A category score 0-100 (None when Lighthouse could not score it, e.g. the page did not load)."""
    value = report["categories"].get(category, {}).get("score")
    return None if value is None else round(value * 100)


def median_cell(values: list) -> str:
    """The median, with (lowest-highest) when the runs differed."""
    if not values:
        return "-"
    middle = statistics.median(values)
    text = f"{middle:.0f}" if isinstance(middle, int) or float(middle).is_integer() else f"{middle:.2f}"
    return text if min(values) == max(values) else f"{text} ({min(values):g}-{max(values):g})"


def lost_points(report: dict, category: str) -> list[str]:
    """Audits of a category that lost points, worst weighted loss first."""
    lost = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
            lost.append((ref["weight"] * (1 - audit["score"]), f"{ref['id']} ({audit.get('displayValue') or audit['score']})"))
    return [text for _, text in sorted(lost, reverse=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--min-score", type=int, default=95)
    args = parser.parse_args()

    grouped = load(args.folder)
    if not grouped:
        print(f"no Lighthouse reports in {args.folder}", file=sys.stderr)
        return 1
    first = next(iter(grouped.values()))[0]
    settings, throttling = first["configSettings"], first["configSettings"]["throttling"]
    print(f"Lighthouse {first['lighthouseVersion']}, {first['environment']['hostUserAgent']}")
    print(f"form factor {settings['formFactor']}, {settings['screenEmulation']['width']}x{settings['screenEmulation']['height']} "
          f"at {settings['screenEmulation']['deviceScaleFactor']}x, throttling {settings['throttlingMethod']} "
          f"(RTT {throttling['rttMs']} ms, {throttling['throughputKbps']:.0f} kbps, CPU {throttling['cpuSlowdownMultiplier']}x)")

    below = []
    print(f"\n{'page':<14}{'runs':>5}" + "".join(f"{name:>17}" for name in CATEGORIES))
    for key in sorted(grouped, key=position):
        reports = grouped[key]
        cells = []
        for category in CATEGORIES:
            values = [s for s in (score(report, category) for report in reports) if s is not None]
            cells.append(median_cell(values))
            if not values or statistics.median(values) < args.min_score:
                below.append((key, category, values, reports))
        print(f"{' '.join(key):<14}{len(reports):>5}" + "".join(f"{cell:>17}" for cell in cells))

    print(f"\n{'page':<14}" + "".join(f"{label:>15}" for _, label in METRICS) + f"{'bytes':>15}")
    for key in sorted(grouped, key=position):
        reports = grouped[key]
        cells = []
        for audit, label in (*METRICS, ("total-byte-weight", "bytes")):
            values = [report["audits"][audit]["numericValue"] for report in reports if audit in report["audits"]]
            if label == "CLS":
                cells.append(median_cell([round(v, 3) for v in values]))
            elif label == "bytes":
                cells.append(f"{statistics.median(values) / 1024:.0f} KiB" if values else "-")
            else:
                cells.append(f"{statistics.median(values):.0f} ms" if values else "-")
        print(f"{' '.join(key):<14}" + "".join(f"{cell:>15}" for cell in cells))
    print("\nScores: median of the runs, (lowest-highest) when they differed. Metrics: medians, simulated throttling.")

    for (lang, page), category, values, reports in below:
        middle = statistics.median(values) if values else None
        print(f"BELOW {args.min_score}: {lang} {page} {category} = {middle}")
        if values:  # the audits of the run closest to the median
            run = min(reports, key=lambda report: abs((score(report, category) or 0) - middle))
            for text in lost_points(run, category)[:8]:
                print(f"    {text}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
