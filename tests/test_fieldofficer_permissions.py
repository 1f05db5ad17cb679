"""Who reaches the field officers' routes (role x route). The officer's pages: only the field officer who onboarded
the owner, while the owner has not claimed the account (another region's officer, or a colleague: 404; every other
role: 403; a visitor is sent to log in). The outcomes and the invitation: only the region's moderators. A field
officer never verifies or approves: every moderation route is refused to them and changes nothing."""

import pytest

from marketplace.accounts.models import Role
from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.extensions import db
from marketplace.fieldofficers.models import AssistedOwner
from tests.fieldofficers_helpers import assisted_business, make_officer, onboard

OFFICER_ROUTES = [
    pytest.param("get", "/field/", None, id="index"),
    pytest.param("get", "/field/owners/new", None, id="new-owner-page"),
    pytest.param("post", "/field/owners/new", {"name": "Pak Baru", "email": "baru@example.id", "locale": "id"}, id="new-owner"),
    pytest.param("get", "/field/owners/{assisted}", None, id="owner"),
    pytest.param("post", "/field/owners/{assisted}/consent", {"method": "email", "consent_name": "X"}, id="consent"),
    pytest.param("get", "/field/owners/{assisted}/consent-form", None, id="consent-form"),
    pytest.param("post", "/field/owners/{assisted}/claim-link", {"by": "email"}, id="claim-link"),
    pytest.param("get", "/field/owners/{assisted}/businesses/new", None, id="new-business-page"),
    pytest.param("post", "/field/owners/{assisted}/businesses/new",
                 {"name": "Usaha Baru", "region": "35.74", "size_class": "mikro", "whatsapp": "081234500009"},
                 id="new-business"),
    pytest.param("get", "/field/businesses/{business}", None, id="business"),
    pytest.param("get", "/field/businesses/{business}/edit", None, id="edit-business-page"),
    pytest.param("post", "/field/businesses/{business}/edit",
                 {"name": "Diubah", "region": "35.74", "size_class": "mikro", "whatsapp": "081234500009"},
                 id="edit-business"),
    pytest.param("get", "/field/businesses/{business}/products/new", None, id="new-product-page"),
    pytest.param("post", "/field/businesses/{business}/products/new", "product", id="new-product"),
    pytest.param("get", "/field/products/{product}/edit", None, id="edit-product-page"),
    pytest.param("post", "/field/products/{product}/edit", "product", id="edit-product"),
    pytest.param("post", "/field/products/{product}/submit", {}, id="submit"),
]
# routes about the region's field officers: the moderators'
STAFF_ROUTES = [
    pytest.param("get", "/moderation/field-officers", None, id="outcomes"),
    pytest.param("get", "/moderation/field-officers/new", None, id="invite-page"),
    pytest.param("post", "/moderation/field-officers/new", {"email": "pl@example.id", "name": "PL", "locale": "id"},
                 id="invite"),
]


@pytest.fixture
def world(app, make_user, make_product):
    """A field officer of 35.74 with an unclaimed owner (consent recorded), their business and a draft product."""
    officer = make_officer(make_user, email="petugas@example.id")
    assisted = onboard(app, officer)
    business = assisted_business(app, assisted)
    product = make_product(business=business, name="Kerupuk Udang")
    return {"officer": officer, "assisted": assisted.id, "business": business.id, "product": product.id}


def product_data() -> dict:
    category = db.session.scalar(db.select(Category).where(Category.slug == "batik-tulis"))
    return {"category": str(category.id), "name": "Produk Baru", "price_mode": "fixed", "price": "10.000", "unit": "pcs",
            "min_order": "1", "availability": "ready", "staged": ""}


def log_in(auth, make_user, who, world):
    """Log in as who; returns a page to read a CSRF token from."""
    if who is None:
        return "/auth/login"
    if who == "officer":
        auth.login(world["officer"].email)
        return "/field/"
    if who == "officer-other-region":
        auth.login(make_officer(make_user, region="35.05").email)
        return "/field/"
    if who == "officer-same-region":
        auth.login(make_officer(make_user).email)
        return "/field/"
    role, region = who
    auth.login(make_user(role=role, region=None if role is Role.ADMIN else region).email)
    return "/my/"


def send(client, method, path, data, page, world):
    url = path.format(**world)
    if method == "get":
        return client.get(url)
    payload = product_data() if data == "product" else data
    return client.submit(url, payload, page=page)


def snapshot(world) -> tuple:
    db.session.expire_all()
    business = db.session.get(Business, world["business"])
    product = db.session.get(Product, world["product"])
    assisted = db.session.get(AssistedOwner, world["assisted"])
    return (db.session.scalar(db.select(db.func.count(AssistedOwner.id))), business.name, business.verification,
            product.name, product.status, assisted.consent_method, assisted.owner.password_hash,
            db.session.scalar(db.select(db.func.count(Product.id))), db.session.scalar(db.select(db.func.count(Business.id))))


