"""Read the reports of scripts/security/scan.sh, print a short summary and exit 1 while any finding is open.

Open findings: every wapiti vulnerability and anomaly, every sqlmap injection point, heuristic hint, HTTP 500 or
unfinished run, and every 5xx answer or traceback in the server's log, unless accepted.json names it with the
reason it is a false positive (the reasons are explained in docs/SECURITY.md). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SQLMAP_DONE = re.compile(r"all tested parameters do not appear to be injectable|do not appear to be injectable")
SQLMAP_SIGNS = {
    "injection point": re.compile(r"sqlmap identified the following injection point"),
    "heuristic hint": re.compile(r"heuristic \(basic\) test shows that .* might be injectable"),
    "DBMS error in page": re.compile(r"heuristic \(parsing\) test showed that the back-end DBMS could be|"
                                     r"\[ERROR\] .*DBMS error|possible DBMS: '"),
    "server error": re.compile(r"HTTP error codes detected during run:.*\b5\d\d\b"),
    "CSRF token not found": re.compile(r"anti-CSRF token .* can't be found"),
    "connection problem": re.compile(r"unable to connect to the target URL|connection refused", re.IGNORECASE),
}
WAPITI_KINDS = {"vulnerabilities": "vulnerability", "anomalies": "anomaly"}
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) ')


@dataclass
class Finding:
    tool: str
    kind: str  # vulnerability, anomaly, sqlmap, server
    category: str
    path: str
    detail: str
    accepted_because: str = ""


def load_accepted(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def accept(finding: Finding, accepted: list[dict]) -> Finding:
    """Mark finding as accepted when a reviewed entry matches its tool, category, path and detail."""
    for rule in accepted:
        if not re.fullmatch(rule["tool"], finding.tool) or rule["category"] != finding.category:
            continue
        if re.search(rule.get("path", ""), finding.path) and re.search(rule.get("detail", ""), finding.detail):
            finding.accepted_because = rule["reason"]
            break
    return finding


def wapiti_findings(report: Path) -> tuple[list[Finding], dict]:
    data = json.loads(report.read_text(encoding="utf-8"))
    found = []
    for kind in ("vulnerabilities", "anomalies"):
        for category, items in data.get(kind, {}).items():
            for item in items:
                detail = f"{item.get('method')} {item.get('parameter') or '-'}: {item.get('info', '')}"
                found.append(Finding(f"wapiti:{report.stem.removeprefix('wapiti-')}", WAPITI_KINDS[kind], category,
                                     item.get("path", ""), " ".join(detail.split())))
    return found, data.get("infos", {})


def sqlmap_findings(log: Path) -> list[Finding]:
    name = log.stem.removeprefix("sqlmap-")
    text = log.read_text(encoding="utf-8", errors="replace")
    found = []
    for sign, pattern in SQLMAP_SIGNS.items():
        for match in pattern.finditer(text):
            line = text[text.rfind("\n", 0, match.start()) + 1:text.find("\n", match.end())]
            found.append(Finding(f"sqlmap:{name}", "sqlmap", sign, name, " ".join(line.split())[:300]))
    injections = log.with_suffix(".injections")
    if injections.exists() and injections.read_text().strip():
        found.append(Finding(f"sqlmap:{name}", "sqlmap", "injection point", name, injections.read_text()[:300]))
    if not SQLMAP_DONE.search(text) and not found:
        found.append(Finding(f"sqlmap:{name}", "sqlmap", "unfinished run", name, "no verdict in the log"))
    return found


def server_findings(log: Path) -> list[Finding]:
    if not log.exists():
        return []
    text = log.read_text(encoding="utf-8", errors="replace")
    found = [Finding("server", "server", f"HTTP {m['status']}", m["path"].split("?")[0], f"{m['method']} {m['path'][:200]}")
             for m in ACCESS_LINE.finditer(text) if m["status"].startswith("5")]
    for trace in re.finditer(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)+(?P<error>\S.*)", text):
        found.append(Finding("server", "server", "traceback", "", trace["error"][:300]))
    return found


def requests_served(log: Path) -> int:
    return len(ACCESS_LINE.findall(log.read_text(encoding="utf-8", errors="replace"))) if log.exists() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("reports", type=Path)
    parser.add_argument("--accepted", type=Path, required=True)
    parser.add_argument("--base", default="")
    parser.add_argument("--elapsed", type=int, default=0)
    parser.add_argument("--wapiti", default="?")
    parser.add_argument("--sqlmap", default="?")
    parser.add_argument("--modules", default="")
    parser.add_argument("--sqlmap-level", default="?")
    parser.add_argument("--sqlmap-risk", default="?")
    parser.add_argument("--machine", default="")
    args = parser.parse_args()
    accepted = load_accepted(args.accepted)

    findings: list[Finding] = []
    lines = []
    for report in sorted(args.reports.glob("wapiti-*.json")):
        found, infos = wapiti_findings(report)
        findings += found
        auth = infos.get("auth") or {}
        log = report.with_suffix(".log")
        bounded = re.findall(r"Max attack time was reached for module (\w+)", log.read_text(errors="replace")) if log.exists() else []
        lines.append(f"- {report.name}: target {infos.get('target')}, {infos.get('crawled_pages_nbr', '?')} pages crawled, "
                     f"logged in: {bool(auth.get('logged_in')) if auth else False}, {len(found)} findings; "
                     f"modules stopped by the time bound: {', '.join(bounded) or 'none'}")
    for log in sorted(args.reports.glob("sqlmap-*.log")):
        found = sqlmap_findings(log)
        findings += found
        lines.append(f"- {log.name}: {'clean' if not found else f'{len(found)} signs'}")
    findings += server_findings(args.reports / "gunicorn.log")
    findings = [accept(f, accepted) for f in findings]
    open_ = [f for f in findings if not f.accepted_because]

    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = args.machine or f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    summary = [
        f"# Security scan {now}", "",
        f"- target {args.base}, wapiti {args.wapiti} (modules {args.modules}), sqlmap {args.sqlmap} "
        f"(level {args.sqlmap_level}, risk {args.sqlmap_risk})",
        f"- machine: {machine}; scans took {args.elapsed // 60} min {args.elapsed % 60} s; "
        f"{requests_served(args.reports / 'gunicorn.log')} requests served",
        *lines, "",
        f"Findings: {len(findings)} ({len(findings) - len(open_)} accepted as false positives, {len(open_)} open)", "",
    ]
    for f in open_:
        summary.append(f"- OPEN: {f.tool} {f.kind} / {f.category} at {f.path or '-'}: {f.detail[:240]}")
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.accepted_because:
            groups.setdefault((f.category, f.accepted_because), []).append(f)
    for (category, reason), group in groups.items():
        where = sorted({f"{f.tool.split(':')[-1]} {f.path}" for f in group})
        summary.append(f"- accepted, {len(group)} x {category} ({', '.join(where)[:400]}): {reason}")
    text = "\n".join(summary) + "\n"
    (args.reports / "summary.md").write_text(text, encoding="utf-8")
    json.dump([f.__dict__ for f in findings], (args.reports / "findings.json").open("w", encoding="utf-8"), indent=2)
    print(text)
    print(f"{'FAIL' if open_ else 'OK'}: {len(open_)} open finding(s); details in {args.reports}")
    return 1 if open_ else 0


if __name__ == "__main__":
    sys.exit(main())
