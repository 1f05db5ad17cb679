"""The API's staples and events endpoints: documented with their schemas, JSON 404s, paging beyond the last page, and
only public fields (no contact, no WhatsApp number, a member producer's name only when they consented)."""

from datetime import timedelta

import pytest

from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.cooperatives import services as cooperatives
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.events import clock
from marketplace.extensions import db
from marketplace.staples.models import PostKind
from marketplace.unit_of_work import unit_of_work
from tests.events_helpers import NOW, apply_for, decide_and_release, make_event
from tests.staples_helpers import published

WHATSAPP = "6281299887766"


@pytest.fixture
def board(make_user, make_business):
    """A cooperative's offer naming a member who agreed to desa only, a consenting member's offer, and a need."""
    coop = make_business(region="35.74", name="Koperasi Produsen Tani Makmur", whatsapp=WHATSAPP,
                         kind=BusinessKind.COOPERATIVE, cooperative_kind=CooperativeKind.PRODUCER,
                         legal_entity_number="AHU-0000002.AH.01.26.TAHUN 2024")
    with unit_of_work():
        hidden = cooperatives.add_member(coop.owner, coop, name="Siti Rahmawati Rahasia", desa="Kelurahan Kareng Lor",
                                         kecamatan="Kedopok", consent_scope=ConsentScope.DESA_ONLY,
                                         consent_method=ConsentMethod.MEMBER_CONFIRMATION, consent_note="Rapat.")
        named = cooperatives.add_member(coop.owner, coop, name="Pak Slamet Terbuka", desa="Kelurahan Jrebeng Kidul",
                                        kecamatan="Wonoasih", consent_scope=ConsentScope.NAME_AND_DESA,
                                        consent_method=ConsentMethod.MEMBER_CONFIRMATION, consent_note="Rapat.")
    offer = published(make_user, coop, PostKind.OFFER, quantity=5, price_min=5000, price_max=5200)
    second = published(make_user, coop, PostKind.OFFER, code="telur-ayam-ras", quantity=2, unit="ton")
    with unit_of_work():
        db.session.merge(offer).member_id = hidden.id
        db.session.merge(second).member_id = named.id
    buyer = make_business(region="35.05", name="Pakan Ternak Blitar", whatsapp="6281311112222")
    need = published(make_user, buyer, PostKind.NEED, quantity=30)
    return {"offer": offer, "second": second, "need": need, "coop": coop}


