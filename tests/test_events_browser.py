"""In Debian's Chromium at phone size: an owner applies for a booth, the host's moderator accepts and releases, the
owner confirms, and the event page lists them; the pages fit 360 px and have no serious axe violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from marketplace.events import clock
from tests.conftest import PASSWORD
from tests.events_helpers import NOW, make_event

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def log_in(page, live_server, email):
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/my/$|/moderation/"))


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def serious_violations(page) -> list[str]:
    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def test_owner_applies_is_accepted_confirms_and_is_listed(browser, live_server, monkeypatch, make_user, make_business,
                                                          make_product):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    event = make_event(make_user, count=3)
    business = make_business(region="35.13", name="Keripik Kentang Tengger")
    make_product(status="published", business=business, category="keripik", name="Keripik Kentang Bromo")

    owner = browser.new_context(viewport=PHONE).new_page()
    log_in(owner, live_server, business.owner.email)
    owner.goto(f"{live_server}/events/{event.slug}")
    assert fits_the_phone(owner) and not serious_violations(owner)
    owner.get_by_role("link", name="Daftar stan").first.click()
    owner.get_by_label("Stan makanan").check()
    owner.get_by_label("Keripik Kentang Bromo").check()
    assert fits_the_phone(owner) and not serious_violations(owner)
    owner.get_by_role("button", name="Kirim pendaftaran").click()
    expect(owner.get_by_text("Pendaftaran terkirim")).to_be_visible()
    expect(owner.get_by_text("menunggu keputusan")).to_be_visible()

    host = browser.new_context(viewport=PHONE).new_page()
    log_in(host, live_server, event.staff.email)
    host.goto(f"{live_server}/moderation/events/{event.id}/applications")
    assert fits_the_phone(host) and not serious_violations(host)
    host.get_by_label("Terima").check()
    host.get_by_role("button", name="Siapkan keputusan").click()
    expect(host.get_by_text("Keputusan dicatat")).to_be_visible()
    host.get_by_role("button", name=re.compile("Umumkan 1 keputusan")).click()
    expect(host.get_by_text("1 keputusan diumumkan")).to_be_visible()

    owner.goto(f"{live_server}/my/events")
    owner.get_by_role("button", name="Konfirmasi stan saya").click()
    expect(owner.get_by_text("Stan terkonfirmasi")).to_be_visible()
    expect(owner.get_by_role("link", name="SVG")).to_be_visible()
    assert fits_the_phone(owner) and not serious_violations(owner)

    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(f"{live_server}/events/{event.slug}")
    expect(visitor.get_by_role("link", name="Keripik Kentang Tengger")).to_be_visible()
    visitor.get_by_role("link", name="Keripik Kentang Tengger").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Keripik Kentang Tengger")
    assert fits_the_phone(visitor) and not serious_violations(visitor)


def test_the_other_event_pages_fit_a_phone_and_pass_axe(browser, live_server, monkeypatch, make_user, make_business,
                                                        make_product):
    from marketplace.events import booths
    from marketplace.events.models import Decision
    from marketplace.extensions import db
    from marketplace.unit_of_work import unit_of_work
    from tests.events_helpers import apply_for, decide_and_release

    monkeypatch.setattr(clock, "now", lambda: NOW)
    event = make_event(make_user)
    application = apply_for(event, make_business, make_product)
    decide_and_release(event, {application: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(application.owner, db.session.merge(application), NOW)
    problems = []
    visitor = browser.new_context(viewport=PHONE).new_page()
    for path in ("/events", f"/events/{event.slug}/booths/{application.id}"):
        visitor.goto(f"{live_server}{path}")
        problems += [(path, "too wide")] * (not fits_the_phone(visitor)) + [(path, v) for v in serious_violations(visitor)]
    host = browser.new_context(viewport=PHONE).new_page()
    log_in(host, live_server, event.staff.email)
    for path in ("/moderation/events", "/moderation/events/new", f"/moderation/events/{event.id}",
                 f"/moderation/events/{event.id}/applications"):
        host.goto(f"{live_server}{path}")
        problems += [(path, "too wide")] * (not fits_the_phone(host)) + [(path, v) for v in serious_violations(host)]
    assert problems == []
