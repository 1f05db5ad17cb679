"""Cells of the role x object x action matrix (docs/SECURITY.md) that no other test enforced: showcase curation by
everyone but the host region, nominating someone else's product, other owners' inquiries, the audit log, certificate
documents and staff deactivation. A refused request changes nothing."""

from datetime import timedelta

import pytest

from marketplace.accounts.models import Role, User
from marketplace.audit.models import AuditEntry
from marketplace.certifications.models import Certification, CertType
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.inquiries.services import send_inquiry
from marketplace.regions.models import Agreement
from marketplace.showcases import services as showcases
from marketplace.showcases.models import Nomination, NominationStatus, Showcase, ShowcaseItem
from marketplace.timeutil import today
from tests.conftest import INQUIRY_LINKS

BLITAR_MOU = "mou-kota-probolinggo-kab-blitar-2025"  # parties 35.74 (the host below) and 35.05

# (who, region) that must not touch the showcase hosted by 35.74, and what they get: moderators of another region
# (even one party to the agreement) get 404, other roles 403, a visitor the login page.
REFUSED = [
    pytest.param(Role.MODERATOR, "35.05", 404, id="moderator-of-another-party-region"),
    pytest.param(Role.MODERATOR, "35.14", 404, id="moderator-of-a-region-not-party"),
    pytest.param(Role.OWNER, "35.74", 403, id="owner"),
    pytest.param(Role.BUYER, "35.74", 403, id="buyer"),
    pytest.param(None, None, 302, id="visitor"),
]
SHOWCASE_ACTIONS = [
    pytest.param("get", "/moderation/showcases/{showcase}", None, id="view-curation"),
    pytest.param("post", "/moderation/showcases/{showcase}", {"title": "Diambil alih", "agreement": "{agreement}"}, id="edit"),
    pytest.param("post", "/moderation/showcases/{showcase}/items/{item}/remove", {}, id="remove-item"),
    pytest.param("post", "/moderation/showcases/{showcase}/order", {"position-{item}": "9"}, id="reorder"),
    pytest.param("post", "/moderation/showcases/{showcase}/nominations/{nomination}", {"decision": "accept"},
                 id="decide-nomination"),
]


def log_in_as(auth, make_user, role, region):
    """Log in a fresh user of role (None: stay a visitor); returns the page a CSRF token can be read from."""
    if role is None:
        return "/auth/login"
    auth.login(make_user(role=role, region=region if role is not Role.ADMIN else None).email)
    return "/my/"


def request(client, method, url, data, page):
    return client.get(url) if method == "get" else client.submit(url, data, page=page)


def audit_count() -> int:
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.object_type != "user"))


@pytest.fixture
def curated(app, make_user, make_business, make_product):
    """A live showcase hosted by 35.74 with one product in it and one pending nomination from Blitar."""
    host = make_user(role=Role.MODERATOR, region="35.74", email="host@example.id")
    kota = make_product(business=make_business(region="35.74", name="Batik Kota"), status="published", name="Batik Kota")
    blitar = make_product(business=make_business(region="35.05", name="Telur Blitar"), status="published",
                          name="Telur Blitar", category="telur")
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == BLITAR_MOU))
    on = today()
    showcase = showcases.create_showcase(host, agreement=agreement, host_region_code="35.74", title="Etalase Asli",
                                         on=on, published=True, starts_on=on - timedelta(days=1),
                                         ends_on=on + timedelta(days=30))
    showcases.add_product(host, showcase, kota, on)
    nomination = showcases.nominate(blitar.business.owner, showcase, blitar, "Telur segar", on)
    return {"showcase": showcase.id, "agreement": agreement.id, "item": kota.id, "nomination": nomination.id}


@pytest.mark.parametrize(("role", "region", "expected"), REFUSED)
@pytest.mark.parametrize(("method", "path", "data"), SHOWCASE_ACTIONS)
def test_only_the_host_region_curates(client, auth, make_user, curated, role, region, expected, method, path, data):
    page = log_in_as(auth, make_user, role, region)
    audited = audit_count()
    url = path.format(**curated)
    form = {key.format(**curated): value.format(**curated) for key, value in (data or {}).items()}
    response = request(client, method, url, form, page)
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/auth/login")
    db.session.expire_all()
    showcase = db.session.get(Showcase, curated["showcase"])
    item = db.session.scalar(db.select(ShowcaseItem).where(ShowcaseItem.showcase_id == showcase.id))
    assert showcase.title == "Etalase Asli"
    assert item is not None and item.product_id == curated["item"] and item.position != 9
    assert db.session.get(Nomination, curated["nomination"]).status is NominationStatus.PENDING
    assert audit_count() == audited


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN], ids=["host-region-moderator", "admin"])
def test_host_region_and_admin_curate(client, auth, make_user, curated, role):
    if role is Role.MODERATOR:
        auth.login("host@example.id", password="rahasia-uji-2025")
    else:
        log_in_as(auth, make_user, role, None)
    base = f"/moderation/showcases/{curated['showcase']}"
    assert client.get(base).status_code == 200
    assert client.submit(f"{base}/nominations/{curated['nomination']}", {"decision": "accept"}, page=base).status_code == 302
    assert client.submit(f"{base}/items/{curated['item']}/remove", {}, page=base).status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, curated["nomination"]).status is NominationStatus.ACCEPTED
    items = db.session.scalars(db.select(ShowcaseItem.product_id).where(ShowcaseItem.showcase_id == curated["showcase"]))
    assert curated["item"] not in set(items)


