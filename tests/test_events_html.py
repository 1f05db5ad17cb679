"""The event pages are valid HTML (Nu HTML validator), in Indonesian and English, for each role that sees them."""


import pytest

from marketplace.events import booths, clock
from marketplace.events.models import Application, Decision
from marketplace.extensions import db
from marketplace.unit_of_work import unit_of_work
from tests.events_helpers import NOW, apply_for, decide_and_release, make_event
from tests.test_html_validity import LANGUAGES, assert_valid_html, vnu_command, with_language


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def test_event_pages_are_valid_html(client, auth, make_user, make_business, make_product, tmp_path):
    vnu = vnu_command()
    event = make_event(make_user, count=2)
    confirmed = apply_for(event, make_business, make_product, name="Keripik Bromo")
    waiting = apply_for(event, make_business, make_product, name="Kopi Tengger")
    decide_and_release(event, {confirmed: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(confirmed.owner, db.session.get(Application, confirmed.id), NOW)
        booths.prepare_decision(event.staff, db.session.get(Application, waiting.id), Decision.WAITLIST, "Penuh")
    pages = {}

    def render(paths):
        for path in paths:
            for lang in LANGUAGES:
                url = with_language(path, lang)
                response = client.get(url)
                assert response.status_code == 200, url
                pages[url] = response.get_data(as_text=True)

    render(["/events", f"/events/{event.slug}", f"/events/{event.slug}/booths/{confirmed.id}"])
    auth.login(confirmed.owner.email)
    render(["/my/events", f"/my/events/{event.slug}/apply"])
    auth.logout()
    auth.login(event.staff.email)
    render(["/moderation/events", "/moderation/events/new", f"/moderation/events/{event.id}",
            f"/moderation/events/{event.id}/applications"])
    assert_valid_html(vnu, pages, tmp_path)