def test_the_new_operations_are_documented_with_their_schemas(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/staples/commodities", "/staples/posts", "/events", "/events/{slug}"):
        get = spec["paths"][f"/api/v1{path}"]["get"]
        assert "$ref" in str(get["responses"]["200"]["content"]["application/json"]["schema"])
    assert "404" in spec["paths"]["/api/v1/events/{slug}"]["get"]["responses"]
    posts = spec["components"]["schemas"]["Post"]["properties"]
    assert "whatsapp" not in posts and "notes" not in posts and "produced_by" in posts
    params = {p["name"] for p in spec["paths"]["/api/v1/staples/posts"]["get"]["parameters"]}
    assert {"commodity", "kind", "region", "page", "per_page"} <= params


def test_commodities_carry_units_grades_and_reference_prices(client):
    body = client.get("/api/v1/staples/commodities?per_page=100").get_json()
    eggs = next(item for item in body["items"] if item["code"] == "telur-ayam-ras")
    assert {"code": "peti", "factor": 15.0} in eggs["units"] and eggs["base_unit"] == "kg"
    levels = {band["level"]: band for band in eggs["reference_prices"]}
    assert levels["producer"]["price_min"] == 22000 and levels["producer"]["price_max"] == 24000
    assert levels["consumer"]["price_min"] == 27000
    maize = next(item for item in body["items"] if item["code"] == "jagung-pipilan-kering")
    assert [g["rank"] for g in maize["grades"]] == sorted((g["rank"] for g in maize["grades"]), reverse=True)
    beyond = client.get("/api/v1/staples/commodities?page=50").get_json()
    assert beyond["items"] == [] and beyond["page"] == 50 and beyond["pages"] == 1 and beyond["total"] == body["total"]


def test_posts_are_public_fields_only_and_filtered(client, board):
    response = client.get("/api/v1/staples/posts")
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 3
    text = response.get_data(as_text=True)
    assert WHATSAPP not in text and "6281311112222" not in text
    assert "Siti Rahmawati Rahasia" not in text  # consented to her desa only
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[board["offer"].id]["produced_by"] == {"name": None, "desa": "Kelurahan Kareng Lor",
                                                      "kecamatan": "Kedopok"}
    assert by_id[board["second"].id]["produced_by"]["name"] == "Pak Slamet Terbuka"
    assert by_id[board["need"].id]["produced_by"] is None
    assert by_id[board["offer"].id]["business"] == {"name": "Koperasi Produsen Tani Makmur", "slug": board["coop"].slug}
    assert by_id[board["offer"].id]["price_min"] == 5000
    needs = client.get("/api/v1/staples/posts?kind=need").get_json()
    assert [item["id"] for item in needs["items"]] == [board["need"].id]
    eggs = client.get("/api/v1/staples/posts?commodity=telur-ayam-ras").get_json()
    assert [item["id"] for item in eggs["items"]] == [board["second"].id]
    blitar = client.get("/api/v1/staples/posts?region=35.05").get_json()
    assert [item["id"] for item in blitar["items"]] == [board["need"].id]
    assert client.get("/api/v1/staples/posts?kind=sale").status_code == 400
    beyond = client.get("/api/v1/staples/posts?per_page=2&page=9").get_json()
    assert beyond == {"items": [], "total": 3, "page": 9, "pages": 2, "page_size": 2}


def test_a_withdrawn_member_and_an_expired_post_are_not_shown(client, board, make_user, make_business):
    with unit_of_work():
        coop = db.session.merge(board["coop"])
        cooperatives.withdraw_member(coop.owner, cooperatives_member(board["second"]))
    item = next(i for i in client.get("/api/v1/staples/posts").get_json()["items"] if i["id"] == board["second"].id)
    assert item["produced_by"] is None
    with unit_of_work():
        need = db.session.merge(board["need"])
        need.starts_on, need.ends_on = need.starts_on - timedelta(days=400), need.starts_on - timedelta(days=200)
    assert client.get("/api/v1/staples/posts?kind=need").get_json()["total"] == 0


def cooperatives_member(post):
    from marketplace.cooperatives.models import CooperativeMember
    return db.session.get(CooperativeMember, db.session.merge(post).member_id)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def test_events_list_upcoming_public_ones_in_jakarta_time(client, make_user, fixed_clock):
    event = make_event(make_user)
    make_event(make_user, host="35.74", published=False, slug_title="Bazar Draf")
    body = client.get("/api/v1/events").get_json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["slug"] == event.slug and item["kind"] == "bazaar" and item["host_region_code"] == "35.13"
    assert item["starts_at"] == "2026-06-21T10:00:00+07:00"
    assert item["url"].endswith(f"/events/{event.slug}") and item["ics_url"].endswith(f"/events/{event.slug}.ics")
    beyond = client.get("/api/v1/events?page=3").get_json()
    assert beyond["items"] == [] and beyond["pages"] == 1 and beyond["total"] == 1


def test_one_event_with_its_participants_and_a_json_404(client, make_user, make_business, make_product, fixed_clock):
    from marketplace.events import booths
    from marketplace.events.models import Decision

    event = make_event(make_user, count=2)
    confirmed = apply_for(event, make_business, make_product, name="Keripik Bromo")
    pending = apply_for(event, make_business, make_product, name="Kopi Tengger Menunggu")
    decide_and_release(event, {confirmed: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(confirmed.owner, db.session.merge(confirmed), NOW)
    response = client.get(f"/api/v1/events/{event.slug}")
    body = response.get_json()
    assert [p["name"] for p in body["participants"]] == ["Keripik Bromo"]
    assert body["participants"][0]["products"][0]["business"]["name"] == "Keripik Bromo"
    assert "Kopi Tengger Menunggu" not in response.get_data(as_text=True)
    assert "6281234567890" not in response.get_data(as_text=True)
    assert pending.id
    missing = client.get("/api/v1/events/tidak-ada")
    assert missing.status_code == 404 and missing.get_json()["code"] == 404
    draft = make_event(make_user, host="35.74", published=False, slug_title="Bazar Draf")
    assert client.get(f"/api/v1/events/{draft.slug}").status_code == 404
