"""Who reaches the offline form's routes (role x route): the service worker's script is public; a fresh CSRF token
for any logged-in user (it is of their own session); a photo upload only for owners (others 403, visitors to the
login page), and a refused upload stages nothing. A replayed submission of another owner's business is a 404, key
or not, and uses no key."""

import uuid
from io import BytesIO

import pytest

from marketplace.accounts.models import Role
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.offline.models import SubmissionKey
from tests.conftest import jpeg_bytes
from tests.test_products import product_form

ROLES = [
    pytest.param(None, None, id="visitor"),
    pytest.param(Role.BUYER, "35.74", id="buyer"),
    pytest.param(Role.OWNER, "35.74", id="owner"),
    pytest.param(Role.MODERATOR, "35.74", id="moderator-of-the-region"),
    pytest.param(Role.MODERATOR, "35.05", id="moderator-of-another-region"),
    pytest.param(Role.ADMIN, None, id="admin"),
]


def log_in_as(auth, make_user, role, region) -> str:
    """Log in a fresh user of role (None: stay a visitor); returns a page to read a CSRF token from."""
    if role is None:
        return "/auth/login"
    auth.login(make_user(role=role, region=region).email)
    return "/my/"


@pytest.mark.parametrize(("role", "region"), ROLES)
def test_the_service_worker_is_for_everyone(client, auth, make_user, role, region):
    log_in_as(auth, make_user, role, region)
    assert client.get("/sw.js").status_code == 200


@pytest.mark.parametrize(("role", "region"), ROLES)
def test_a_fresh_csrf_token_is_for_logged_in_users(client, auth, make_user, role, region):
    log_in_as(auth, make_user, role, region)
    response = client.get("/my/csrf-token")
    if role is None:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == 200 and response.get_json()["csrf_token"]


@pytest.mark.parametrize(("role", "region"), ROLES)
def test_only_owners_upload_a_photo(client, auth, make_user, role, region):
    page = log_in_as(auth, make_user, role, region)
    response = client.post("/my/photos", data={"key": str(uuid.uuid4()), "photo": (BytesIO(jpeg_bytes()), "a.jpg")},
                           headers={"X-CSRFToken": client.csrf_token(page)}, content_type="multipart/form-data")
    expected = {None: 302, Role.OWNER: 201}.get(role, 403)
    assert response.status_code == expected
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == (1 if role is Role.OWNER else 0)


def test_a_replay_to_another_owners_business_is_a_404_and_uses_no_key(client, auth, make_business):
    theirs = make_business(name="Batik Orang Lain")
    mine = make_business(name="Batik Sendiri")
    auth.login(mine.owner.email)
    token = client.get("/my/csrf-token").get_json()["csrf_token"]
    response = client.post(f"/my/businesses/{theirs.id}/products/new",
                           data={**product_form(), "idempotency_key": str(uuid.uuid4()), "csrf_token": token})
    assert response.status_code == 404
    assert db.session.scalars(db.select(Product)).all() == []
    assert db.session.scalars(db.select(SubmissionKey)).all() == []


def test_another_owners_key_does_not_answer_for_their_product(client, auth, make_business):
    """A key is looked up for the logged-in owner only: sending someone else's key makes one's own product, and
    never a redirect to theirs."""
    key = str(uuid.uuid4())
    theirs = make_business(name="Batik Orang Lain")
    auth.login(theirs.owner.email)
    token = client.get("/my/csrf-token").get_json()["csrf_token"]
    first = client.post(f"/my/businesses/{theirs.id}/products/new",
                        data={**product_form(), "idempotency_key": key, "csrf_token": token})
    auth.logout()
    mine = make_business(name="Batik Sendiri")
    auth.login(mine.owner.email)
    token = client.get("/my/csrf-token").get_json()["csrf_token"]
    second = client.post(f"/my/businesses/{mine.id}/products/new",
                         data={**product_form(), "idempotency_key": key, "csrf_token": token})
    assert first.headers["Location"] != second.headers["Location"]
    assert len(db.session.scalars(db.select(Product)).all()) == 2
