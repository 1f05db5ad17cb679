"""The staples forms end to end through the test client: posting, review, edits of published posts, deals and
deliveries; bad input answered beside the field in the reader's language, with everything typed kept."""

from datetime import timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.staples.models import Commodity, Deal, DealStatus, PostKind, PostStatus, ReferencePrice, StaplesPost
from marketplace.timeutil import today
from tests.staples_helpers import commodity, published


@pytest.fixture
def owner(make_user, make_business):
    user = make_user(role=Role.OWNER, region="35.74", email="kopi.siaga@example.id")
    make_business(owner=user, region="35.74", name="Kopi Siaga")
    return user


def _form(**changes) -> dict:
    corn = commodity("jagung-pipilan-kering")
    data = {
        "business": "", "kind": "offer",
        "commodity": str(corn.id), "grade": "", "quantity": "20", "unit": "ton", "period": "month", "min_lot": "5",
        "starts_on": today().isoformat(), "ends_on": (today() + timedelta(days=90)).isoformat(),
        "price_min": "4500000", "price_max": "5000000", "delivery_terms": "franco", "transport_by": "seller",
        "notes": "Jagung pakan dari petani anggota Kopi Siaga, kadar air dijaga.",
    }
    return {**data, **changes}


def _business_id(owner) -> str:
    from marketplace.businesses.models import Business

    return str(db.session.scalar(db.select(Business.id).where(Business.owner_id == owner.id)))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"quantity": "-5"}, "quantity", "Masukkan bilangan bulat di atas 0"),
    ({"quantity": "999999999"}, "quantity", "Masukkan bilangan bulat di atas 0"),
    ({"quantity": "dua puluh"}, "quantity", None),
    ({"ends_on": (today() - timedelta(days=3)).isoformat(), "starts_on": today().isoformat()}, "ends_on",
     "Jendela waktu berakhir sebelum dimulai"),
    ({"price_min": "5000000", "price_max": "4000000"}, "price_max", "Harga tertinggi lebih rendah dari harga terendah"),
    ({"unit": "butir"}, "unit", "bukan satuan Jagung pipilan kering"),
    ({"min_lot": "30"}, "min_lot", "Lot minimum tidak boleh lebih dari jumlahnya"),
])
def test_bad_input_gets_a_clear_message_in_indonesian_and_keeps_what_was_typed(client, auth, owner, changes, field, message):
    auth.login(owner.email)
    data = _form(business=_business_id(owner), **changes)
    response = client.submit("/my/staples/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html
    if message:
        assert message in html, html[html.find(f'id="{field}-error"') - 50:html.find(f'id="{field}-error"') + 300]
    assert "Jagung pakan dari petani anggota Kopi Siaga, kadar air dijaga." in html  # the notes typed are kept
    assert f'value="{data["quantity"]}"' in html  # and the quantity as typed, even when it is not a number
    assert db.session.scalar(db.select(db.func.count(StaplesPost.id))) == 0


def test_the_same_messages_in_english(client, auth, owner):
    auth.login(owner.email)
    html = client.submit("/my/staples/new?lang=en", _form(business=_business_id(owner), price_min="5000000",
                                                          price_max="4000000")).get_data(as_text=True)
    assert "The highest price is lower than the lowest" in html


def test_an_unverified_business_cannot_post(client, auth, make_user, make_business):
    user = make_user(role=Role.OWNER, region="35.74")
    business = make_business(owner=user, verified=False)
    auth.login(user.email)
    html = client.get("/my/staples/new").get_data(as_text=True)
    assert "diverifikasi" in html and 'name="quantity"' not in html
    client.submit("/my/staples/new", _form(business=str(business.id)), page="/my/staples")
    assert db.session.scalar(db.select(db.func.count(StaplesPost.id))) == 0


def test_post_review_publish_and_an_edit_that_waits_while_the_approved_version_stays(client, auth, owner, make_user):
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id")
    auth.login(owner.email)
    assert client.submit("/my/staples/new", _form(business=_business_id(owner))).status_code == 302
    post = db.session.scalar(db.select(StaplesPost))
    assert post.status is PostStatus.PENDING and post.monthly_base == 20_000 and post.price_min_base == 4500
    assert "Kopi Siaga" not in client.get("/staples").get_data(as_text=True)
    auth.logout()

    auth.login(moderator.email)
    assert "Jagung pipilan kering" in client.get("/moderation/staples").get_data(as_text=True)
    response = client.submit(f"/moderation/staples/posts/{post.id}", {"action": "reject", "reason": "", "version": "1"})
    assert "Berikan alasan" in response.get_data(as_text=True)
    client.submit(f"/moderation/staples/posts/{post.id}", {"action": "approve", "reason": "", "version": str(post.version)})
    db.session.refresh(post)
    assert post.status is PostStatus.PUBLISHED
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.object_id == post.id,
                                                                AuditEntry.object_type == "staplespost")) == "staples_post.approve"
    auth.logout()

    auth.login(owner.email)
    client.submit(f"/my/staples/posts/{post.id}/edit", _form(business=_business_id(owner), quantity="25"))
    db.session.refresh(post)
    assert post.quantity == 20 and post.edit_status is PostStatus.PENDING and post.pending_edit["quantity"] == 25
    assert "20.000 kg" in client.get("/staples").get_data(as_text=True)  # the approved version stays public
    auth.logout()

    auth.login(moderator.email)
    client.submit(f"/moderation/staples/posts/{post.id}", {"action": "approve", "reason": "", "version": str(post.version)})
    db.session.refresh(post)
    assert post.quantity == 25 and post.monthly_base == 25_000 and post.pending_edit is None


