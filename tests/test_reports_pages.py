"""The dashboards as pages and files: each table's rows are the same in the HTML, the CSV and the XLSX (opened with
openpyxl; the exports add the BPS code after each region code); charts are inline SVG with a title and no script;
the query count of a dashboard does not grow with the data; the public impact shows "<3" for small cells; the API
gives the same figures."""

import csv
import io
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from marketplace.accounts.models import Role
from marketplace.catalog.models import Product
from marketplace.conversations.models import Conversation
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry
from tests.reports_helpers import ARGS, PASURUAN, at, build


class Tables(HTMLParser):
    """The rows of every <table data-report=...> of a page, as text."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-report" in attrs:
            self.current = self.tables.setdefault(attrs["data-report"], [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


@pytest.fixture
def admin(app, make_user, auth):
    with app.test_request_context():
        build(make_user)
    user = make_user(role=Role.ADMIN)
    auth.login(user.email)
    return user


def html_tables(client, url):
    parser = Tables()
    parser.feed(client.get(url).get_data(as_text=True))
    return parser.tables


def same(value):
    """A cell as a number when it is one (a spreadsheet keeps 0.0 as 0), else as text ('' for empty)."""
    if value is None:
        return ""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def without_bps(rows, header):
    drop = {i for i, name in enumerate(header) if name == "BPS code"}
    return [[v for i, v in enumerate(row) if i not in drop] for row in rows]


@pytest.mark.parametrize("url", ["/reports/region/35.74", f"/reports/agreement/{PASURUAN}"])
def test_html_csv_and_xlsx_hold_the_same_rows(client, admin, url):
    tables = html_tables(client, f"{url}?{ARGS}&lang=en")
    book = load_workbook(io.BytesIO(client.get(f"{url}?{ARGS}&format=xlsx&lang=en").data), read_only=True)
    assert set(tables) <= set(book.sheetnames) and len(tables) >= 5
    for key in book.sheetnames:
        html_rows = tables.get(key, [])  # a table with no rows is a sentence on the page, not an empty table
        response = client.get(f"{url}?{ARGS}&format=csv&table={key}&lang=en")
        assert response.mimetype == "text/csv"
        csv_rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        sheet_rows = [[same(v) for v in row] for row in book[key].iter_rows(values_only=True)]
        assert sheet_rows == [[same(v) for v in row] for row in csv_rows], key
        header = csv_rows[0]
        expected = without_bps(csv_rows, header)
        shown = [["" if v == "–" else v for v in row] for row in html_rows]  # the page shows a missing figure as –
        assert shown == (expected if len(expected) > 1 else []), key
        if "Kemendagri code" in header:  # every region code is followed by its BPS code
            index = header.index("Kemendagri code")
            assert header[index + 1] == "BPS code"
            for row in csv_rows[1:]:
                assert row[index + 1] == row[index].replace(".", ""), (key, row)


def test_bps_codes_of_the_seeded_regions(client, admin):
    rows = list(csv.reader(io.StringIO(client.get(
        f"/reports/agreement/{PASURUAN}?{ARGS}&format=csv&table=lead_matrix&lang=en").data.decode("utf-8-sig"))))
    assert [row[1:3] for row in rows[1:]] == [["35.14", "3514"], ["35.74", "3574"], ["", ""], ["", ""]]
    from marketplace.reports.models import RegionStatisticsCode

    codes = dict(db.session.execute(db.select(RegionStatisticsCode.region_code, RegionStatisticsCode.bps_code)).all())
    assert {k: codes[k] for k in ("35.74", "35.13", "35.14", "35.05", "35.07", "35.04")} == {
        "35.74": "3574", "35.13": "3513", "35.14": "3514", "35.05": "3505", "35.07": "3507", "35.04": "3504"}


def test_charts_are_accessible_svg_without_script(client, admin):
    html = client.get(f"/reports/region/35.74?{ARGS}").get_data(as_text=True)
    assert html.count('role="img"') >= 5 and "<script" not in html.split("<main", 1)[1]
    assert '<title id="chart-inquiries-t">' in html and '<desc id="chart-inquiries-d">' in html


def count_queries(client, path) -> int:
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_dashboard_query_counts_do_not_grow_with_the_data(client, admin, make_user):
    urls = [f"/reports/region/35.74?{ARGS}", f"/reports/agreement/{PASURUAN}?{ARGS}", f"/impact?{ARGS}"]
    before = [count_queries(client, url) for url in urls]
    with client.application.test_request_context():
        _more_data()
    assert [count_queries(client, url) for url in urls] == before


def _more_data():
    """Three more inquiries per product from more buyer regions (one more region, and unknown ones)."""

    products = list(db.session.scalars(db.select(Product)))
    for i, item in enumerate(products * 3):
        conversation = Conversation(subject="inquiry")
        db.session.add(conversation)
        db.session.flush()
        db.session.add(Inquiry(product_id=item.id, business_id=item.business_id, name="B", contact="6281111111111",
                               buyer_region_code=("35.05", "35.13", None)[i % 3], seller_region_code=item.region_code,
                               conversation_id=conversation.id, created_at=at(2, 1 + i % 27, 3)))
    db.session.flush()


def test_public_impact_shows_small_cells_as_less_than_three(client, app, make_user):
    with app.test_request_context():
        build(make_user)
    html = client.get(f"/impact/{PASURUAN}?{ARGS}&lang=en").get_data(as_text=True)
    assert 'data-figure="verified_businesses" data-region="35.74">3<' in html
    assert 'data-figure="verified_businesses" data-region="35.14">&lt;3<' in html
    assert 'data-figure="showcase_views" data-region="35.74">15<' in html
    assert "How the figures are counted" in html and 'property="og:image"' in html
    data = client.get(f"/api/v1/impact?{ARGS}").get_json()
    pasuruan = next(a for a in data["agreements"] if a["key"] == PASURUAN)
    figures = {r["code"]: r["figures"] for r in pasuruan["regions"]}
    assert figures["35.74"]["verified_businesses"] == {"value": 3, "suppressed": False}
    assert figures["35.14"]["verified_businesses"] == {"value": None, "suppressed": True}
    assert data["period_from"] == "2026-01" and data["period_to"] == "2026-04"


def test_impact_embed_may_be_framed_by_the_showcase_origins_only(client, app):
    embed = client.get(f"/impact/{PASURUAN}/embed")
    assert "frame-ancestors 'none'" not in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    page = client.get(f"/impact/{PASURUAN}")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    image = client.get(f"/impact/{PASURUAN}/og.png")
    assert image.mimetype == "image/png" and image.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_figures_are_kept_a_few_minutes_and_a_new_standard_is_seen_at_once(client, admin, app, monkeypatch):
    from marketplace.extensions import cache

    monkeypatch.setitem(app.config, "REPORTS_CACHE_SECONDS", 600)
    cache.clear()
    url = f"/reports/region/35.74?{ARGS}&lang=en"
    first, second = count_queries(client, url), count_queries(client, url)
    assert second < first - 15  # the figures came from the cache
    client.submit("/reports/region/35.74/standard", {"hours": "12"})
    html = client.get(url).get_data(as_text=True)
    assert "<td>12</td>" in html and "<td>66.7</td>" in html  # the latency table against the new standard
    cache.clear()
