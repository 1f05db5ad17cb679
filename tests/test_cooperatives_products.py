"""A cooperative's products name the member who produced them, as far as the member's consent allows, on the product
page, the cooperative's page and in the owner's inquiries; the cooperative's kind and legal-entity number go through
the business form and its review; the query API the staples feature uses."""

import pytest

from marketplace.accounts.models import Role
from marketplace.businesses.models import Business, BusinessKind, CooperativeKind, Verification
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.cooperatives import services
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.cooperatives.queries import member_attribution, member_of_or_none, members_of, public_members_of
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry
from marketplace.unit_of_work import unit_of_work

AHU = "AHU-0000001.AH.01.26.TAHUN 2024"


@pytest.fixture
def coop(make_business):
    return make_business(name="Kopi Siaga Uji", kind=BusinessKind.COOPERATIVE, cooperative_kind=CooperativeKind.CONSUMER,
                         legal_entity_number=AHU)


def add(business, name, scope, desa):
    with unit_of_work():
        return services.add_member(business.owner, business, name=name, desa=desa, kecamatan="Wonoasih",
                                   commodities="jagung", consent_scope=scope,
                                   consent_method=ConsentMethod.MEMBER_CONFIRMATION, consent_note="Lewat WhatsApp.")


@pytest.fixture
def members(coop):
    return {scope: add(coop, name, scope, desa) for scope, name, desa in (
        (ConsentScope.NAME_AND_DESA, "Sholehuddin", "Kelurahan Jrebeng Kidul"),
        (ConsentScope.DESA_ONLY, "Abdul Ghofur", "Kelurahan Sumberwetan"),
        (ConsentScope.NOTHING, "Musrifah", "Kelurahan Triwung Lor"))}


def product_of(make_product, coop, member, name):
    return make_product(business=coop, status="published", name=name, category="jagung", member_id=member.id)


def page_of(client, product) -> str:
    return client.get(f"/products/{product.id}-{product.slug}?lang=en").get_data(as_text=True)


def test_a_cooperatives_product_shows_produced_by_its_member(client, coop, members, make_product):
    product = product_of(make_product, coop, members[ConsentScope.NAME_AND_DESA], "Jagung Pipilan Kering")
    html = page_of(client, product)
    assert "by <a" in html and "Kopi Siaga Uji</a>, <span class=\"produced-by\">produced by Sholehuddin " \
                                "(Kelurahan Jrebeng Kidul, Kec. Wonoasih)</span>" in html
    business = client.get(f"/businesses/{coop.slug}?lang=en").get_data(as_text=True)
    assert "produced by Sholehuddin (Kelurahan Jrebeng Kidul, Kec. Wonoasih)" in business
    assert "3 member producers sell through this cooperative." in business
    indonesian = client.get(f"/products/{product.id}-{product.slug}?lang=id").get_data(as_text=True)
    assert "diproduksi oleh Sholehuddin (Kelurahan Jrebeng Kidul, Kec. Wonoasih)" in indonesian


def test_a_member_whose_consent_does_not_cover_the_name_is_shown_without_it(client, coop, members, make_product):
    desa_only = product_of(make_product, coop, members[ConsentScope.DESA_ONLY], "Jagung Karungan")
    hidden = product_of(make_product, coop, members[ConsentScope.NOTHING], "Jagung Manis")
    html = page_of(client, desa_only)
    assert "produced by a member producer in Kelurahan Sumberwetan, Kec. Wonoasih" in html
    assert "Abdul Ghofur" not in html
    html = page_of(client, hidden)
    assert "Musrifah" not in html and "Triwung" not in html and "produced by" not in html
    business = client.get(f"/businesses/{coop.slug}?lang=en").get_data(as_text=True)
    assert "Abdul Ghofur" not in business and "Musrifah" not in business and "Triwung" not in business
    assert "Members are named here only as far as they agreed." in business


def test_withdrawn_consent_hides_the_member_at_once(client, coop, members, make_product):
    member = members[ConsentScope.NAME_AND_DESA]
    product = product_of(make_product, coop, member, "Jagung Pipilan Kering")
    assert "Sholehuddin" in page_of(client, product)
    with unit_of_work():
        services.withdraw_member(coop.owner, member)
    html = page_of(client, product)
    assert "Sholehuddin" not in html and "Jrebeng" not in html
    assert "Sholehuddin" not in client.get(f"/businesses/{coop.slug}").get_data(as_text=True)


