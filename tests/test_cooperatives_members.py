"""A cooperative's member producers, for its owner: recorded with consent, edited, withdrawn; bad input keeps what was
typed; every route answers only the cooperative's owner (others 404, other roles 403, visitors to the login)."""

import io

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.cooperatives import services
from marketplace.cooperatives.models import ConsentMethod, ConsentScope, CooperativeMember
from marketplace.extensions import db
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes

AHU = "AHU-0000001.AH.01.26.TAHUN 2024"


@pytest.fixture
def make_coop(make_business):
    def make(owner=None, region="35.74", name="Kopi Siaga Uji", **fields):
        return make_business(owner=owner, region=region, name=name, kind=BusinessKind.COOPERATIVE,
                             cooperative_kind=CooperativeKind.CONSUMER, legal_entity_number=AHU, **fields)
    return make


@pytest.fixture
def make_member():
    def make(business, name="Sholehuddin", scope=ConsentScope.NAME_AND_DESA, desa="Kelurahan Jrebeng Kidul"):
        with unit_of_work():
            return services.add_member(business.owner, business, name=name, desa=desa, kecamatan="Wonoasih",
                                       commodities="jagung pipilan kering", consent_scope=scope,
                                       consent_method=ConsentMethod.MEMBER_CONFIRMATION,
                                       consent_note="Dikonfirmasi lewat WhatsApp, 3 November 2026.")
    return make


def member_form(**changes):
    return {"name": "Siti Rohmah", "desa": "Kelurahan Pakistaji", "kecamatan": "Wonoasih",
            "commodities": "jagung pipilan", "nib": "", "consent_scope": "name_and_desa",
            "consent_method": "member_confirmation", "consent_note": "Dikonfirmasi di rapat anggota.", **changes}


def test_the_owner_records_a_member_with_consent_and_it_is_audited_without_personal_data(client, auth, make_coop):
    coop = make_coop()
    auth.login(coop.owner.email)
    response = client.submit(f"/my/businesses/{coop.id}/members/new", member_form(nib="9120 0012 3456 7"))
    assert response.status_code == 302
    member = db.session.scalar(db.select(CooperativeMember))
    assert (member.name, member.nib, member.consent_scope) == ("Siti Rohmah", "9120001234567", ConsentScope.NAME_AND_DESA)
    assert member.consent_recorded_by_id == coop.owner.id and member.consent_recorded_at is not None
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "member.create"))
    assert entry.region_code == "35.74" and "Siti" not in str(entry.changes) + entry.object_label
    html = client.get(f"/my/businesses/{coop.id}/members").get_data(as_text=True)
    assert "Siti Rohmah" in html and "Kelurahan Pakistaji" in html


@pytest.mark.parametrize(("changes", "field_message"), [
    ({"nib": "912000123456"}, "NIB terdiri dari tepat 13 digit."),
    ({"consent_scope": ""}, "Pilih apa yang boleh ditampilkan untuk umum menurut persetujuan anggota."),
    ({"consent_method": ""}, "Pilih cara anggota memberikan persetujuan."),
    ({"consent_method": "signed_form"}, "Lampirkan foto formulir persetujuan yang ditandatangani."),
    ({"consent_note": ""}, "Tuliskan bagaimana dan kapan anggota mengonfirmasi"),
])
def test_bad_input_is_refused_in_indonesian_and_keeps_what_was_typed(client, auth, make_coop, changes, field_message):
    coop = make_coop()
    auth.login(coop.owner.email)
    html = client.submit(f"/my/businesses/{coop.id}/members/new", member_form(**changes)).get_data(as_text=True)
    assert field_message in html
    assert 'value="Siti Rohmah"' in html and 'value="Kelurahan Pakistaji"' in html and 'value="jagung pipilan"' in html
    if "nib" in changes:
        assert 'value="912000123456"' in html
    assert db.session.scalar(db.select(db.func.count(CooperativeMember.id))) == 0


def test_bad_input_in_english(client, auth, make_coop):
    coop = make_coop()
    auth.login(coop.owner.email)
    html = client.submit(f"/my/businesses/{coop.id}/members/new?lang=en",
                         member_form(nib="912000123456", consent_scope="")).get_data(as_text=True)
    assert "The NIB has exactly 13 digits." in html and "Choose what the member agreed may be shown publicly." in html


def test_a_signed_form_photo_is_kept_when_the_form_is_refused_and_served_only_to_the_owner(client, auth, make_coop,
                                                                                             make_user):
    coop = make_coop()
    auth.login(coop.owner.email)
    url = f"/my/businesses/{coop.id}/members/new"
    data = member_form(consent_method="signed_form", consent_note="", nib="123",
                       consent_document=(io.BytesIO(jpeg_bytes()), "formulir.jpg"))
    html = client.submit(url, data, content_type="multipart/form-data").get_data(as_text=True)
    assert "NIB terdiri dari tepat 13 digit." in html and "Foto formulir yang Anda kirim disimpan" in html
    token = html.split('name="document_token" type="hidden" value="')[1].split('"')[0]
    response = client.submit(url, member_form(consent_method="signed_form", consent_note="", document_token=token))
    assert response.status_code == 302
    member = db.session.scalar(db.select(CooperativeMember))
    assert member.consent_method is ConsentMethod.SIGNED_FORM and member.consent_document.endswith(".jpg")
    document = client.get(f"/my/businesses/{coop.id}/members/{member.id}/consent-form")
    assert document.status_code == 200 and document.headers["Cache-Control"] == "private, no-store"
    # another owner neither opens it nor can carry the token into their own cooperative
    other = make_coop(owner=make_user(role=Role.OWNER), name="Koperasi Lain")
    auth.logout()
    auth.login(other.owner.email)
    assert client.get(f"/my/businesses/{coop.id}/members/{member.id}/consent-form").status_code == 404
    html = client.submit(f"/my/businesses/{other.id}/members/new",
                         member_form(consent_method="signed_form", consent_note="", document_token=token)).get_data(as_text=True)
    assert "Lampirkan foto formulir persetujuan yang ditandatangani." in html