OTHERS = [
    pytest.param(None, 302, id="visitor"),
    pytest.param((Role.BUYER, "35.74"), 403, id="buyer"),
    pytest.param((Role.OWNER, "35.74"), 403, id="owner"),
    pytest.param((Role.MODERATOR, "35.74"), 403, id="moderator-of-region"),
    pytest.param((Role.MODERATOR, "35.05"), 403, id="moderator-other-region"),
    pytest.param((Role.ADMIN, None), 403, id="admin"),
]
SCOPED = {"index", "new-owner-page", "new-owner"}  # not about one owner: any field officer reaches them


@pytest.mark.parametrize(("who", "expected"), [
    *OTHERS, pytest.param("officer-other-region", 404, id="officer-other-region"),
    pytest.param("officer-same-region", 404, id="officer-colleague"),
])
@pytest.mark.parametrize(("method", "path", "data"), OFFICER_ROUTES)
def test_only_the_onboarding_officer_reaches_the_owner(client, auth, make_user, world, who, expected, method, path, data):
    before = snapshot(world)
    page = log_in(auth, make_user, who, world)
    response = send(client, method, path, data, page, world)
    if isinstance(who, str) and "{" not in path:
        assert response.status_code in (200, 302)  # their own list and a new owner of their own
        return
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/auth/login")
    assert snapshot(world) == before


@pytest.mark.parametrize(("method", "path", "data"), OFFICER_ROUTES)
def test_the_onboarding_officer_reaches_every_route(client, auth, make_user, world, method, path, data):
    page = log_in(auth, make_user, "officer", world)
    response = send(client, method, path, data, page, world)
    # the owner's consent is recorded already: asking for it again is refused as a conflict, not as a permission
    expected = (409,) if path.endswith("/consent") else (200, 302)
    assert response.status_code in expected, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize(("who", "expected"), [
    pytest.param(None, 302, id="visitor"), pytest.param((Role.BUYER, "35.74"), 403, id="buyer"),
    pytest.param((Role.OWNER, "35.74"), 403, id="owner"), pytest.param((Role.ADMIN, None), 403, id="admin"),
    pytest.param("officer", 403, id="field-officer"),
    pytest.param((Role.MODERATOR, "35.74"), 200, id="moderator-of-region"),
    pytest.param((Role.MODERATOR, "35.05"), 200, id="moderator-other-region"),  # sees their own region's officers
])
@pytest.mark.parametrize(("method", "path", "data"), STAFF_ROUTES)
def test_only_moderators_see_outcomes_and_invite(client, auth, make_user, world, who, expected, method, path, data):
    page = log_in(auth, make_user, who, world)
    response = send(client, method, path, data, page, world)
    if expected == 200 and method == "post":
        expected = 302
    assert response.status_code == expected
    assert db.session.scalar(db.select(db.func.count(AssistedOwner.id))) == 1  # nobody onboarded an owner here


@pytest.mark.parametrize(("method", "path", "data"), [
    pytest.param("get", "/moderation/", None, id="queue"),
    pytest.param("get", "/moderation/products/{product}", None, id="product-page"),
    pytest.param("post", "/moderation/products/{product}", {"action": "approve", "version": "1"}, id="approve-product"),
    pytest.param("get", "/moderation/businesses/{business}", None, id="business-page"),
    pytest.param("post", "/moderation/businesses/{business}", {"action": "verify", "version": "1"}, id="verify-business"),
    pytest.param("get", "/moderation/businesses/{business}/edit", None, id="business-edit-review"),
    pytest.param("post", "/moderation/businesses/{business}/edit", {"action": "approve", "version": "1"},
                 id="approve-business-edit"),
    pytest.param("get", "/moderation/audit", None, id="audit"),
    pytest.param("get", "/moderation/dormant", None, id="dormant"),
    pytest.param("get", "/moderation/field-officers", None, id="outcomes"),
    pytest.param("get", "/admin/", None, id="admin"),
])
def test_a_field_officer_can_never_verify_or_approve(client, auth, make_user, world, method, path, data):
    with_pending = world
    db.session.get(Product, world["product"]).status = ProductStatus.PENDING
    db.session.commit()
    before = snapshot(with_pending)
    page = log_in(auth, make_user, "officer", world)
    response = send(client, method, path, data, page, world)
    assert response.status_code in (403, 404)
    after = snapshot(world)
    assert after == before and after[2] is Verification.UNVERIFIED and after[4] is ProductStatus.PENDING


@pytest.mark.parametrize("kind", ["consent", "claim"])
def test_the_owners_links_refuse_a_bad_token_and_staff_sessions(client, auth, make_user, world, kind):
    assert client.get(f"/assisted/{kind}/not-a-token").status_code == 404
    log_in(auth, make_user, "officer", world)
    assert client.get(f"/assisted/{kind}/not-a-token").status_code == 403