@pytest.mark.parametrize(("role", "expected"), [(Role.OWNER, 404), (Role.BUYER, 403), (Role.MODERATOR, 403), (None, 302)],
                         ids=["other-owner", "buyer", "moderator", "visitor"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_nominates_someone_elses_product(client, auth, make_user, curated, role, expected, method):
    page = log_in_as(auth, make_user, role, "35.74")
    url = f"/my/products/{curated['item']}/nominate"
    response = request(client, method, url, {"showcase": str(curated["showcase"]), "pitch": "Punya saya"}, page)
    assert response.status_code == expected
    assert db.session.scalar(db.select(db.func.count(Nomination.id))) == 1


@pytest.fixture
def inquiry(app, make_product):
    product = make_product(status="published")
    return send_inquiry(product, buyer=None, name="Budi Santoso", contact="6281234567890", quantity=3,
                        message="Masih ada?", buyer_region_code="35.05", **INQUIRY_LINKS)


# Issue 16: a thread is seen by its two parties only, anyone else gets 404 whatever the role; /my/inquiries is also a
# buyer's (their sent inquiries), staff get 403 there. Buyers' threads: tests/test_talk_threads.py.
@pytest.mark.parametrize(("role", "expected", "inbox"), [(Role.OWNER, 404, 200), (Role.BUYER, 404, 200),
                                                         (Role.MODERATOR, 404, 403), (Role.ADMIN, 404, 403),
                                                         (None, 302, 302)],
                         ids=["other-owner", "buyer", "moderator", "admin", "visitor"])
def test_only_the_seller_reads_and_answers_an_inquiry(client, auth, make_user, inquiry, role, expected, inbox):
    page = log_in_as(auth, make_user, role, "35.74")
    url = f"/my/inquiries/{inquiry.id}"
    assert client.get(url).status_code == expected
    assert client.submit(url, {"status": "closed"}, page=page).status_code == expected
    assert client.get("/my/inquiries").status_code == inbox
    db.session.expire_all()
    assert db.session.get(Inquiry, inquiry.id).status is InquiryStatus.NEW


@pytest.mark.parametrize(("role", "expected"), [(Role.OWNER, 403), (Role.BUYER, 403), (None, 302)],
                         ids=["owner", "buyer", "visitor"])
def test_audit_log_is_for_staff_only(client, auth, make_user, role, expected):
    log_in_as(auth, make_user, role, "35.74")
    assert client.get("/moderation/audit").status_code == expected
    assert client.get("/moderation/audit?format=csv").status_code == expected


@pytest.mark.parametrize(("role", "region", "expected"), [
    pytest.param(Role.MODERATOR, "35.74", 200, id="moderator-of-the-region"),
    pytest.param(Role.MODERATOR, "35.05", 404, id="moderator-of-another-region"),
    pytest.param(Role.OWNER, "35.74", 403, id="other-owner"),
    pytest.param(Role.BUYER, "35.74", 403, id="buyer"),
    pytest.param(Role.ADMIN, None, 403, id="admin"),
    pytest.param(None, None, 302, id="visitor"),
])
def test_certificate_documents_reach_only_the_regions_moderators(client, auth, make_user, make_business, app,
                                                                 role, region, expected):
    from marketplace.media.documents import store_document

    business = make_business(region="35.74")
    store_document("0" * 32 + ".pdf", b"%PDF-1.7\n%%EOF\n")
    cert = Certification(business=business, cert_type=CertType.HALAL, number="ID35110000123450724", issuer="BPJPH",
                         document="0" * 32 + ".pdf")
    db.session.add(cert)
    db.session.commit()
    log_in_as(auth, make_user, role, region)
    assert client.get(f"/moderation/certifications/{cert.id}/document").status_code == expected
    assert client.get(f"/my/certifications/{cert.id}/document").status_code == (404 if role is Role.OWNER else
                                                                                 302 if role is None else 403)


@pytest.mark.parametrize(("role", "expected"), [(Role.MODERATOR, 403), (Role.OWNER, 403), (Role.BUYER, 403), (None, 302)],
                         ids=["moderator", "owner", "buyer", "visitor"])
def test_only_admins_deactivate_accounts(client, auth, make_user, role, expected):
    victim = make_user(role=Role.MODERATOR, region="35.05", email="korban@example.id")
    page = log_in_as(auth, make_user, role, "35.74")
    assert client.submit(f"/admin/users/{victim.id}/deactivate", {}, page=page).status_code == expected
    db.session.expire_all()
    assert db.session.get(User, victim.id).active is True


@pytest.mark.parametrize(("role", "expected"), [(Role.BUYER, 403), (Role.MODERATOR, 403), (Role.ADMIN, 403), (None, 302)],
                         ids=["buyer", "moderator", "admin", "visitor"])
def test_only_owners_manage_products(client, auth, make_user, make_product, role, expected):
    product = make_product()
    page = log_in_as(auth, make_user, role, "35.74")
    assert client.get("/my/products").status_code == expected
    assert client.get(f"/my/products/{product.id}/edit").status_code == expected
    assert client.submit(f"/my/products/{product.id}/submit", {}, page=page).status_code == expected
    assert client.submit(f"/my/products/{product.id}/delete", {}, page=page).status_code == expected
    db.session.expire_all()
    assert product.status.value == "draft"


# --- the review of a verified business's profile (issue 14, finding 8) --------------------------------------

@pytest.fixture
def profile_edit(app, make_business):
    """A verified business of 35.74 whose owner's edit of the public profile waits for review."""
    from marketplace.businesses.services import update_business
    from marketplace.unit_of_work import unit_of_work

    business = make_business(region="35.74", name="Batik Asli")
    with unit_of_work():
        update_business(business, name="Batik Diubah")
    return business


def profile_untouched(business_id: int) -> None:
    from marketplace.businesses.models import Business, ProfileEditStatus

    db.session.expire_all()
    business = db.session.get(Business, business_id)
    assert business.name == "Batik Asli" and business.revision.status is ProfileEditStatus.PENDING
    assert business.revision.data["name"] == "Batik Diubah"


@pytest.mark.parametrize(("role", "region", "expected"), [
    pytest.param(Role.MODERATOR, "35.05", 404, id="moderator-of-another-region"),
    pytest.param(Role.OWNER, "35.74", 403, id="owner-of-another-business"),
    pytest.param(Role.BUYER, "35.74", 403, id="buyer"),
    pytest.param(Role.ADMIN, None, 403, id="admin"),
    pytest.param(None, None, 302, id="visitor"),
])
@pytest.mark.parametrize("action", ["view", "approve", "reject"])
def test_only_the_regions_moderators_decide_a_profile_edit(client, auth, make_user, profile_edit, role, region, expected,
                                                           action):
    page = log_in_as(auth, make_user, role, region)
    audited = audit_count()
    url = f"/moderation/businesses/{profile_edit.id}/edit"
    data = {"action": action, "reason": "Nama menyesatkan"}
    response = client.get(url) if action == "view" else client.submit(url, data, page=page)
    assert response.status_code == expected
    profile_untouched(profile_edit.id)
    assert audit_count() == audited


def test_the_business_owner_cannot_decide_their_own_edit(client, auth, profile_edit):
    auth.login(profile_edit.owner.email)
    url = f"/moderation/businesses/{profile_edit.id}/edit"
    assert client.get(url).status_code == 403
    assert client.submit(url, {"action": "approve"}, page="/my/").status_code == 403
    profile_untouched(profile_edit.id)


@pytest.mark.parametrize(("role", "expected"), [(Role.OWNER, 404), (Role.BUYER, 403), (Role.MODERATOR, 403),
                                                (Role.ADMIN, 403), (None, 302)],
                         ids=["owner-of-another-business", "buyer", "moderator", "admin", "visitor"])
def test_only_the_owner_edits_a_business_profile(client, auth, make_user, profile_edit, role, expected):
    page = log_in_as(auth, make_user, role, "35.74")
    url = f"/my/businesses/{profile_edit.id}/edit"
    form = {"name": "Diambil alih", "region": "35.74", "nib": "1234567890123", "size_class": "mikro",
            "whatsapp": "0812-0000-0000"}
    assert client.get(url).status_code == expected
    assert client.submit(url, form, page=page).status_code == expected
    profile_untouched(profile_edit.id)


@pytest.mark.parametrize(("role", "expected"), [(Role.MODERATOR, 403), (Role.OWNER, 403), (Role.BUYER, 403), (None, 302)],
                         ids=["moderator-of-the-region", "owner", "buyer", "visitor"])
def test_only_admins_edit_a_regions_office(client, auth, make_user, role, expected):
    from marketplace.regions.models import Region

    page = log_in_as(auth, make_user, role, "35.74")
    assert client.get("/admin/regions/35.74/office").status_code == expected
    response = client.submit("/admin/regions/35.74/office", {"office_name": "Diambil alih"}, page=page)
    assert response.status_code == expected
    db.session.expire_all()
    assert db.session.get(Region, "35.74").office_name is None and audit_count() == 0