def test_a_changed_consent_is_recorded_anew_and_audited(client, auth, make_coop, make_member):
    coop = make_coop()
    member = make_member(coop)
    recorded_at = member.consent_recorded_at
    auth.login(coop.owner.email)
    response = client.submit(f"/my/businesses/{coop.id}/members/{member.id}/edit",
                             member_form(name="Sholehuddin", consent_scope="desa_only"))
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.consent_scope is ConsentScope.DESA_ONLY and member.consent_recorded_at > recorded_at
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "member.update"))
    assert entry.changes["consent"][1]["consent_scope"] == "desa_only"
    assert "Sholehuddin" not in str(entry.changes)


def test_withdrawing_consent_hides_the_member_at_once_and_is_final(client, auth, make_coop, make_member):
    coop = make_coop()
    member = make_member(coop)
    auth.login(coop.owner.email)
    url = f"/my/businesses/{coop.id}/members/{member.id}/withdraw"
    assert client.get(url).status_code == 200
    assert client.submit(url, {"reason": "Anggota keluar dari koperasi"}).status_code == 302
    db.session.refresh(member)
    assert member.withdrawn_at is not None and member.attribution() is None
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "member.withdraw")).reason
    assert client.get(f"/my/businesses/{coop.id}/members/{member.id}/edit").status_code == 302
    with pytest.raises(services.MemberWithdrawn):
        services.withdraw_member(coop.owner, member)


def test_a_business_that_is_not_a_cooperative_has_no_members(client, auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    assert "Hanya koperasi" in client.get(f"/my/businesses/{business.id}/members").get_data(as_text=True)
    assert client.get(f"/my/businesses/{business.id}/members/new").status_code == 404
    with pytest.raises(services.NotACooperative):
        services.add_member(business.owner, business, name="X", desa="Y", kecamatan="Z",
                            consent_scope=ConsentScope.NOTHING, consent_method=ConsentMethod.MEMBER_CONFIRMATION,
                            consent_note="ya")


ROUTES = ["/my/businesses/{b}/members", "/my/businesses/{b}/members/new", "/my/businesses/{b}/members/{m}/edit",
          "/my/businesses/{b}/members/{m}/withdraw", "/my/businesses/{b}/members/{m}/consent-form"]


@pytest.fixture
def coop_with_member(make_coop, make_member):
    from marketplace.media.documents import store_document

    coop = make_coop()
    member = make_member(coop)
    with unit_of_work():
        store_document("1" * 32 + ".pdf", b"%PDF-1.7\n%%EOF\n")
        member.consent_document = "1" * 32 + ".pdf"
    return coop, member


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize(("who", "status"), [("visitor", 302), ("buyer", 403), ("moderator", 403), ("admin", 403),
                                             ("other owner", 404), ("owner", 200)])
def test_permissions(client, auth, make_user, coop_with_member, path, who, status):
    coop, member = coop_with_member
    users = {"buyer": Role.BUYER, "moderator": Role.MODERATOR, "admin": Role.ADMIN, "other owner": Role.OWNER}
    if who == "owner":
        auth.login(coop.owner.email)
    elif who != "visitor":
        auth.login(make_user(role=users[who]).email)
    response = client.get(path.format(b=coop.id, m=member.id))
    assert response.status_code == status
    if who == "visitor":
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ROUTES[1:4])
def test_other_owners_cannot_post_either(client, auth, make_user, coop_with_member, path):
    coop, member = coop_with_member
    auth.login(make_user(role=Role.OWNER).email)
    token = client.csrf_token("/my/businesses")
    response = client.post(path.format(b=coop.id, m=member.id), data={**member_form(), "csrf_token": token})
    assert response.status_code == 404
    db.session.refresh(member)
    assert member.name == "Sholehuddin" and member.active


def test_pruning_keeps_consent_forms_and_removes_those_of_forms_never_saved(app, make_coop, make_member):
    from datetime import timedelta
    from pathlib import Path

    from marketplace.media.services import prune_orphan_files

    coop = make_coop()
    member = make_member(coop)
    with unit_of_work():
        kept = services.store_consent_document(jpeg_bytes(color=(1, 2, 3)))
        member.consent_document = kept
        abandoned = services.store_consent_document(jpeg_bytes(color=(200, 2, 3)))
    documents = Path(app.config["UPLOAD_DIR"]) / "documents"
    with unit_of_work():
        prune_orphan_files(timedelta(0))
    assert (documents / kept).is_file() and not (documents / abandoned).exists()