def test_the_owner_chooses_the_member_in_the_product_form(client, auth, coop, members, make_business):
    member = members[ConsentScope.NAME_AND_DESA]
    auth.login(coop.owner.email)
    form = client.get(f"/my/businesses/{coop.id}/products/new").get_data(as_text=True)
    assert "Sholehuddin (Kelurahan Jrebeng Kidul)" in form
    data = {"category": str(db.session.scalar(db.select(Product.category_id).limit(1)) or ""), "name": "Jagung Pipil",
            "price_mode": "fixed", "price": "5400", "unit": "kg", "min_order": "100", "availability": "ready"}
    from marketplace.catalog.models import Category
    data["category"] = str(db.session.scalar(db.select(Category.id).where(Category.slug == "jagung")))
    # another cooperative's member is not on the list: refused beside the field, what was typed kept
    other = make_business(owner=coop.owner, name="Koperasi Lain", kind=BusinessKind.COOPERATIVE,
                          cooperative_kind=CooperativeKind.PRODUCER, legal_entity_number=AHU)
    stranger = add(other, "Orang Lain", ConsentScope.NAME_AND_DESA, "Desa Lain")
    html = client.submit(f"/my/businesses/{coop.id}/products/new", {**data, "member": str(stranger.id)}).get_data(as_text=True)
    assert "Pilih anggota koperasi ini dari daftar." in html and 'value="Jagung Pipil"' in html
    assert client.submit(f"/my/businesses/{coop.id}/products/new", {**data, "member": str(member.id)}).status_code == 302
    assert db.session.scalar(db.select(Product.member_id).where(Product.name == "Jagung Pipil")) == member.id
    with pytest.raises(services.NotAMember):
        services.check_member(coop, stranger.id)


def test_a_published_products_member_changes_through_review(coop, members, make_product):
    first, second = members[ConsentScope.NAME_AND_DESA], members[ConsentScope.DESA_ONLY]
    product = product_of(make_product, coop, first, "Jagung Pipilan Kering")
    with unit_of_work():
        content = catalog.content_of(product) | {"member_id": second.id}
        assert catalog.update_product(product, content=content, price_min=product.price_min, price_max=None,
                                      availability=product.availability)
    assert product.member_id == first.id and product.revision.data["member_id"] == second.id
    with unit_of_work():
        catalog.review_product(product, "approve", Role.MODERATOR)
    assert product.member_id == second.id


def test_the_moderator_sees_the_member_in_the_review(client, auth, coop, members, make_product, moderator):
    product = make_product(business=coop, status="pending", name="Jagung Baru", category="jagung",
                           member_id=members[ConsentScope.DESA_ONLY].id)
    auth.login(moderator.email)
    html = client.get(f"/moderation/products/{product.id}?lang=en").get_data(as_text=True)
    assert "Produced by member: Abdul Ghofur" in html and "only their desa/kelurahan, not their name" in html


def test_an_inquiry_carries_the_member_into_the_owners_inbox(client, auth, coop, members, make_product):
    product = product_of(make_product, coop, members[ConsentScope.DESA_ONLY], "Jagung Karungan")
    client.submit(f"/products/{product.id}/inquiry", {"name": "Budi Santoso", "contact": "0813-3444-5566",
                                                      "quantity": "200", "region": "35.05", "message": "Stok?"},
                  page=f"/products/{product.id}-{product.slug}")
    inquiry = db.session.scalar(db.select(Inquiry))
    assert inquiry.member_id == members[ConsentScope.DESA_ONLY].id
    auth.login(coop.owner.email)
    inbox = client.get("/my/inquiries?lang=en").get_data(as_text=True)
    assert "product: Abdul Ghofur (Kelurahan Sumberwetan)" in inbox
    show = client.get(f"/my/inquiries/{inquiry.id}?lang=en").get_data(as_text=True)
    assert "Abdul Ghofur" in show


BUSINESS_FORM = {"name": "Koperasi Berkah Telur Uji", "region": "35.05", "nib": "9120005350501", "size_class": "kecil",
                 "whatsapp": "0813-3440-0505", "kind": "koperasi", "cooperative_kind": "produsen",
                 "legal_entity_number": "ahu-0000002.ah.01.26.tahun 2023"}


