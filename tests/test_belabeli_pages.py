"""Bela beli through its pages: a coordinator logs a purchase with a receipt photo, the seller confirms it, the
office's fulfilment goes up; forms keep what was typed; scoping; the public page names nobody; the CSV report;
quote requests; purchases waiting too long are flagged to DKUPP."""

import csv
import io
from datetime import timedelta
from io import BytesIO

import pytest

from marketplace.belabeli import quotes
from marketplace.belabeli.models import OfferStatus, Purchase, PurchaseStatus, QuoteOffer
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.notifications.models import Notification
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.belabeli_helpers import TARGET, confirm, log, make_site
from tests.conftest import jpeg_bytes


@pytest.fixture
def site(app, make_user, make_business):
    return make_site(make_user, make_business)


def purchase_form(site, **overrides):
    data = {"business": str(site.seller.id), "amount": "125000", "bought_on": today().isoformat(), "band": "staff",
            "note": "Oleh-oleh rapat", "receipt": (BytesIO(jpeg_bytes()), "struk.jpg")}
    return {**data, **overrides}


def test_coordinator_logs_seller_confirms_fulfilment_goes_up(site, client, auth):
    auth.login(site.coordinator.email)
    office = f"/bela-beli/offices/{site.office.id}"
    assert client.get("/office").location.endswith(office)
    assert "Rp 0" in client.get(office).get_data(as_text=True)
    response = client.submit(f"{office}/purchases/new", purchase_form(site), content_type="multipart/form-data")
    assert response.status_code == 302
    purchase = db.session.scalar(db.select(Purchase))
    assert purchase.status is PurchaseStatus.PENDING and purchase.amount == 125_000
    assert purchase.receipt.endswith(".jpg") and "struk" not in purchase.receipt
    page = client.get(office).get_data(as_text=True)
    assert 'id="confirmed">Rp 0<' in page  # waiting for the seller: not counted
    auth.logout()

    auth.login(site.seller.owner.email)
    mine = client.get("/my/bela-beli").get_data(as_text=True)
    assert "Kecamatan Sukapura" in mine and "Rp 125.000" in mine
    assert client.get(f"/my/bela-beli/purchases/{purchase.id}/receipt").status_code == 200
    assert client.submit(f"/my/bela-beli/purchases/{purchase.id}/confirm", {}, page="/my/bela-beli").status_code == 302
    auth.logout()

    auth.login(site.coordinator.email)
    page = client.get(office).get_data(as_text=True)
    assert 'id="confirmed">Rp 125.000<' in page
    assert f'id="target">Rp {TARGET:,}<'.replace(",", ".") in page


def test_the_purchase_form_keeps_what_was_typed(site, client, auth):
    auth.login(site.coordinator.email)
    url = f"/bela-beli/offices/{site.office.id}/purchases/new"
    response = client.submit(url, purchase_form(site, receipt=(BytesIO(b"not an image"), "struk.jpg")),
                             content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="125000"' in html and "Oleh-oleh rapat" in html
    assert f'<option selected value="{site.seller.id}">' in html or f'value="{site.seller.id}" selected' in html
    assert 'class="error"' in html
    response = client.submit(url, purchase_form(site, amount="0"), content_type="multipart/form-data")
    assert response.status_code == 422 and "Oleh-oleh rapat" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Purchase.id))) == 0


def test_scoping_another_office_another_region_another_seller(site, client, auth, make_user, make_business):
    from marketplace.accounts.models import Role

    purchase = log(site, 60_000)
    auth.login(site.other_coordinator.email)
    assert client.get(f"/bela-beli/offices/{site.office.id}").status_code == 404
    assert client.get(f"/bela-beli/purchases/{purchase.id}/receipt").status_code == 404
    auth.logout()
    auth.login(make_user(role=Role.MODERATOR, region="35.74").email)
    assert client.get(f"/bela-beli/offices/{site.office.id}").status_code == 404
    assert client.get("/moderation/bela-beli/35.13").status_code == 404
    assert client.get("/moderation/bela-beli/35.13/fulfilment.csv").status_code == 404
    auth.logout()
    auth.login(make_business(region="35.13", name="Usaha Lain").owner.email)
    assert "Kecamatan Sukapura" not in client.get("/my/bela-beli").get_data(as_text=True)
    assert client.get(f"/my/bela-beli/purchases/{purchase.id}/receipt").status_code == 404


def test_the_public_page_shows_aggregates_and_no_name(site, client):
    confirm(site, log(site, TARGET))
    log(site, 40_000)
    for lang in ("id", "en"):
        html = client.get(f"/bela-beli?lang={lang}").get_data(as_text=True)
        assert "Rp 800.000" in html
        for name in ("Siti Koordinator Sukapura", "Budi Koordinator Pariwisata", "Pengguna Uji",
                     site.coordinator.email, "Kecamatan Sukapura", "Dinas Pariwisata"):
            assert name not in html
    assert "1 dari 2" in client.get("/bela-beli?lang=id").get_data(as_text=True)
    assert "/bela-beli?region=35.13" in client.get("/regions/35.13").get_data(as_text=True)  # the region links to it
    assert "/bela-beli?region=" not in client.get("/regions/35.74").get_data(as_text=True)


