"""Staples pages: who gets what on every new route (200, 403, 404, the login page), the public board without contacts,
the moderator's "why not", the CSV exports, and bad input answered beside the field with nothing typed lost."""

from datetime import timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.staples import deals
from marketplace.staples.models import DeliveryTerms, PostKind, StaplesPost, Transport
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes
from tests.staples_helpers import published


@pytest.fixture
def trade(make_user, make_business):
    """Kopi Siaga (35.74) offers corn, Berkah Telur (35.05) needs it; an active deal with one delivery and its note;
    moderators of both regions and of a third (35.07); an owner with no part in it."""
    users = {
        "seller": make_user(role=Role.OWNER, region="35.74", email="kopi.siaga@example.id"),
        "buyer": make_user(role=Role.OWNER, region="35.05", email="berkah.telur@example.id"),
        "stranger": make_user(role=Role.OWNER, region="35.74", email="lain@example.id"),
        "mod_seller": make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id"),
        "mod_buyer": make_user(role=Role.MODERATOR, region="35.05", email="mod.blitar@example.id"),
        "mod_third": make_user(role=Role.MODERATOR, region="35.07", email="mod.malang@example.id"),
        "admin": make_user(role=Role.ADMIN, email="admin@example.id"),
        "buyer_person": make_user(role=Role.BUYER, email="pembeli@example.id"),
    }
    seller = make_business(owner=users["seller"], region="35.74", name="Kopi Siaga", whatsapp="6281111111111")
    buyer = make_business(owner=users["buyer"], region="35.05", name="Koperasi Berkah Telur", whatsapp="6282222222222")
    make_business(owner=users["stranger"], region="35.74", name="Usaha Lain")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20, price_min=4_500_000, unit="ton")
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    with unit_of_work():
        deal = deals.propose_deal(users["seller"], {seller.id}, offer, need, volume=10_000, unit_price=4500,
                                  starts_on=today(), ends_on=today() + timedelta(days=30),
                                  delivery_terms=DeliveryTerms.FRANCO, transport_by=Transport.SELLER, on=today())
        deals.confirm_deal(users["buyer"], {buyer.id}, deal)
        delivery = deals.log_delivery(users["seller"], {seller.id}, deal, delivered_on=today(), quantity=4_000,
                                      quality="kadar air 14 %", received_by="Pak Sutrisno", note_photo=jpeg_bytes())
    return {"users": users, "offer": offer, "need": need, "deal": deal, "delivery": delivery}


def _paths(t):
    o, n, d, v = t["offer"].id, t["need"].id, t["deal"].id, t["delivery"].id
    return {
        "board": "/staples", "commodity": "/staples/jagung-pipilan-kering",
        "mine": "/my/staples", "new": "/my/staples/new", "edit": f"/my/staples/posts/{o}/edit",
        "match": f"/my/staples/matches/{o}/{n}", "deal": f"/my/staples/deals/{d}", "note": f"/my/staples/deliveries/{v}/note",
        "staff": "/moderation/staples", "review": f"/moderation/staples/posts/{o}", "pair": f"/moderation/staples/pairs?offer={o}&need={n}",
        "staff_deal": f"/moderation/staples/deals/{d}", "staff_note": f"/moderation/staples/deliveries/{v}/note",
        "deals_csv": "/moderation/staples/deals.csv", "deliveries_csv": "/moderation/staples/deliveries.csv",
        "prices": "/moderation/staples/prices", "commodities": "/admin/commodities",
    }


# who -> page -> status (302: the login page)
EXPECTED = {
    None: dict.fromkeys(["mine", "new", "edit", "match", "deal", "note", "staff", "review", "pair", "staff_deal",
                         "staff_note", "deals_csv", "deliveries_csv", "prices", "commodities"], 302) | {"board": 200, "commodity": 200},
    "seller": {"board": 200, "mine": 200, "new": 200, "edit": 200, "match": 200, "deal": 200, "note": 200,
               "staff": 403, "review": 403, "staff_deal": 403, "deals_csv": 403, "prices": 403, "commodities": 403},
    "buyer": {"mine": 200, "edit": 404, "match": 200, "deal": 200, "note": 200},
    "stranger": {"mine": 200, "new": 200, "edit": 404, "match": 404, "deal": 404, "note": 404},
    "buyer_person": {"mine": 403, "new": 403, "deal": 403, "staff": 403, "commodities": 403},
    "mod_seller": {"staff": 200, "review": 200, "pair": 200, "staff_deal": 200, "staff_note": 200, "deals_csv": 200,
                   "deliveries_csv": 200, "prices": 200, "mine": 403, "deal": 403, "commodities": 403},
    "mod_buyer": {"staff": 200, "review": 404, "pair": 200, "staff_deal": 200, "staff_note": 200, "deals_csv": 200},
    "mod_third": {"staff": 200, "review": 404, "pair": 404, "staff_deal": 404, "staff_note": 404},
    "admin": {"commodities": 200, "prices": 200, "staff": 403, "staff_deal": 403, "mine": 403},
}


@pytest.mark.parametrize("who", list(EXPECTED), ids=lambda who: who or "visitor")
def test_permissions_of_every_route(client, auth, trade, who):
    if who is not None:
        assert auth.login(trade["users"][who].email).status_code == 302
    paths = _paths(trade)
    for page, status in EXPECTED[who].items():
        response = client.get(paths[page])
        assert response.status_code == status, (who, page, response.status_code)
        if status == 302:
            assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("path", "data"), [
    ("/my/staples/posts/{offer}/withdraw", {}),
    ("/my/staples/deals/{deal}/confirm", {}),
    ("/my/staples/deals/{deal}/close", {"close-reason": "x"}),
    ("/my/staples/deals/{deal}/deliveries", {"quantity": "1", "received_by": "x", "delivered_on": "2026-01-01"}),
    ("/my/staples/deliveries/{delivery}/confirm", {}),
    ("/my/staples/deliveries/{delivery}/dispute", {"dispute-reason": "x"}),
])
def test_posts_of_another_business_are_404(client, auth, trade, path, data):
    auth.login(trade["users"]["stranger"].email)
    url = path.format(offer=trade["offer"].id, deal=trade["deal"].id, delivery=trade["delivery"].id)
    assert client.submit(url, data, page="/my/staples").status_code == 404