def test_registering_a_cooperative(client, auth, make_user):
    owner = make_user(role=Role.OWNER, region="35.05")
    auth.login(owner.email)
    assert client.submit("/my/businesses/new", BUSINESS_FORM).status_code == 302
    business = db.session.scalar(db.select(Business))
    assert business.is_cooperative and business.cooperative_kind is CooperativeKind.PRODUCER
    assert business.legal_entity_number == "AHU-0000002.AH.01.26.TAHUN 2023"
    assert "Anggota" in client.get("/my/businesses").get_data(as_text=True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"legal_entity_number": "12345"}, "Tulis nomor badan hukum sesuai akta"),
    ({"legal_entity_number": ""}, "Masukkan nomor badan hukum koperasi"),
    ({"cooperative_kind": ""}, "Pilih jenis koperasi."),
    ({"nib": "912000535050"}, "NIB terdiri dari tepat 13 digit."),
])
def test_a_cooperatives_bad_details_are_refused_keeping_what_was_typed(client, auth, make_user, changes, message):
    auth.login(make_user(role=Role.OWNER, region="35.05").email)
    html = client.submit("/my/businesses/new", {**BUSINESS_FORM, **changes}).get_data(as_text=True)
    assert message in html and 'value="Koperasi Berkah Telur Uji"' in html
    assert db.session.scalar(db.select(Business)) is None


def test_a_business_ignores_cooperative_details(client, auth, make_user):
    auth.login(make_user(role=Role.OWNER, region="35.05").email)
    client.submit("/my/businesses/new", {**BUSINESS_FORM, "kind": "usaha", "legal_entity_number": "x"})
    business = db.session.scalar(db.select(Business))
    assert not business.is_cooperative and business.legal_entity_number is None and business.cooperative_kind is None


def test_becoming_a_cooperative_waits_for_the_regions_review(client, auth, make_business, moderator):
    business = make_business(name="Griya Tani")
    auth.login(business.owner.email)
    form = {"name": "Griya Tani", "region": "35.74", "nib": "1234567890123", "size_class": "mikro",
            "whatsapp": "0812-3456-7890", "kind": "koperasi", "cooperative_kind": "pemasaran", "legal_entity_number": AHU}
    client.submit(f"/my/businesses/{business.id}/edit", form)
    db.session.refresh(business)
    assert not business.is_cooperative and business.revision.data["legal_entity_number"] == AHU
    assert business.verification is Verification.VERIFIED
    auth.logout()
    auth.login(moderator.email)
    review = client.get(f"/moderation/businesses/{business.id}/edit?lang=en").get_data(as_text=True)
    assert AHU in review and "Marketing cooperative (koperasi pemasaran)" in review
    client.submit(f"/moderation/businesses/{business.id}/edit", {"action": "approve", "version": business.revision.version,
                                                                 "reason": ""})
    db.session.refresh(business)
    assert business.is_cooperative and business.legal_entity_number == AHU
    html = client.get(f"/moderation/businesses/{business.id}?lang=en").get_data(as_text=True)
    assert "Legal-entity number (nomor badan hukum)" in html and AHU in html


def test_query_api_for_posts_and_deals(coop, members):
    named, desa_only, nothing = (members[s] for s in ConsentScope)
    assert [m.name for m in members_of(coop)] == ["Abdul Ghofur", "Musrifah", "Sholehuddin"]
    assert {m.id for m in public_members_of(coop)} == {named.id, desa_only.id}
    assert member_attribution(named).name == "Sholehuddin" and member_attribution(desa_only).name is None
    assert member_attribution(desa_only).desa == "Kelurahan Sumberwetan"
    assert member_attribution(nothing) is None and member_attribution(None) is None
    assert member_of_or_none(coop, named.id) is named and member_of_or_none(coop, 10**6) is None
    with unit_of_work():
        services.withdraw_member(coop.owner, named)
    assert member_of_or_none(coop, named.id) is None and named not in members_of(coop)
    assert named in members_of(coop, include_withdrawn=True)


def test_the_api_says_who_produced_it_as_far_as_consent_allows(client, coop, members, make_product):
    named = product_of(make_product, coop, members[ConsentScope.NAME_AND_DESA], "Jagung Pipilan Kering")
    desa_only = product_of(make_product, coop, members[ConsentScope.DESA_ONLY], "Jagung Karungan")
    hidden = product_of(make_product, coop, members[ConsentScope.NOTHING], "Jagung Manis")
    assert client.get(f"/api/v1/products/{named.id}").json["produced_by"] == {
        "name": "Sholehuddin", "desa": "Kelurahan Jrebeng Kidul", "kecamatan": "Wonoasih"}
    assert client.get(f"/api/v1/products/{desa_only.id}").json["produced_by"]["name"] is None
    assert client.get(f"/api/v1/products/{hidden.id}").json["produced_by"] is None
    business = client.get(f"/api/v1/businesses/{coop.slug}").json
    assert (business["kind"], business["cooperative_kind"]) == ("koperasi", "konsumen")
