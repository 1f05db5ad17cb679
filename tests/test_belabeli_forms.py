"""The purchase form lists the chosen seller's products: without JavaScript through the "show this seller's products"
step (what was typed is kept), with it through the products address (scoped to the office's programme); DKUPP asks
food sellers for a quote for no office, from its programme page."""

from datetime import timedelta

import pytest

from marketplace.belabeli.models import QuoteRequest
from marketplace.extensions import db
from marketplace.timeutil import today
from tests.belabeli_helpers import make_servant, make_site


@pytest.fixture
def site(app, make_user, make_business, make_product):
    site = make_site(make_user, make_business)
    make_product(status="published", business=site.seller, category="keripik", name="Keripik Kentang Balado")
    return site


def test_the_choose_step_lists_the_sellers_products_and_keeps_what_was_typed(site, client, auth):
    auth.login(site.coordinator.email)
    url = f"/bela-beli/offices/{site.office.id}/purchases/new"
    assert "Keripik Kentang Balado" not in client.get(url).get_data(as_text=True)
    response = client.submit(url, {"business": str(site.seller.id), "amount": "65000", "note": "Untuk tamu",
                                   "band": "eselon_iii", "choose": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Keripik Kentang Balado" in page
    assert 'value="65000"' in page and 'value="Untuk tamu"' in page and '<option selected value="eselon_iii">' in page
    assert 'class="error"' not in page  # a step, not a refusal
    assert db.session.scalar(db.select(db.func.count()).select_from(QuoteRequest)) == 0


def test_the_products_address_is_scoped_to_the_offices_programme(site, client, auth, make_user, make_business):
    elsewhere = make_business(region="35.74", name="Usaha Kota")
    office = f"/bela-beli/offices/{site.office.id}"
    auth.login(site.coordinator.email)
    data = client.get(f"{office}/sellers/{site.seller.id}/products").get_json()
    assert [p["name"] for p in data["products"]] == ["Keripik Kentang Balado"]
    assert client.get(f"{office}/sellers/{elsewhere.id}/products").status_code == 404
    assert client.get(f"/bela-beli/offices/{site.other_office.id}/sellers/{site.seller.id}/products").status_code == 404
    auth.logout()
    servant = make_servant(site, make_user)
    auth.login(servant.email)
    assert client.get(f"{office}/sellers/{site.seller.id}/products").status_code == 200
    assert client.get(f"/bela-beli/offices/{site.other_office.id}/sellers/{site.seller.id}/products").status_code == 404
    assert "Keripik Kentang Balado" in client.submit(
        "/bela-beli/me/purchases/new", {"business": str(site.seller.id), "choose": "1"}).get_data(as_text=True)


def test_dkupp_asks_for_a_quote_for_no_office(site, client, auth, make_product):
    make_product(status="published", business=site.seller, category="makanan-olahan", name="Nasi Kotak")
    auth.login(site.moderator.email)
    assert "/moderation/bela-beli/35.13/quotes/new" in client.get("/moderation/bela-beli/35.13").get_data(as_text=True)
    url = "/moderation/bela-beli/35.13/quotes/new"
    refused = client.submit(url, {"what": "Nasi kotak rapat DKUPP", "quantity": "30 kotak",
                                  "needed_on": (today() + timedelta(days=5)).isoformat()})
    assert refused.status_code == 422 and 'value="Nasi kotak rapat DKUPP"' in refused.get_data(as_text=True)
    response = client.submit(url, {"what": "Nasi kotak rapat DKUPP", "quantity": "30 kotak",
                                   "needed_on": (today() + timedelta(days=5)).isoformat(), "budget": "900000",
                                   "occasion": "Rapat evaluasi bela beli", "sellers": [str(site.seller.id)]})
    assert response.status_code == 302
    quote = db.session.scalar(db.select(QuoteRequest))
    assert quote.office_id is None and quote.requested_by_id == site.moderator.id and len(quote.offers) == 1
    assert "Nasi kotak rapat DKUPP" in client.get("/moderation/bela-beli/35.13").get_data(as_text=True)
    assert client.get(f"/bela-beli/quotes/{quote.id}").status_code == 200
    auth.logout()
    auth.login(site.coordinator.email)
    assert client.get(f"/bela-beli/quotes/{quote.id}").status_code == 404
