"""Per-member attribution reaches deals: a deal made from an offer a cooperative posted for one of its members names
that member on the deal's page and in the deals CSV, only as far as the member's consent allows when it is read (a
member who consented to their desa only is shown without their name; a withdrawn consent shows nothing)."""

import csv
import io

import pytest

from marketplace.accounts.models import Role
from marketplace.cooperatives import services as cooperatives
from marketplace.cooperatives.models import ConsentScope
from marketplace.extensions import db
from marketplace.staples import deals, posts
from marketplace.staples.models import DeliveryTerms, PostKind, Transport
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.staples_helpers import content, published
from tests.test_staples_members import _coop, _member
from tests.test_talk_threads import login


@pytest.fixture
def setting(make_user, make_business):
    owner = make_user(role=Role.OWNER, region="35.74", email="pengurus@example.id")
    coop = _coop(make_business, owner, "Kopi Siaga", 5)
    buyer = make_business(region="35.05", name="Koperasi Berkah Telur")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id")
    return {"coop": coop, "buyer": buyer, "moderator": moderator,
            "named": _member(coop, "Pak Sholehuddin", ConsentScope.NAME_AND_DESA),
            "desa_only": _member(coop, "Pak Abdul Ghofur", ConsentScope.DESA_ONLY)}


def _deal(setting, make_user, member):
    coop, buyer = setting["coop"], setting["buyer"]
    with unit_of_work():
        offer = posts.create_post(coop, PostKind.OFFER, content(quantity=20), member_id=member.id)
        posts.review_post(setting["moderator"], offer, "approve")
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    with unit_of_work():
        return deals.propose_deal(coop.owner, {coop.id}, offer, need, volume=10_000, unit_price=4_500,
                                  starts_on=today(), ends_on=today(), delivery_terms=DeliveryTerms.FRANCO,
                                  transport_by=Transport.SELLER, on=today())


def _csv_rows(app, setting) -> list[dict]:
    response = login(app, setting["moderator"].email).get("/moderation/staples/deals.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_a_deal_names_the_member_who_produces_its_goods(app, make_user, setting):
    made = _deal(setting, make_user, setting["named"])
    assert made.member_id == setting["named"].id
    for client in (login(app, setting["coop"].owner.email), login(app, setting["buyer"].owner.email)):
        html = client.get(f"/my/staples/deals/{made.id}").get_data(as_text=True)
        assert "Pak Sholehuddin" in html and "Kelurahan Jrebeng Kidul" in html
    html = login(app, setting["moderator"].email).get(f"/moderation/staples/deals/{made.id}").get_data(as_text=True)
    assert "Pak Sholehuddin" in html
    [row] = _csv_rows(app, setting)
    assert (row["producer"], row["producer_desa"], row["producer_kecamatan"]) == (
        "Pak Sholehuddin", "Kelurahan Jrebeng Kidul", "Wonoasih")


def test_a_member_who_did_not_consent_to_their_name_is_shown_without_it(app, make_user, setting):
    made = _deal(setting, make_user, setting["desa_only"])
    html = login(app, setting["buyer"].owner.email).get(f"/my/staples/deals/{made.id}").get_data(as_text=True)
    assert "Abdul Ghofur" not in html and "Kelurahan Jrebeng Kidul" in html
    [row] = _csv_rows(app, setting)
    assert (row["producer"], row["producer_desa"]) == ("", "Kelurahan Jrebeng Kidul")


def test_a_withdrawn_consent_hides_the_member_on_deals_made_before(app, make_user, setting):
    made = _deal(setting, make_user, setting["named"])
    with unit_of_work():
        cooperatives.withdraw_member(setting["coop"].owner, db.session.merge(setting["named"]), "Tidak bersedia lagi.")
    html = login(app, setting["buyer"].owner.email).get(f"/my/staples/deals/{made.id}").get_data(as_text=True)
    assert "Sholehuddin" not in html and "Jrebeng" not in html
    [row] = _csv_rows(app, setting)
    assert (row["producer"], row["producer_desa"], row["producer_kecamatan"]) == ("", "", "")


def test_a_deal_from_an_offer_without_a_member_names_none(make_user, make_business, setting):
    seller = make_business(region="35.74", name="Usaha Jagung")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20)
    need = published(make_user, setting["buyer"], PostKind.NEED, quantity=10)
    with unit_of_work():
        made = deals.propose_deal(seller.owner, {seller.id}, offer, need, volume=10_000, unit_price=4_500,
                                  starts_on=today(), ends_on=today(), delivery_terms=DeliveryTerms.FRANCO,
                                  transport_by=Transport.SELLER, on=today())
    assert made.member_id is None


def test_the_demo_deal_names_a_member_farmer_of_kopi_siaga(make_user):
    """seed-demo: the cooperatives (with their members' consent) first, then staples: Kopi Siaga's corn offer is for a
    member farmer, so the demo deal names them; the stored matches are the demo's two pairs."""
    from marketplace.demo.cooperatives import seed_cooperatives
    from marketplace.demo.staples import seed_staples
    from marketplace.staples.match_store import stored_matches
    from marketplace.staples.models import Deal

    for region in ("35.74", "35.05"):
        make_user(role=Role.MODERATOR, region=region)
    with unit_of_work():
        seed_cooperatives("demo-umkm-2025")
        seed_staples("demo-umkm-2025")
    deal = db.session.scalar(db.select(Deal))
    assert deal.seller.is_cooperative and deal.member is not None
    assert deal.member.attribution().name == "Sholehuddin"
    assert {(m.offer.business.name, m.need.business.name) for m in stored_matches(today())} == {
        ("Kopi Siaga", "Koperasi Berkah Telur"), ("Koperasi Berkah Telur", "Kopi Siaga")}