def test_a_far_off_price_gets_a_plain_hint(client, auth, owner, make_user):
    post = published(make_user, _business(owner), PostKind.OFFER, price_min=12_000, unit="kg", quantity=20_000)
    assert post.price_min_base == 12_000
    auth.login(owner.email)
    assert "jauh di atas kisaran harga acuan" in client.get("/my/staples").get_data(as_text=True)


def _business(owner):
    from marketplace.businesses.models import Business

    return db.session.scalar(db.select(Business).where(Business.owner_id == owner.id))


def test_a_deal_from_a_match_confirmed_and_a_delivery_that_cannot_exceed_what_remains(client, auth, owner, make_user,
                                                                                      make_business):
    buyer_owner = make_user(role=Role.OWNER, region="35.05", email="berkah.telur@example.id")
    buyer = make_business(owner=buyer_owner, region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, _business(owner), PostKind.OFFER, quantity=20)
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    auth.login(owner.email)
    page = client.get(f"/my/staples/matches/{offer.id}/{need.id}").get_data(as_text=True)
    assert 'id="match-conversation"' in page and 'value="10000"' in page
    response = client.submit(f"/my/staples/matches/{offer.id}/{need.id}", {
        "volume": "10000", "unit_price": "4500", "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=30)).isoformat(), "delivery_terms": "franco", "transport_by": "seller"})
    deal = db.session.scalar(db.select(Deal))
    assert response.status_code == 302 and deal.status is DealStatus.PROPOSED
    refused = client.submit(f"/my/staples/deals/{deal.id}/confirm", {}, page=f"/my/staples/deals/{deal.id}")
    assert refused.status_code == 422 and "dikonfirmasi oleh pihak lain" in refused.get_data(as_text=True)
    db.session.refresh(deal)
    assert deal.status is DealStatus.PROPOSED  # the proposer's own confirmation does not count
    auth.logout()

    auth.login(buyer_owner.email)
    client.submit(f"/my/staples/deals/{deal.id}/confirm", {}, page=f"/my/staples/deals/{deal.id}")
    db.session.refresh(deal)
    assert deal.status is DealStatus.ACTIVE
    delivery = {"delivered_on": today().isoformat(), "quantity": "12000", "quality": "kadar air 14,8 %",
                "received_by": "Gudang Pakan Srengat"}
    html = client.submit(f"/my/staples/deals/{deal.id}/deliveries", delivery,
                         page=f"/my/staples/deals/{deal.id}").get_data(as_text=True)
    assert "lebih dari sisa" in html and "Gudang Pakan Srengat" in html and 'value="12000"' in html
    client.submit(f"/my/staples/deals/{deal.id}/deliveries", {**delivery, "quantity": "6000"},
                  page=f"/my/staples/deals/{deal.id}")
    db.session.refresh(deal)
    assert deal.remaining == 4000


def test_prices_entered_and_imported_with_bad_rows_reported(client, auth, make_user):
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id")
    auth.login(moderator.email)
    eggs = commodity("telur-ayam-ras")
    response = client.submit("/moderation/staples/prices", {
        "commodity": str(eggs.id), "level": "consumer", "region": "35.74", "valid_on": "2026-11-30", "unit": "kg",
        "price_min": "29000", "price_max": "28000", "source": "Pasar Baru Probolinggo"})
    assert response.status_code == 422 and "Pasar Baru Probolinggo" in response.get_data(as_text=True)
    client.submit("/moderation/staples/prices", {
        "commodity": str(eggs.id), "level": "consumer", "region": "35.74", "valid_on": "2026-11-30", "unit": "peti",
        "price_min": "435000", "source": "Pasar Baru Probolinggo"})
    entered = db.session.scalar(db.select(ReferencePrice).where(ReferencePrice.region_code == "35.74"))
    assert entered.price_min == 29_000  # a crate of 15 kg at Rp 435.000 is Rp 29.000 a kilo

    from io import BytesIO
    bad = (b"tanggal;komoditas;tingkat;kode_wilayah;harga;satuan\n2026-11-29;Telur Ayam Ras;konsumen;35.74;28.500;kg\n"
           b"2026-11-29;Telur Ayam Ras;konsumen;35.05;28.000;kg\n31/02/2026;Beras;konsumen;35.74;13000;kg\n"
           b"2026-11-29;Cabai Rawit;konsumen;35.74;60000;butir\n")
    html = client.submit("/moderation/staples/prices/import", {"import-source": "PIHPS", "import-file": (BytesIO(bad), "pihps.csv")},
                         page="/moderation/staples/prices", content_type="multipart/form-data").get_data(as_text=True)
    assert "baris 3" in html and "baris 4" in html and "baris 5" in html and "baris 2:" not in html
    assert db.session.scalar(db.select(db.func.count(ReferencePrice.id)).where(ReferencePrice.source == "PIHPS")) == 0
    good = b"tanggal,komoditas,tingkat,kode_wilayah,harga,satuan\n2026-11-29,telur ayam ras,konsumen,35.74,28500,kg\n"
    client.submit("/moderation/staples/prices/import", {"import-source": "PIHPS", "import-file": (BytesIO(good), "pihps.csv")},
                  page="/moderation/staples/prices", content_type="multipart/form-data")
    assert db.session.scalar(db.select(db.func.count(ReferencePrice.id)).where(ReferencePrice.source == "PIHPS")) == 1


def test_admins_add_commodities_audited(client, auth, make_user):
    admin = make_user(role=Role.ADMIN, email="admin@example.id")
    auth.login(admin.email)
    html = client.submit("/admin/commodities", {"code": "Daging Ayam", "name_id": "Daging ayam ras", "name_en": "Chicken",
                                                "base_unit": "kg", "units": "ton = seribu"}).get_data(as_text=True)
    assert "Daging ayam ras" in html and 'id="code-error"' in html and 'id="units-error"' in html
    client.submit("/admin/commodities", {"code": "daging-ayam-ras", "name_id": "Daging ayam ras", "name_en": "Chicken meat",
                                         "pihps_name": "Daging Ayam Ras", "base_unit": "kg", "units": "ton = 1000",
                                         "grades": ""})
    added = db.session.scalar(db.select(Commodity).where(Commodity.code == "daging-ayam-ras"))
    assert {u.code for u in added.units} == {"kg", "ton"}
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.object_id == added.id,
                                                                AuditEntry.object_type == "commodity")) == "commodity.create"
