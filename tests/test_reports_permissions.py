"""Every route of the reports for every role: visitor, buyer, owner, a moderator of 35.14 (Kabupaten Pasuruan), a
moderator of another region (35.05, Kabupaten Blitar) and an admin. A moderator sees their region and the
agreements it is party to; any other report is a 404 for them (it does not exist for them). Public pages: all."""

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.reports.models import RegionReportSetting
from tests.reports_helpers import BLITAR, PASURUAN

ROLES = ("visitor", "buyer", "owner", "moderator", "other_moderator", "admin")
L = "login"
TRADE = "trade-kopi-siaga-berkah-telur-2025"  # its parties are free-text notes, no region: no report

MATRIX = [
    ("get", "/reports/", (L, 404, 404, 200, 200, 200)),
    ("get", "/reports/region/35.14", (L, 404, 404, 200, 404, 200)),
    ("get", "/reports/region/35.05", (L, 404, 404, 404, 200, 200)),
    ("get", "/reports/region/35.14?from=2026-01&to=2026-04", (L, 404, 404, 200, 404, 200)),
    ("get", "/reports/region/35.14?format=xlsx", (L, 404, 404, 200, 404, 200)),
    ("get", "/reports/region/35.14?format=csv&table=inquiries", (L, 404, 404, 200, 404, 200)),
    ("get", "/reports/region/35.14?format=csv&table=no-such-table", (L, 404, 404, 404, 404, 404)),
    ("get", "/reports/region/99.99", (L, 404, 404, 404, 404, 404)),
    ("get", "/reports/region/35.14/standard", (L, 404, 404, 200, 404, 200)),
    ("post", "/reports/region/35.14/standard", (L, 404, 404, 302, 404, 302)),
    ("get", f"/reports/agreement/{PASURUAN}", (L, 404, 404, 200, 404, 200)),
    ("get", "/reports/agreement/{pasuruan_id}", (L, 404, 404, 200, 404, 200)),
    ("get", f"/reports/agreement/{PASURUAN}?format=xlsx", (L, 404, 404, 200, 404, 200)),
    ("get", f"/reports/agreement/{PASURUAN}?format=csv&table=lead_matrix", (L, 404, 404, 200, 404, 200)),
    ("get", f"/reports/agreement/{BLITAR}", (L, 404, 404, 404, 200, 200)),
    ("get", f"/reports/agreement/{TRADE}", (L, 404, 404, 404, 404, 404)),
    ("get", "/impact", (200,) * 6),
    ("get", f"/impact/{PASURUAN}", (200,) * 6),
    ("get", f"/impact/{PASURUAN}/embed", (200,) * 6),
    ("get", f"/impact/{PASURUAN}/og.png", (200,) * 6),
    ("get", f"/impact/{TRADE}", (404,) * 6),
    ("get", "/impact/%C2%B2", (404,) * 6),  # a digit that is not ASCII: a key, never an id
    ("get", "/reports/agreement/%C2%B2", (L, 404, 404, 404, 404, 404)),
    ("get", "/api/v1/impact", (200,) * 6),
]


@pytest.fixture
def users(make_user, make_business):
    return {"buyer": make_user(role=Role.BUYER, region="35.14"), "owner": make_business(region="35.14").owner,
            "moderator": make_user(role=Role.MODERATOR, region="35.14"),
            "other_moderator": make_user(role=Role.MODERATOR, region="35.05"), "admin": make_user(role=Role.ADMIN)}


def audit_count() -> int:
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.object_type != "user"))


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(client, auth, users, role):
    if role != "visitor":
        auth.login(users[role].email)
    ids = {"pasuruan_id": db.session.scalar(db.select(Agreement.id).where(Agreement.key == PASURUAN))}
    page = "/my/" if role != "visitor" else "/auth/login"
    wrong = []
    for method, path, expected in MATRIX:
        url = path.format(**ids)
        before = audit_count()
        response = client.get(url) if method == "get" else client.submit(url, {"hours": "48"}, page=page)
        want = expected[ROLES.index(role)]
        got = "login" if response.status_code == 302 and "/auth/login" in response.location else response.status_code
        if got != want:
            wrong.append((method, url, got, want))
        if method == "post":
            assert audit_count() == before + (1 if want == 302 else 0), url
    assert not wrong


def test_moderator_index_lists_their_region_and_its_agreements_only(client, auth, users):
    auth.login(users["moderator"].email)
    html = client.get("/reports/").get_data(as_text=True)
    assert "/reports/region/35.14" in html and "/reports/region/35.05" not in html
    assert f"/reports/agreement/{PASURUAN}" in html and f"/reports/agreement/{BLITAR}" not in html
    assert "/reports/region/35.14" in client.get("/").get_data(as_text=True)  # the staff menu's entry


def test_standard_form_keeps_bad_input_with_a_message(client, auth, users):
    auth.login(users["moderator"].email)
    response = client.submit("/reports/region/35.14/standard?lang=en", {"hours": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Between 1 and 1440 hours." in html and 'value="0"' in html
    assert db.session.get(RegionReportSetting, "35.14") is None
    client.submit("/reports/region/35.14/standard", {"hours": "36"})
    db.session.expire_all()
    assert db.session.get(RegionReportSetting, "35.14").review_standard_hours == 36
    assert "36" in client.get("/reports/region/35.14").get_data(as_text=True)
