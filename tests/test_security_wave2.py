"""Review of wave 2 (docs/SECURITY.md, "Review of wave 2"): each finding of the review with the test that fails
without its fix, and the checks of the review that needed no change (a staff account moved to another institution).
The route-wide checks (every route in a matrix, CSRF on every POST) are in test_security_wave2_routes.py."""

from datetime import date, timedelta

import pytest

from config import TestingConfig
from marketplace import create_app
from marketplace.accounts.models import Role, User
from marketplace.events import services as events
from marketplace.extensions import db
from marketplace.institutions import service_requests
from marketplace.institutions.models import ServiceKind
from marketplace.regions.services import save_agreement
from marketplace.staples import posts
from marketplace.staples.models import PostKind
from marketplace.unit_of_work import unit_of_work
from tests.conftest import Client
from tests.events_helpers import NOW
from tests.institutions_helpers import institution, pdf_bytes, service
from tests.staples_helpers import content, published

# --- finding: the error handler's "back to the page you came from" was an open redirect ---------------------------


@pytest.mark.parametrize("referrer", [
    "http://localhost//evil.example/masuk",
    "http://localhost/\\evil.example/masuk",
    "http://localhost/\t/evil.example/masuk",
], ids=["double-slash", "backslash", "tab"])
def test_a_refused_post_never_sends_the_browser_to_another_host(client, auth, make_product, referrer):
    """A refused action (here: sending a product without a photo) goes back to the page it was sent from, read from
    the Referer; a path starting with // (or a backslash, a tab) is another host to a browser."""
    product = make_product(status="draft", photos=0)
    auth.login(product.business.owner.email)
    token = client.csrf_token("/my/products")
    response = client.post(f"/my/products/{product.id}/submit", data={"csrf_token": token},
                           headers={"Referer": referrer})
    location = response.headers.get("Location", "")
    assert "evil.example" not in location
    assert not location.startswith("//") and "\\" not in location


def test_a_refused_post_still_goes_back_to_the_page_of_this_site(client, auth, make_product):
    product = make_product(status="draft", photos=0)
    auth.login(product.business.owner.email)
    token = client.csrf_token("/my/products")
    response = client.post(f"/my/products/{product.id}/submit", data={"csrf_token": token},
                           headers={"Referer": "http://localhost/my/products?status=draft"})
    assert response.status_code == 302 and response.headers["Location"] == "/my/products?status=draft"


# --- finding: /healthz refused a probe that calls the server by its address --------------------------------------

@pytest.fixture(scope="module")
def site(app):
    settings = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR", "MAIL_OUTBOX_DIR")}
    site = create_app(type("HostsConfig", (TestingConfig,), {**settings, "BASE_URL": "https://etalase.example.id"}))
    site.test_client_class = Client
    return site


def test_healthz_answers_a_probe_by_address_and_every_other_page_still_refuses_the_host(site):
    client = site.test_client()
    response = client.get("/healthz", base_url="http://10.0.0.7:8000")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}
    assert "10.0.0.7" not in response.get_data(as_text=True)
    for path in ("/", "/robots.txt", "/auth/reset", "/healthz/", "/api/v1/products"):
        assert client.get(path, base_url="http://10.0.0.7:8000").status_code == 400, path


# --- finding: the staples "why not" tool showed another region's unpublished posts -------------------------------

@pytest.fixture
def foreign_posts(make_user, make_business):
    """A published offer of Kota Probolinggo; of Kabupaten Blitar a published need, a pending one and a rejected one."""
    kota = make_business(region="35.74", name="Kopi Siaga")
    blitar = make_business(region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, kota, PostKind.OFFER, quantity=20, unit="ton")
    need = published(make_user, blitar, PostKind.NEED, quantity=10)
    blitar_mod = db.session.scalar(db.select(User).where(User.role == Role.MODERATOR, User.region_code == "35.05"))
    with unit_of_work():
        pending = posts.create_post(blitar, PostKind.NEED, content(quantity=7, price_min=4_900_000, price_max=5_100_000))
        rejected = posts.create_post(blitar, PostKind.NEED, content(quantity=8))
        posts.review_post(blitar_mod, rejected, "reject", "Harga tidak wajar")
    return {"offer": offer, "need": need, "pending": pending, "rejected": rejected, "blitar": blitar}


def test_the_pair_tool_shows_another_region_only_posts_that_have_been_public(client, auth, make_user, foreign_posts):
    auth.login(make_user(role=Role.MODERATOR, region="35.74").email)
    offer = foreign_posts["offer"].id
    assert client.get(f"/moderation/staples/pairs?offer={offer}&need={foreign_posts['need'].id}").status_code == 200
    for hidden in ("pending", "rejected"):
        response = client.get(f"/moderation/staples/pairs?offer={offer}&need={foreign_posts[hidden].id}")
        assert response.status_code == 404, hidden
        assert "Berkah Telur" not in response.get_data(as_text=True)


