"""Finding 8 of issue 14: public content of a verified business changes only through its region's review.

An edit of a verified business's public profile (name, description, address, WhatsApp number, size class, logo,
links) waits in a revision while the approved version stays on its page, its products' seller card, the API, the
search index and the inquiry's WhatsApp link; the region's moderators approve, ask for changes or reject it like a
product edit. The alt text of an approved photo of a published product waits in the product's edit the same way."""

from io import BytesIO

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Business, BusinessRevision, ProfileEditStatus, SizeClass, Verification
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from tests.conftest import jpeg_bytes

FORM = {
    "name": "Griya Sekar Jagad", "region": "35.74", "nib": "1234567890123", "size_class": "menengah",
    "whatsapp": "0899-1111-2222", "address": "Jl. Baru 1", "description": "Profil baru.",
    "instagram": "https://instagram.com/penipu",
}


@pytest.fixture
def shop(make_business, make_product):
    """A verified business of 35.74 with one public product."""
    business = make_business(name="Batik Manggur Siti", description="Profil lama.", address="Jl. Lama 9")
    make_product(business=business, status="published", name="Kain Sekar")
    return business


def edit(client, auth, business, **changes):
    """The owner (logged in here unless already) saves the profile form."""
    if client.get("/my/businesses").status_code != 200:
        auth.login(business.owner.email)
    return client.submit(f"/my/businesses/{business.id}/edit?lang=en", {**FORM, **changes}, follow_redirects=True)


def as_moderator(client, auth, email="mod.kota@example.id"):
    auth.logout()
    auth.login(email)


def decide(client, business, **data):
    return client.submit(f"/moderation/businesses/{business.id}/edit", data, follow_redirects=True)


def public_texts(client, business) -> str:
    """Everything buyers can read about the business: its page, a product's seller card, the API, search."""
    product = db.session.scalar(db.select(Product).where(Product.business_id == business.id))
    pages = [f"/businesses/{business.slug}", f"/products/{product.id}", f"/api/v1/businesses/{business.slug}",
             f"/api/v1/products/{product.id}", "/products?q=sekar"]
    responses = [client.get(page, follow_redirects=True) for page in pages]
    assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
    return "\n".join(r.get_data(as_text=True) for r in responses)


def searched(client, words: str) -> bool:
    return "Kain Sekar" in client.get(f"/products?q={words}").get_data(as_text=True)


def audit_entries() -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_type != "user").order_by(AuditEntry.id)))


def test_an_edit_of_a_verified_business_is_not_public_until_its_region_approves(client, auth, shop, moderator, outbox):
    html = edit(client, auth, shop).get_data(as_text=True)
    assert "wait for the DKUPP&#39;s review" in html or "wait for the DKUPP's review" in html
    db.session.expire_all()
    business = db.session.get(Business, shop.id)
    assert business.name == "Batik Manggur Siti" and business.whatsapp == "6281234567890"
    assert business.revision.status is ProfileEditStatus.PENDING and business.revision.data["name"] == "Griya Sekar Jagad"
    public = public_texts(client, business)
    assert "Batik Manggur Siti" in public and "Profil lama." in public
    assert "Griya Sekar Jagad" not in public and "Profil baru." not in public and "penipu" not in public
    assert searched(client, "siti") and not searched(client, "griya")
    # the owner sees the edit waiting, and goes on from it in the form
    assert "Your edit waits for review" in client.get("/my/businesses?lang=en").get_data(as_text=True)
    assert 'value="Griya Sekar Jagad"' in client.get(f"/my/businesses/{shop.id}/edit").get_data(as_text=True)

    as_moderator(client, auth)
    queue = client.get("/moderation/?lang=en").get_data(as_text=True)
    assert "Edits of business profiles (1)" in queue and f"/moderation/businesses/{shop.id}/edit" in queue
    review = client.get(f"/moderation/businesses/{shop.id}/edit?lang=en").get_data(as_text=True)
    assert "<del>Batik Manggur Siti</del>" in review and "<ins>Griya Sekar Jagad</ins>" in review
    assert "<del>+6281234567890</del>" in review and "<ins>+6289911112222</ins>" in review
    assert "<del>Micro (mikro)</del>" in review and "<ins>Medium (menengah)</ins>" in review
    assert "https://instagram.com/penipu" in review

    decide(client, shop, action="approve")
    db.session.expire_all()
    business = db.session.get(Business, shop.id)
    assert business.name == "Griya Sekar Jagad" and business.whatsapp == "6289911112222"
    assert business.size_class is SizeClass.MENENGAH and business.links == {"instagram": "https://instagram.com/penipu"}
    assert business.revision is None and business.verification is Verification.VERIFIED
    public = public_texts(client, business)
    assert "Griya Sekar Jagad" in public and "Profil baru." in public and "Batik Manggur Siti" not in public
    assert searched(client, "griya") and not searched(client, "siti")
    notification = db.session.scalar(db.select(Notification))
    assert notification.kind == "business_revision.approve" and notification.user_id == shop.owner_id
    assert [mail["To"] for mail in outbox()] == [shop.owner.email]
    (entry,) = audit_entries()
    assert entry.action == "business_revision.approve" and entry.region_code == "35.74"
    assert entry.changes["name"] == ["Batik Manggur Siti", "Griya Sekar Jagad"]
    assert entry.changes["edit"] == ["pending", "approve"]


