"""Every route of events for every role: visitor, buyer, the applying owner, another owner, a moderator of the host
region, a moderator of another region (404: the event is not theirs to know), and an admin. A refused request
changes nothing."""

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.events import booths
from marketplace.events.models import Application, Decision
from marketplace.extensions import db
from marketplace.unit_of_work import unit_of_work
from tests.events_helpers import NOW, apply_for, decide_and_release, make_event

ROLES = ("visitor", "buyer", "owner", "other_owner", "host_moderator", "other_moderator", "admin")
L = "login"  # a visitor is sent to the login page (302)

# route -> expected status for each role, in the order of ROLES
MATRIX = [
    ("get", "/events", (200,) * 7),
    ("get", "/events.ics", (200,) * 7),
    ("get", "/events/{slug}", (200,) * 7),
    ("get", "/events/{slug}.ics", (200,) * 7),
    ("get", "/events/{slug}/booths/{booth}", (200,) * 7),
    ("get", "/events/{slug}/booths/{booth}?via=qr", (200,) * 7),
    ("get", "/events/{slug}/booths/{booth}/whatsapp", (302,) * 7),
    ("post", "/events/{slug}/booths/{booth}/inquiry", (422,) * 7),
    ("get", "/my/events", (L, 403, 200, 200, 403, 403, 403)),
    ("get", "/my/events/{slug}/apply", (L, 403, 200, 200, 403, 403, 403)),
    ("post", "/my/events/applications/{pending}/confirm", (L, 403, 422, 404, 403, 403, 403)),
    ("post", "/my/events/applications/{pending}/cancel", (L, 403, 302, 404, 403, 403, 403)),
    ("post", "/my/events/applications/{booth}/sales", (L, 403, 422, 404, 403, 403, 403)),
    ("get", "/my/events/applications/{booth}/qr.svg", (L, 403, 200, 404, 403, 403, 403)),
    ("get", "/my/events/applications/{booth}/qr.png", (L, 403, 200, 404, 403, 403, 403)),
    ("get", "/moderation/events", (L, 403, 403, 403, 200, 200, 200)),
    ("get", "/moderation/events/new", (L, 403, 403, 403, 200, 200, 200)),
    ("get", "/moderation/events/{event}", (L, 403, 403, 403, 200, 404, 200)),
    ("post", "/moderation/events/{event}", (L, 403, 403, 403, 200, 404, 200)),
    ("post", "/moderation/events/{event}/booth-types", (L, 403, 403, 403, 422, 404, 422)),
    ("post", "/moderation/events/{event}/booth-types/{booth_type}/remove", (L, 403, 403, 403, 422, 404, 422)),
    ("get", "/moderation/events/{event}/applications", (L, 403, 403, 403, 200, 404, 200)),
    ("post", "/moderation/events/{event}/applications/{pending}/decision", (L, 403, 403, 403, 302, 404, 302)),
    ("post", "/moderation/events/{event}/applications/{booth}/withdraw", (L, 403, 403, 403, 302, 404, 302)),
    ("post", "/moderation/events/{event}/release", (L, 403, 403, 403, 302, 404, 302)),
    ("get", "/moderation/events/{event}/booths/{booth}/qr.svg", (L, 403, 403, 403, 200, 404, 200)),
    ("get", "/moderation/events/{event}/booths/{booth}/qr.png", (L, 403, 403, 403, 200, 404, 200)),
]


@pytest.fixture
def site(app, make_user, make_business, make_product):
    """An event of 35.13 with a confirmed booth and a pending application, both of the same owner."""
    event = make_event(make_user, count=2)
    booth = apply_for(event, make_business, make_product, name="Keripik Bromo")
    owner = booth.owner
    second = make_business(owner=owner, region="35.13", name="Kopi Tengger")
    product = make_product(status="published", business=second, category="keripik")
    from marketplace.events import services
    with unit_of_work():
        pending = services.apply(owner, event, event.booth_types[0], second, [product], "", NOW)
    decide_and_release(event, {booth: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(owner, db.session.get(Application, booth.id), NOW)
    users = {
        "buyer": make_user(role=Role.BUYER, region="35.13"), "owner": owner,
        "other_owner": make_business(region="35.13", name="Lain Usaha").owner,
        "host_moderator": event.staff, "other_moderator": make_user(role=Role.MODERATOR, region="35.74"),
        "admin": make_user(role=Role.ADMIN),
    }
    ids = {"slug": event.slug, "event": event.id, "booth": booth.id, "pending": pending.id,
           "booth_type": event.booth_types[0].id}
    return users, ids


def audit_count() -> int:
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.object_type != "user"))


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(client, auth, site, role, fixed_clock):
    users, ids = site
    if role != "visitor":
        auth.login(users[role].email)
    page = "/my/" if role != "visitor" else "/auth/login"
    wrong = []
    for method, path, expected in MATRIX:
        url = path.format(**ids)
        before = audit_count()
        response = client.get(url) if method == "get" else client.submit(url, {}, page=page)
        want = expected[ROLES.index(role)]
        got = "login" if response.status_code == 302 and "/auth/login" in response.location else response.status_code
        if got != want:
            wrong.append((method, url, got, want))
        if want in (403, 404, L) and method == "post":
            assert audit_count() == before, url
    assert not wrong


@pytest.fixture
def fixed_clock(monkeypatch):
    from marketplace.events import clock

    monkeypatch.setattr(clock, "now", lambda: NOW)
