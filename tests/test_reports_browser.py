"""In Debian's Chromium at phone size, in both languages: the public impact pages and the staff dashboards fit 360 px
(wide tables scroll inside their box) and have no serious axe violation."""

import pytest

from marketplace.accounts.models import Role
from marketplace.unit_of_work import unit_of_work
from tests.reports_helpers import ARGS, PASURUAN, build
from tests.test_events_browser import PHONE, fits_the_phone, log_in, serious_violations

pytestmark = pytest.mark.browser


def test_report_pages_fit_a_phone_and_pass_axe(browser, live_server, app, make_user):
    with app.test_request_context(), unit_of_work():
        build(make_user)
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    problems = []
    visitor = browser.new_context(viewport=PHONE).new_page()
    staff = browser.new_context(viewport=PHONE).new_page()
    log_in(staff, live_server, moderator.email)
    for page, paths in ((visitor, ("/impact", f"/impact/{PASURUAN}", f"/impact/{PASURUAN}/embed")),
                        (staff, ("/reports/", "/reports/region/35.74", f"/reports/agreement/{PASURUAN}",
                                 "/reports/region/35.74/standard"))):
        for path in paths:
            for lang in ("id", "en"):
                url = f"{live_server}{path}{'&' if '?' in path else '?'}{ARGS}&lang={lang}"
                page.goto(url)
                problems += [(url, "too wide")] * (not fits_the_phone(page))
                problems += [(url, v) for v in serious_violations(page)]
    assert problems == []
