"""The coach's pages are valid HTML (Nu validator) and fit a 360 px phone without sideways scroll, in both languages:
the owner's coach page and product list with hints, the dormant list, a seller's follow-up page, the public pages
with the holiday notice, the reminder in the owner's notifications."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page

from marketplace.accounts.models import Role
from marketplace.coach import services
from marketplace.coach.models import FollowUpKind
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.test_coach_dormant import backdate
from tests.test_html_validity import assert_valid_html, vnu_command, with_language
from tests.test_phone_layout import LANGUAGES, PHONE, log_in, sideways_and_header


@pytest.fixture
def coach_site(make_user, make_business, make_product):
    owner = make_user(role=Role.OWNER, region="35.74", email="pemilik.coach@example.id", name="Sulastri")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="moderator.coach@example.id", name="Rina")
    business = make_business(owner=owner, name="Keripik Tempe Bu Sulastri Mayangan Kota Probolinggo",
                             kecamatan="Mayangan")
    product = make_product(business=business, status="published", name="Keripik Tempe Original Renyah Tanpa Pengawet",
                           description="Renyah.")
    other = make_business(name="Bordir Kanigaran", kecamatan="Kanigaran")
    make_product(business=other, status="published", name="Mukena Bordir")
    backdate(business, 70)
    backdate(other, 70)
    with unit_of_work():
        services.set_away(business, today() + timedelta(days=7), datetime.now(UTC))
        services.log_follow_up(moderator, business, FollowUpKind.VISITED, "Dikunjungi; foto masih gelap. " * 4)
        services.nudge(moderator, business, link="/my/products", inbox_url="http://localhost/my/notifications",
                       now=datetime.now(UTC))
        services.take_snapshots(datetime.now(UTC))
    return {"owner": owner, "moderator": moderator, "business": business, "product": product}


def owner_paths(site):
    business, product = site["business"], site["product"]
    return [f"/my/businesses/{business.id}/coach", "/my/products", f"/my/products/{product.id}/edit",
            "/my/notifications", f"/businesses/{business.slug}", f"/products/{product.id}-{product.slug}"]


def staff_paths(site):
    return ["/moderation/dormant", "/moderation/dormant?signal=login", f"/moderation/dormant/{site['business'].id}",
            "/moderation/"]


def test_the_coach_pages_are_valid_html(client, auth, coach_site, tmp_path):
    vnu = vnu_command()
    pages = {}

    def render(paths):
        for path in paths:
            for lang in LANGUAGES:
                url = with_language(path, lang)
                response = client.get(url)
                assert response.status_code == 200, url
                pages[url] = response.get_data(as_text=True)

    auth.login(coach_site["owner"].email)
    render(owner_paths(coach_site))
    assert "Sedang libur sampai" in pages[with_language(f"/businesses/{coach_site['business'].slug}", "id")]
    auth.logout()
    auth.login(coach_site["moderator"].email)
    render(staff_paths(coach_site))
    assert_valid_html(vnu, pages, tmp_path)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_coach_pages_fit_a_phone(phone: Page, live_server, coach_site, lang):
    problems = []
    log_in(phone, live_server, coach_site["owner"].email)
    for path in owner_paths(coach_site):
        phone.goto(f"{live_server}{with_language(path, lang)}")
        problems += sideways_and_header(phone, path)
    phone.goto(f"{live_server}/my/businesses/{coach_site['business'].id}/coach?lang={lang}")
    assert phone.locator("#h-responsiveness").bounding_box()["y"] < PHONE["height"]  # what the owner came for
    phone.context.clear_cookies()
    log_in(phone, live_server, coach_site["moderator"].email)
    for path in staff_paths(coach_site):
        phone.goto(f"{live_server}{with_language(path, lang)}")
        problems += sideways_and_header(phone, path)
    assert not problems, problems