def test_the_csv_report_has_the_offices_format(site, client, auth):
    confirm(site, log(site, 120_000))
    auth.login(site.moderator.email)
    month = today().strftime("%Y-%m")
    response = client.get(f"/moderation/bela-beli/35.13/fulfilment.csv?month={month}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["month", "office", "band", "headcount", "target", "confirmed_amount", "share"]
    assert [month, "Kecamatan Sukapura", "staff", "10", "500000", "120000", "0.2400"] in rows
    assert len(rows) == 1 + 2 * 5  # two offices × five bands


def test_purchases_waiting_too_long_are_flagged_to_dkupp(site, client, auth):
    purchase = log(site, 55_000)
    fresh = log(site, 45_000)
    with unit_of_work():
        db.session.get(Purchase, purchase.id).created_at = utcnow() - timedelta(days=8)
    auth.login(site.moderator.email)
    html = client.get("/moderation/bela-beli/35.13").get_data(as_text=True)
    assert f'id="flagged-{purchase.id}"' in html and f'id="flagged-{fresh.id}"' not in html


def test_quote_request_answers_and_one_accepted(site, client, auth, make_business, make_product):
    make_product(status="published", business=site.seller, category="keripik", name="Keripik Kentang")
    other = make_business(region="35.13", name="Nasi Tengger")
    make_product(status="published", business=other, category="keripik", name="Rengginang")
    craft = make_business(region="35.13", name="Batik Sukapura")
    make_product(status="published", business=craft, category="batik-tulis")
    assert [b.name for b in quotes.food_sellers("35.13")] == ["Keripik Kentang Bromo", "Nasi Tengger"]

    auth.login(site.coordinator.email)
    url = f"/bela-beli/offices/{site.office.id}/quotes/new"
    data = {"what": "Nasi kotak rapat", "quantity": "40 kotak", "needed_on": (today() + timedelta(days=5)).isoformat(),
            "budget": "1200000", "occasion": "Rapat koordinasi Kasada", "sellers": [str(site.seller.id), str(other.id)]}
    bad = client.submit(url, {**data, "what": ""})
    assert bad.status_code == 422 and "Rapat koordinasi Kasada" in bad.get_data(as_text=True)
    response = client.submit(url, data)
    assert response.status_code == 302
    quote_url = response.location
    auth.logout()
    offers = {o.business_id: o for o in db.session.scalars(db.select(QuoteOffer))}
    for business, price in ((site.seller, 1_100_000), (other, 950_000)):
        auth.login(business.owner.email)
        assert client.submit(f"/my/bela-beli/offers/{offers[business.id].id}", {"price": str(price), "note": "Termasuk air"},
                             page="/my/bela-beli").status_code == 302
        auth.logout()
    auth.login(site.coordinator.email)
    html = client.get(quote_url).get_data(as_text=True)
    assert html.index("Nasi Tengger") < html.index("Keripik Kentang Bromo")  # lowest price first
    accept = f"{quote_url}/offers/{offers[other.id].id}/accept"
    assert client.submit(accept, {}, page=quote_url).status_code == 302
    statuses = {o.business_id: o.status for o in db.session.scalars(db.select(QuoteOffer))}
    assert statuses == {other.id: OfferStatus.ACCEPTED, site.seller.id: OfferStatus.DECLINED}
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(db.select(Notification))}
    assert (other.owner_id, "quote.accept") in kinds and (site.seller.owner_id, "quote.decline") in kinds
    assert (site.coordinator.id, "quote.answer") in kinds


def test_a_coordinator_is_invited_with_the_staff_invitation(site, client, auth, outbox):
    from marketplace.accounts.models import Role, User

    auth.login(site.moderator.email)
    response = client.submit(f"/moderation/bela-beli/offices/{site.office.id}/coordinator",
                             {"email": "koordinator.baru@example.id", "name": "Koordinator Baru", "locale": "id"},
                             page="/moderation/bela-beli/35.13")
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "koordinator.baru@example.id"))
    assert user.role is Role.OFFICE_COORDINATOR and user.office_id == site.office.id and user.invitation_pending
    assert "koordinator.baru@example.id" in outbox()[-1]["To"]


def test_the_public_figures_are_kept_a_few_minutes_and_the_page_answers_without_the_cache(site, client, app,
                                                                                          monkeypatch, caplog):
    from marketplace.extensions import cache

    monkeypatch.setitem(app.config, "REPORTS_CACHE_SECONDS", 600)
    cache.clear()
    confirm(site, log(site, TARGET))
    page = client.get("/bela-beli?lang=en").get_data(as_text=True)
    assert "Rp 800.000" in page and "refreshed every few minutes" in page
    confirm(site, log(site, 50_000))
    assert "Rp 800.000" in client.get("/bela-beli?lang=en").get_data(as_text=True)  # the kept figures
    assert "Rp 850.000" in client.get("/bela-beli?lang=id").get_data(as_text=True)  # each language its own

    def down(*_args, **_kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    response = client.get("/bela-beli?lang=en")
    assert response.status_code == 200 and "Rp 850.000" in response.get_data(as_text=True)
    assert "reports cache unavailable" in caplog.text
