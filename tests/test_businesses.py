"""The owner's businesses: register, validate, edit, and nobody else's."""

import pytest

from marketplace.accounts.models import Role
from marketplace.businesses.models import Business, Verification
from marketplace.extensions import db

FORM = {
    "name": "Bordir Bangil Hasanah", "region": "35.14", "nib": "9120002234501", "size_class": "kecil",
    "whatsapp": "0812-3456-7890", "address": "Jl. Gajah Mada 41, Bangil", "description": "Mukena dan kebaya bordir.",
    "instagram": "https://instagram.com/bordirbangil",
}


@pytest.fixture
def owner(auth, make_user):
    user = make_user(role=Role.OWNER, region="35.14")
    auth.login(user.email)
    return user


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "812 3456 7890", "6281234567890"])
def test_register_business_normalises_whatsapp(client, owner, typed):
    response = client.submit("/my/businesses/new", {**FORM, "whatsapp": typed})
    assert response.status_code == 302
    business = db.session.scalar(db.select(Business))
    assert business.whatsapp == "6281234567890"
    assert business.owner_id == owner.id and business.region_code == "35.14"
    assert business.verification is Verification.UNVERIFIED
    assert business.slug == "bordir-bangil-hasanah"
    assert business.links == {"instagram": "https://instagram.com/bordirbangil"}


def test_slugs_are_unique(client, owner):
    client.submit("/my/businesses/new", FORM)
    client.submit("/my/businesses/new", FORM)
    assert sorted(db.session.scalars(db.select(Business.slug))) == ["bordir-bangil-hasanah", "bordir-bangil-hasanah-2"]


@pytest.mark.parametrize(("changes", "msg_id", "msg_en"), [
    ({"nib": "12345"}, "NIB terdiri dari tepat 13 digit", "The NIB has exactly 13 digits."),
    ({"whatsapp": "12-ab"}, "Masukkan nomor telepon Indonesia", "Enter an Indonesian phone number"),
    ({"region": "36.01"}, "Pilih daerah dari daftar", "Choose a region from the list."),
    ({"name": ""}, "Masukkan nama usaha", "Enter the business name."),
    ({"website": "not a url"}, "https://", "Enter a full address starting with https://"),
])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_bad_input_is_explained_and_typed_values_kept(client, owner, changes, msg_id, msg_en, lang):
    data = {**FORM, **changes}
    html = client.submit(f"/my/businesses/new?lang={lang}", data).get_data(as_text=True)
    assert (msg_id if lang == "id" else msg_en) in html
    assert "Mukena dan kebaya bordir." in html and 'value="Jl. Gajah Mada 41, Bangil"' not in html  # textarea keeps text
    assert "Jl. Gajah Mada 41, Bangil" in html
    for field in ("nib", "whatsapp"):
        assert f'value="{data[field]}"' in html
    assert db.session.scalar(db.select(db.func.count(Business.id))) == 0


def test_bad_logo_is_refused_and_the_business_form_survives(client, owner):
    data = {**FORM, "logo": (__import__("io").BytesIO(b"<?php echo 1; ?>"), "logo.jpg")}
    response = client.submit("/my/businesses/new?lang=en", data, content_type="multipart/form-data",
                             follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "logo.jpg" in html and "not a photo we can read" in html
    assert 'value="Bordir Bangil Hasanah"' in html and "Mukena dan kebaya bordir." in html
    assert db.session.scalar(db.select(db.func.count(Business.id))) == 0


@pytest.mark.parametrize("role", [Role.BUYER, Role.MODERATOR, Role.ADMIN])
def test_only_owners_have_businesses(client, auth, make_user, role):
    auth.login(make_user(role=role).email)
    assert client.get("/my/businesses").status_code == 403
    assert client.get("/my/businesses/new").status_code == 403


def test_another_owner_gets_404(client, auth, make_user, make_business):
    theirs = make_business()
    auth.login(make_user(role=Role.OWNER).email)
    for business_id in (theirs.id, theirs.id + 1000):
        assert client.get(f"/my/businesses/{business_id}/edit").status_code == 404
        assert client.submit(f"/my/businesses/{business_id}/edit", FORM, page="/my/businesses").status_code == 404
    db.session.refresh(theirs)
    assert theirs.name == "Batik Manggur Uji"


def test_changing_the_nib_sends_a_verified_business_back_to_verification(client, auth, make_business):
    business = make_business(region="35.14")
    auth.login(business.owner.email)
    page = f"/my/businesses/{business.id}/edit"
    assert client.submit(page, {**FORM, "nib": "1234567890123"}).status_code == 302
    db.session.refresh(business)
    assert business.verification is Verification.VERIFIED  # same NIB and region: still verified
    assert business.name == "Batik Manggur Uji" and business.revision.data["name"] == FORM["name"]  # waits for review
    assert client.submit(page, {**FORM, "nib": "9999999999999"}).status_code == 302
    db.session.refresh(business)
    assert business.verification is Verification.UNVERIFIED
    assert business.name == FORM["name"] and business.revision is None  # checked again as a whole, edit included


def test_logo_is_stored_as_a_clean_rendition_and_shown(client, owner, app):
    from io import BytesIO

    from tests.conftest import jpeg_bytes

    data = {**FORM, "logo": (BytesIO(jpeg_bytes((500, 500))), "logo.jpg")}
    assert client.submit("/my/businesses/new", data, content_type="multipart/form-data").status_code == 302
    business = db.session.scalar(db.select(Business))
    assert business.logo.endswith("-320")
    assert client.get(f"/media/{business.logo}.jpg").status_code == 200
    assert f"/media/{business.logo}.jpg" in client.get("/my/businesses").get_data(as_text=True)