def test_posts_need_a_login_and_the_owner_role(client, auth, trade):
    assert client.post(f"/my/staples/posts/{trade['offer'].id}/withdraw", data={}).status_code in (302, 400)
    auth.login(trade["users"]["mod_seller"].email)
    assert client.submit(f"/my/staples/posts/{trade['offer'].id}/withdraw", {}, page="/moderation/staples").status_code == 403


def test_the_public_board_shows_volumes_and_no_contacts(client, trade):
    html = client.get("/staples").get_data(as_text=True)
    assert "Kopi Siaga" in html and "Kota Probolinggo" in html and "Kabupaten Blitar" in html
    assert "20.000 kg" in html and "10.000 kg" in html  # per month, in the base unit
    assert "6281111111111" not in html and "wa.me" not in html and "kopi.siaga@example.id" not in html
    assert "Rp 22.000" in html  # the HAP band of eggs at the producer


def test_the_commodity_page_has_an_accessible_chart_with_the_same_figures_in_a_table(client, trade):
    html = client.get("/staples/jagung-pipilan-kering").get_data(as_text=True)
    assert '<svg' in html and 'role="img"' in html and "<title id=\"price-chart-title\">" in html
    month = trade["offer"].starts_on.strftime("%Y-%m")
    assert html.count(month) >= 4  # two chart axes and two tables
    assert "Rp 4.500" in html  # Rp 4.500.000 a tonne is Rp 4.500 a kilo
    assert "Rp 4.200" in html  # HAP at the producer, moisture 15 %
    assert client.get("/staples/no-such-thing").status_code == 404


def test_an_expired_post_leaves_the_board(client, trade):
    with unit_of_work():
        offer = db.session.get(StaplesPost, trade["offer"].id)
        offer.starts_on, offer.ends_on = today() - timedelta(days=20), today() - timedelta(days=1)
    html = client.get("/staples").get_data(as_text=True)
    assert "Kopi Siaga" not in html


def test_the_moderator_sees_which_rule_failed(client, auth, trade, make_user, make_business):
    malang = make_business(region="35.07", name="Koperasi Desa Merah Putih Malang")
    need = published(make_user, malang, PostKind.NEED, quantity=10)
    auth.login(trade["users"]["mod_seller"].email)
    html = client.get(f"/moderation/staples/pairs?offer={trade['offer'].id}&need={need.id}&lang=en").get_data(as_text=True)
    assert "They do not match." in html
    assert '<li id="rule-regions"><span class="rule-failed">failed</span>' in html
    assert '<li id="rule-commodity"><span class="rule-held">held</span>' in html


def test_both_regions_see_the_deal_in_their_exports_and_a_third_does_not(client, auth, trade):
    for who, present in (("mod_seller", True), ("mod_buyer", True), ("mod_third", False)):
        auth.login(trade["users"][who].email)
        deals_csv = client.get("/moderation/staples/deals.csv").get_data(as_text=True)
        deliveries_csv = client.get("/moderation/staples/deliveries.csv").get_data(as_text=True)
        assert ("Kopi Siaga" in deals_csv) is present and ("Pak Sutrisno" in deliveries_csv) is present
        auth.logout()


def test_the_delivery_note_is_private_and_re_encoded(client, auth, trade):
    auth.login(trade["users"]["buyer"].email)
    response = client.get(f"/my/staples/deliveries/{trade['delivery'].id}/note")
    assert response.status_code == 200 and response.data[:3] == b"\xff\xd8\xff"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_cached_board_follows_every_change_at_once(client, trade):
    """The board's figures are cached under a generation bumped by any change of a post or a business: a suspended
    business's posts leave the board on the next request, and come back when it is reinstated."""
    from marketplace.businesses.models import Verification
    from marketplace.businesses.services import set_verification

    assert "Kopi Siaga" in client.get("/staples").get_data(as_text=True)
    seller = trade["offer"].business
    with unit_of_work():
        set_verification(seller, Verification.SUSPENDED)
    assert "Kopi Siaga" not in client.get("/staples").get_data(as_text=True)
    assert "Kopi Siaga" not in client.get("/staples/jagung-pipilan-kering").get_data(as_text=True)
    with unit_of_work():
        set_verification(seller, Verification.VERIFIED)
    assert "Kopi Siaga" in client.get("/staples").get_data(as_text=True)


def test_figures_are_written_as_people_write_them():
    from marketplace.staples.display import number, rupiah

    assert number(1234567.26, "id") == "1.234.567,3" and number(1234567.26, "en") == "1,234,567.3"
    assert number(20000, "id") == "20.000" and number(0.5, "id") == "0,5" and number(-1500, "id") == "-1.500"
    assert rupiah(4500) == "Rp 4.500" and rupiah(None) == ""


def test_the_cached_board_body_is_kept_per_language(client, trade):
    assert "Staple goods between regions" in client.get("/staples?lang=en").get_data(as_text=True)
    html = client.get("/staples?lang=id").get_data(as_text=True)
    assert "Bahan pokok antardaerah" in html and "Newest open posts" not in html and "Unggahan terbuka terbaru" in html