def test_the_region_of_an_unpublished_post_still_checks_it_in_the_pair_tool(client, auth, make_user, foreign_posts):
    auth.login(make_user(role=Role.MODERATOR, region="35.05").email)
    url = f"/moderation/staples/pairs?offer={foreign_posts['offer'].id}&need={foreign_posts['pending'].id}"
    assert client.get(url).status_code == 200


# --- finding: an event could be tied to an agreement without the promotion scope --------------------------------

def test_an_event_is_never_tied_to_a_staples_only_agreement(client, auth, make_user):
    with unit_of_work():
        staples_only = save_agreement(None, None, title="Kerja sama bahan pokok", number=None, signed_on=date(2025, 6, 17),
                                      valid_from=date(2025, 6, 17), valid_until=None, scopes=["staples"],
                                      region_codes=["35.13", "35.74"])
    moderator = make_user(role=Role.MODERATOR, region="35.13")
    with pytest.raises(events.EventRefused), unit_of_work():
        events.create_event(moderator, host_region_code="35.13", title="Pameran Bahan Pokok", venue_name="Alun-alun",
                            starts_at=NOW + timedelta(days=20), ends_at=NOW + timedelta(days=21),
                            apply_by=NOW + timedelta(days=10), confirm_days=3, agreement=staples_only,
                            partners_only=True, published=True)
    # through the form, whose agreement list is not checked against its choices: the id is posted anyway
    auth.login(moderator.email)
    response = client.submit("/moderation/events/new", {
        "title": "Pameran Bahan Pokok", "kind": "bazaar", "host_region": "35.13", "venue_name": "Alun-alun",
        "starts_on": "2026-12-20", "opens_at": "08:00", "ends_on": "2026-12-21", "closes_at": "16:00",
        "apply_by": "2026-12-10", "confirm_days": "3", "agreement": str(staples_only.id), "partners_only": "y",
        "published": "y"})
    assert response.status_code == 200  # the form again, with the refusal
    from marketplace.events.models import Event
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


# --- checked, no change needed: a staff account moved to another institution -----------------------------------

def test_staff_moved_to_another_institution_lose_the_old_requests_on_their_next_request(client, auth, make_user,
                                                                                       make_business, make_product):
    business = make_business(region="35.13", name="Batik Tegalsiwalan")
    product = make_product(business=business, category="batik-tulis", status="published")
    staff = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id)
    with unit_of_work():
        request = service_requests.start_request(business.owner, business, service("bbspjikb", ServiceKind.SNI),
                                                 products=[product])
        from marketplace.institutions.request_models import DocumentKind
        for kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
            service_requests.add_document(business.owner, request, kind, pdf_bytes(), "dokumen.pdf")
        service_requests.submit_request(business.owner, request, link="/my/services/1",
                                        inbox_url="http://localhost/my/notifications")
    auth.login(staff.email)
    page = f"/institution/requests/{request.id}"
    assert client.get(page).status_code == 200
    with unit_of_work():  # the admin moves the account (the same session cookie stays in the browser)
        db.session.get(User, staff.id).institution_id = institution("pendamping-pph-kab-probolinggo").id
    assert client.get(page).status_code == 404
    assert client.get(f"{page}/documents/{request.documents[0].id}").status_code == 404
    assert request.id not in {int(part) for part in _request_ids(client.get("/institution/").get_data(as_text=True))}


def _request_ids(html: str) -> list[str]:
    import re

    return re.findall(r"/institution/requests/(\d+)", html)


# --- finding: the audit log's CSV wrote the actor's email as it was (a valid address can be a formula) -------------

DDE = "=cmd|'/Ccalc.exe'!A0@example.id"  # accepted by the sign-up form's email check


def test_an_email_that_is_a_formula_stays_text_in_the_audit_csv(client, auth, make_user):
    import csv
    import io

    attacker = make_user(role=Role.BUYER, region="35.74", email=DDE)
    auth.login(attacker.email)  # audited as user.login, by that actor
    auth.logout()
    auth.login(make_user(role=Role.ADMIN).email)
    rows = list(csv.reader(io.StringIO(client.get("/moderation/audit?format=csv").get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + attacker.email in cells and attacker.email.startswith("=")
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


# --- finding: the calendar files named events by the Host of the request ---------------------------------------

def test_calendar_uids_and_links_use_the_sites_address_whatever_allowed_name_was_asked(app, make_user, monkeypatch):
    from marketplace.events import clock
    from tests.events_helpers import make_event

    monkeypatch.setattr(clock, "now", lambda: NOW)
    event = make_event(make_user)
    settings = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR", "MAIL_OUTBOX_DIR")}
    aliased = create_app(type("AliasConfig", (TestingConfig,), {
        **settings, "BASE_URL": "https://etalase.example.id", "TRUSTED_HOSTS": ["www.etalase.example.id"]}))
    client = aliased.test_client()
    for path in ("/events.ics", f"/events/{event.slug}.ics"):
        body = client.get(path, base_url="http://www.etalase.example.id").get_data(as_text=True)
        assert f"UID:event-{event.id}@etalase.example.id" in body, path
        assert "www.etalase" not in body, path
