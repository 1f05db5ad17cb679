"""Who reaches the coach's routes (role x route): the owner's coach page and actions only for the business's own
owner (another owner: 404); the dormant list and follow-up pages only for moderators, and only of the business's own
region (another region: 404). A refused request changes nothing."""

from datetime import timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Business
from marketplace.coach.models import FollowUp
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.timeutil import today

OWNER_ROUTES = [
    pytest.param("get", "/my/businesses/{business}/coach", None, id="coach-page"),
    pytest.param("post", "/my/businesses/{business}/away", {"until": "{until}"}, id="set-away"),
    pytest.param("post", "/my/businesses/{business}/away/end", {}, id="end-away"),
    pytest.param("post", "/my/businesses/{business}/archive", {"confirm": "y"}, id="archive"),
]
STAFF_ROUTES = [
    pytest.param("get", "/moderation/dormant/{business}", None, id="seller-page"),
    pytest.param("post", "/moderation/dormant/{business}", {"kind": "visited", "note": "x"}, id="log"),
    pytest.param("post", "/moderation/dormant/{business}/nudge", {}, id="nudge"),
    pytest.param("post", "/moderation/dormant/{business}/archive", {"reason": "Tutup"}, id="archive"),
    pytest.param("post", "/moderation/dormant/{business}/restore", {"note": "x"}, id="restore"),
]


@pytest.fixture
def business(make_business, make_product):
    business = make_business(region="35.74", name="Keripik Kota")
    make_product(business=business, status="published", name="Keripik Tempe")
    return business


def log_in_as(auth, make_user, role, region="35.74"):
    """Log in a fresh user of role (None: stay a visitor); returns a page to read a CSRF token from."""
    if role is None:
        return "/auth/login"
    auth.login(make_user(role=role, region=None if role is Role.ADMIN else region).email)
    return "/my/"


def send(client, method, url, data, page):
    if method == "get":
        return client.get(url)
    until = (today() + timedelta(days=5)).isoformat()
    return client.submit(url, {key: value.format(until=until) for key, value in data.items()}, page=page)


def unchanged(business_id: int) -> bool:
    db.session.expire_all()
    business = db.session.get(Business, business_id)
    return (business.away_until is None and business.archived_at is None and not db.session.scalars(
        db.select(FollowUp)).all() and not db.session.scalars(db.select(Notification).where(
            Notification.kind == "coach.nudge")).all()
        and not db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("coach.%"))).all())


@pytest.mark.parametrize(("role", "expected"), [
    pytest.param(Role.OWNER, 404, id="another-owner"), pytest.param(Role.BUYER, 403, id="buyer"),
    pytest.param(Role.MODERATOR, 403, id="moderator"), pytest.param(Role.ADMIN, 403, id="admin"),
    pytest.param(None, 302, id="visitor"),
])
@pytest.mark.parametrize(("method", "path", "data"), OWNER_ROUTES)
def test_only_the_owner_reaches_the_coach_page(client, auth, make_user, business, role, expected, method, path, data):
    page = log_in_as(auth, make_user, role)
    response = send(client, method, path.format(business=business.id), data, page)
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/auth/login")
    assert unchanged(business.id)


@pytest.mark.parametrize(("method", "path", "data"), OWNER_ROUTES)
def test_the_owner_reaches_their_own(client, auth, business, method, path, data):
    auth.login(business.owner.email)
    response = send(client, method, path.format(business=business.id), data,
                    f"/my/businesses/{business.id}/coach")
    assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize(("role", "region", "expected"), [
    pytest.param(Role.MODERATOR, "35.05", 404, id="moderator-of-another-region"),
    pytest.param(Role.OWNER, "35.74", 403, id="owner"), pytest.param(Role.BUYER, "35.74", 403, id="buyer"),
    pytest.param(Role.ADMIN, None, 403, id="admin"), pytest.param(None, None, 302, id="visitor"),
])
@pytest.mark.parametrize(("method", "path", "data"), STAFF_ROUTES)
def test_only_the_regions_moderators_follow_a_seller_up(client, auth, make_user, business, role, region, expected,
                                                        method, path, data):
    page = log_in_as(auth, make_user, role, region)
    response = send(client, method, path.format(business=business.id), data, page)
    assert response.status_code == expected
    assert unchanged(business.id)


@pytest.mark.parametrize(("method", "path", "data"), STAFF_ROUTES)
def test_the_regions_moderator_follows_up(client, auth, moderator, business, method, path, data):
    auth.login(moderator.email)
    if path.endswith("restore"):  # only an archived business can be restored
        client.submit(f"/moderation/dormant/{business.id}/archive", {"reason": "Tutup"}, page="/moderation/dormant")
    response = send(client, method, path.format(business=business.id), data, "/moderation/dormant")
    assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize(("role", "expected"), [
    pytest.param(Role.OWNER, 403, id="owner"), pytest.param(Role.BUYER, 403, id="buyer"),
    pytest.param(Role.ADMIN, 403, id="admin"), pytest.param(None, 302, id="visitor"),
    pytest.param(Role.MODERATOR, 200, id="moderator"),
])
def test_only_moderators_see_the_dormant_list(client, auth, make_user, business, role, expected):
    log_in_as(auth, make_user, role)
    assert client.get("/moderation/dormant").status_code == expected


def test_the_dormant_list_shows_only_the_moderators_region(client, auth, make_user, make_business, make_product):
    from tests.test_coach_dormant import backdate

    blitar = make_business(region="35.05", name="Telur Blitar")
    make_product(business=blitar, status="published", name="Telur", category="telur")
    backdate(blitar, 70)
    log_in_as(auth, make_user, Role.MODERATOR, "35.74")
    assert "Telur Blitar" not in client.get("/moderation/dormant").get_data(as_text=True)
    auth.logout()
    log_in_as(auth, make_user, Role.MODERATOR, "35.05")
    assert "Telur Blitar" in client.get("/moderation/dormant").get_data(as_text=True)