@pytest.mark.parametrize(("action", "status", "kind_text"), [
    ("request_changes", ProfileEditStatus.CHANGES_REQUESTED, "asks you to change your edit of the profile"),
    ("reject", ProfileEditStatus.REJECTED, "was rejected"),
])
def test_asking_for_changes_or_rejecting_keeps_the_approved_profile_and_tells_the_owner_why(
        client, auth, shop, moderator, outbox, action, status, kind_text):
    owner = shop.owner
    owner.locale = "en"
    db.session.commit()
    edit(client, auth, shop)
    as_moderator(client, auth)
    decide(client, shop, action=action, reason="Nomor WhatsApp bukan milik usaha ini.")
    db.session.expire_all()
    business = db.session.get(Business, shop.id)
    assert business.name == "Batik Manggur Siti" and business.whatsapp == "6281234567890"
    assert business.revision.status is status and business.revision.reason == "Nomor WhatsApp bukan milik usaha ini."
    assert "Griya Sekar Jagad" not in public_texts(client, business)
    (mail,) = outbox()
    assert kind_text in mail.get_content() and "Nomor WhatsApp bukan milik usaha ini." in mail.get_content()
    assert db.session.scalar(db.select(Notification.kind)) == f"business_revision.{action}"
    assert [e.action for e in audit_entries()] == [f"business_revision.{action}"]
    # the owner reads the reason on the list and in the form, in both languages
    auth.logout()
    auth.login(owner.email)
    for lang in ("id", "en"):
        for page in ("/my/businesses", f"/my/businesses/{shop.id}/edit"):
            assert "Nomor WhatsApp bukan milik usaha ini." in client.get(f"{page}?lang={lang}").get_data(as_text=True)
    # editing again sends the edit back to the queue
    edit(client, auth, shop, whatsapp="0812-3456-7890")
    db.session.expire_all()
    revision = db.session.get(Business, shop.id).revision
    assert revision.status is ProfileEditStatus.PENDING and revision.reason == ""


@pytest.mark.parametrize("action", ["request_changes", "reject"])
@pytest.mark.parametrize(("lang", "message"), [("id", "Berikan alasan"), ("en", "Give a reason the owner can act on.")])
def test_asking_for_changes_or_rejecting_needs_a_reason(client, auth, shop, moderator, action, lang, message):
    edit(client, auth, shop)
    as_moderator(client, auth)
    response = client.submit(f"/moderation/businesses/{shop.id}/edit?lang={lang}", {"action": action, "reason": " "})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Business, shop.id).revision.status is ProfileEditStatus.PENDING
    assert audit_entries() == [] and db.session.scalar(db.select(db.func.count(Notification.id))) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_moderator_of_another_region_gets_404(client, auth, shop, make_user, method):
    edit(client, auth, shop)
    auth.logout()
    auth.login(make_user(role=Role.MODERATOR, region="35.05").email)
    url = f"/moderation/businesses/{shop.id}/edit"
    response = client.get(url) if method == "get" else client.submit(url, {"action": "approve"}, page="/moderation/")
    assert response.status_code == 404
    assert "Griya Sekar Jagad" not in client.get("/moderation/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Business, shop.id).name == "Batik Manggur Siti" and audit_entries() == []


def test_the_service_refuses_another_region_as_a_404(app, shop, make_user):
    from marketplace.businesses.services import update_business
    from marketplace.domain import OutsideRegion
    from marketplace.moderation.services import decide_business_revision
    from marketplace.unit_of_work import unit_of_work

    with unit_of_work():
        update_business(shop, name="Griya Sekar Jagad")
    stranger = make_user(role=Role.MODERATOR, region="35.05")
    with pytest.raises(OutsideRegion), unit_of_work():
        decide_business_revision(stranger, shop, "approve", link="/my/businesses", inbox_url="http://localhost/")
    db.session.expire_all()
    assert db.session.get(Business, shop.id).name == "Batik Manggur Siti"


def test_a_decision_on_a_stale_version_is_refused(client, auth, shop, moderator):
    edit(client, auth, shop)
    db.session.expire_all()
    seen = str(db.session.get(Business, shop.id).revision.version)
    # the owner changes the edit again after the moderator opened the page
    edit(client, auth, shop, name="Griya Sekar Jagad Dua")
    as_moderator(client, auth)
    token = client.csrf_token(f"/moderation/businesses/{shop.id}/edit")
    html = client.post(f"/moderation/businesses/{shop.id}/edit?lang=en", data={
        "action": "approve", "version": seen, "csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "already decided" in html
    db.session.expire_all()
    business = db.session.get(Business, shop.id)
    assert business.name == "Batik Manggur Siti" and business.revision.status is ProfileEditStatus.PENDING
    assert audit_entries() == [] and db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_a_decided_edit_cannot_be_decided_again(client, auth, shop, moderator):
    edit(client, auth, shop)
    as_moderator(client, auth)
    decide(client, shop, action="reject", reason="Nama menyesatkan")
    html = decide(client, shop, action="approve").get_data(as_text=True)
    assert "already decided" in html or "sudah diputuskan" in html
    db.session.expire_all()
    assert db.session.get(Business, shop.id).name == "Batik Manggur Siti" and len(audit_entries()) == 1


def test_an_unverified_business_changes_at_once(client, auth, make_business):
    business = make_business(verified=False, name="Usaha Baru")
    html = edit(client, auth, business).get_data(as_text=True)
    assert "The business profile has been saved." in html
    db.session.expire_all()
    business = db.session.get(Business, business.id)
    assert business.name == "Griya Sekar Jagad" and business.revision is None
    assert db.session.scalar(db.select(db.func.count(BusinessRevision.id))) == 0


def test_a_new_nib_sends_the_business_back_to_verification_with_its_whole_profile(client, auth, shop):
    edit(client, auth, shop)  # an edit waits ...
    edit(client, auth, shop, nib="9999999999999", name="Griya Sekar Jagad Baru")  # ... then the NIB changes
    db.session.expire_all()
    business = db.session.get(Business, shop.id)
    assert business.verification is Verification.UNVERIFIED and business.revision is None
    assert business.name == "Griya Sekar Jagad Baru" and business.description == "Profil baru."
    assert client.get(f"/businesses/{business.slug}").status_code == 404  # not public until verified again


def test_saving_the_approved_profile_again_withdraws_the_edit(client, auth, shop):
    edit(client, auth, shop)
    approved = {"name": "Batik Manggur Siti", "description": "Profil lama.", "address": "Jl. Lama 9", "size_class": "mikro",
                "whatsapp": "0812-3456-7890", "instagram": ""}
    assert "The business profile has been saved." in edit(client, auth, shop, **approved).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Business, shop.id).revision is None


def test_a_new_logo_waits_for_review_is_shown_to_the_moderator_and_kept_from_pruning(client, auth, shop, moderator, runner):
    data = {**FORM, "name": shop.name, "logo": (BytesIO(jpeg_bytes((400, 400))), "logo.jpg")}
    auth.login(shop.owner.email)
    assert client.submit(f"/my/businesses/{shop.id}/edit", data, content_type="multipart/form-data").status_code == 302
    db.session.expire_all()
    business = db.session.get(Business, shop.id)
    proposed = business.revision.data["logo"]
    assert business.logo is None and proposed.endswith("-320")
    assert proposed not in client.get(f"/businesses/{shop.slug}").get_data(as_text=True)
    # the nightly prune keeps the files of a logo waiting for review
    result = runner.invoke(args=["prune-uploads", "--hours", "0"])
    assert result.exit_code == 0, result.output
    assert client.get(f"/media/{proposed}.jpg").status_code == 200
    as_moderator(client, auth)
    review = client.get(f"/moderation/businesses/{shop.id}/edit").get_data(as_text=True)
    assert f'<ins><img class="logo" src="/media/{proposed}.jpg"' in review
    decide(client, shop, action="approve")
    assert f"/media/{proposed}.jpg" in client.get(f"/businesses/{shop.slug}").get_data(as_text=True)


def test_the_header_count_includes_pending_business_edits(client, auth, shop, moderator):
    edit(client, auth, shop)
    as_moderator(client, auth)
    html = client.get("/my/?lang=en").get_data(as_text=True)
    assert '<span class="count" aria-hidden="true">1</span>' in html
    decide(client, shop, action="approve")
    assert 'class="count"' not in client.get("/my/?lang=en").get_data(as_text=True)


# --- alt text of the photos of a published product -----------------------------------------------------

def test_alt_text_of_a_public_photo_waits_for_review(client, auth, make_product, moderator):
    product = make_product(status="published", photos=2)
    first, second = product.photos
    auth.login(product.business.owner.email)
    page = f"/my/products/{product.id}/photos"
    client.submit(page, {f"alt-{first.id}": "Kain batik motif manggur, warna biru", f"alt-{second.id}": "foto 1",
                         f"position-{first.id}": "1", f"position-{second.id}": "2"})
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert [photo.alt_text for photo in product.photos] == ["foto 0", "foto 1"]  # buyers still read the approved text
    assert product.revision.data["alt_texts"] == {str(first.id): "Kain batik motif manggur, warna biru"}
    public = client.get(f"/products/{product.id}", follow_redirects=True).get_data(as_text=True)
    assert 'alt="foto 0"' in public and "warna biru" not in public
    assert 'value="Kain batik motif manggur, warna biru"' in client.get(page).get_data(as_text=True)  # the owner's edit
    # an edit of the content afterwards keeps the proposed alt text
    content = {"name": "Batik Tulis Manggur Biru", "description": product.description, "category": str(product.category_id),
               "unit": product.unit, "min_order": "1", "price_mode": "fixed", "price": "150000",
               "availability": product.availability.value}
    assert client.submit(f"/my/products/{product.id}/edit", content).status_code == 302

    as_moderator(client, auth)
    assert "Edits of published products (1)" in client.get("/moderation/?lang=en").get_data(as_text=True)
    review = client.get(f"/moderation/products/{product.id}?lang=en").get_data(as_text=True)
    assert "Alt text of photo 1" in review and "<del>foto 0</del>" in review
    assert "<ins>Kain batik motif manggur, warna biru</ins>" in review
    client.submit(f"/moderation/products/{product.id}", {"action": "approve"})
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.photos[0].alt_text == "Kain batik motif manggur, warna biru" and product.revision is None
    assert product.name == "Batik Tulis Manggur Biru"
    public = client.get(f"/products/{product.id}", follow_redirects=True).get_data(as_text=True)
    assert 'alt="Kain batik motif manggur, warna biru"' in public


def test_rejecting_an_alt_text_edit_keeps_the_approved_text(make_product):
    from marketplace.catalog.services import review_product, update_photos

    product = make_product(status="published")
    (photo,) = product.photos
    in_review, _refused = update_photos(product, alt_texts={photo.id: "Teks menyesatkan"}, order=[], delete=[], new=[])
    assert in_review
    review_product(product, "reject", Role.MODERATOR, reason="Teks alternatif tidak menggambarkan foto")
    assert photo.alt_text == "foto 0" and product.revision.data["alt_texts"] == {str(photo.id): "Teks menyesatkan"}


def test_alt_text_of_a_photo_buyers_cannot_see_changes_at_once(make_product):
    from marketplace.catalog.services import update_photos

    draft = make_product()
    (photo,) = draft.photos
    assert update_photos(draft, alt_texts={photo.id: "Kain biru"}, order=[], delete=[], new=[]) == (False, 0)
    assert photo.alt_text == "Kain biru" and draft.revision is None


# --- the whole flow in a browser --------------------------------------------------------------------------

def test_owner_and_moderator_go_through_a_profile_edit_in_the_browser(page, live_server, shop, moderator):
    import re

    from playwright.sync_api import expect

    from tests.conftest import PASSWORD

    def log_in(email):
        page.goto(f"{live_server}/auth/login?lang=en")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

    log_in(shop.owner.email)
    page.goto(f"{live_server}/my/businesses/{shop.id}/edit?lang=en")
    page.get_by_label("Business name").fill("Griya Sekar Jagad")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The changes wait for the DKUPP's review")).to_be_visible()
    expect(page.get_by_text("edit: in review")).to_be_visible()
    page.goto(f"{live_server}/businesses/{shop.slug}?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Batik Manggur Siti")
    page.get_by_role("button", name="Log out").click()

    log_in(moderator.email)
    expect(page.get_by_role("heading", name="Edits of business profiles (1)")).to_be_visible()
    page.get_by_role("link", name="Batik Manggur Siti").click()
    expect(page.locator("ins", has_text="Griya Sekar Jagad")).to_be_visible()
    page.get_by_label("Ask for changes").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Give a reason the owner can act on.")).to_be_visible()  # refused, nothing lost
    page.get_by_label("Reason for the owner").fill("Tulis nama sesuai NIB.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", name="Edits of business profiles (0)")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(shop.owner.email)
    page.goto(f"{live_server}/my/businesses?lang=en")
    expect(page.get_by_text("Tulis nama sesuai NIB.")).to_be_visible()
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_label("Business name")).to_have_value("Griya Sekar Jagad")
    page.get_by_label("Business name").fill("Griya Sekar Jagad Siti")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Log out").click()

    log_in(moderator.email)
    page.get_by_role("link", name="Batik Manggur Siti").click()
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page).to_have_url(re.compile(r"/moderation/$"))
    page.goto(f"{live_server}/businesses/{shop.slug}?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Griya Sekar Jagad Siti")
