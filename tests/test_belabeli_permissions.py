"""Every bela beli route for every role: visitor, buyer, the seller named by a purchase, another owner, the region's
moderator, a moderator of another region (404), an admin, the office's coordinator, another office's
coordinator (404) and a civil servant of the office (their own purchases only). A refused POST changes nothing (no audit entry)."""

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.belabeli import quotes
from marketplace.extensions import db
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.belabeli_helpers import LINKS, log, make_servant, make_site

ROLES = ("visitor", "buyer", "owner", "other_owner", "moderator", "other_moderator", "admin", "coordinator",
         "other_coordinator", "servant")
L = "login"
OFFICE_GET = (L, 403, 403, 403, 200, 404, 200, 200, 404, 403)
OFFICE_POST = (L, 403, 403, 403, 422, 404, 422, 422, 404, 403)
STAFF_GET = (L, 403, 403, 403, 200, 404, 200, 403, 403, 403)
STAFF_POST = (L, 403, 403, 403, 422, 404, 422, 403, 403, 403)
SERVANT_ONLY = (L, 403, 403, 403, 403, 403, 403, 403, 403, 200)

MATRIX = [
    ("get", "/bela-beli", (200,) * 10),
    ("get", "/bela-beli?region=35.13", (200,) * 10),
    ("get", "/office", (L, 403, 403, 403, 403, 403, 403, 302, 302, 403)),
    ("get", "/bela-beli/offices/{office}", OFFICE_GET),
    ("post", "/bela-beli/offices/{office}/headcount", OFFICE_POST),
    ("get", "/bela-beli/offices/{office}/purchases/new", OFFICE_GET),
    ("post", "/bela-beli/offices/{office}/purchases/new", OFFICE_POST),
    ("get", "/bela-beli/purchases/{purchase}/receipt", (L, 403, 403, 403, 200, 404, 200, 200, 404, 404)),
    ("get", "/bela-beli/purchases/{own}/receipt", (L, 403, 403, 403, 200, 404, 200, 200, 404, 200)),
    ("get", "/bela-beli/offices/{office}/quotes/new", OFFICE_GET),
    ("post", "/bela-beli/offices/{office}/quotes/new", OFFICE_POST),
    ("get", "/bela-beli/quotes/{quote}", OFFICE_GET),
    ("post", "/bela-beli/quotes/{quote}/offers/{offer}/accept", OFFICE_POST),
    ("get", "/my/bela-beli", (L, 403, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("get", "/my/bela-beli/purchases/{purchase}/receipt", (L, 403, 200, 404, 403, 403, 403, 403, 403, 403)),
    ("post", "/my/bela-beli/offers/{offer}", (L, 403, 422, 404, 403, 403, 403, 403, 403, 403)),
    ("post", "/my/bela-beli/purchases/{purchase}/dispute", (L, 403, 422, 404, 403, 403, 403, 403, 403, 403)),
    ("post", "/my/bela-beli/purchases/{purchase}/confirm", (L, 403, 302, 404, 403, 403, 403, 403, 403, 403)),
    ("get", "/moderation/bela-beli", (L, 403, 403, 403, 302, 302, 200, 403, 403, 403)),
    ("get", "/moderation/bela-beli/35.13", STAFF_GET),
    ("post", "/moderation/bela-beli/35.13", STAFF_POST),
    ("post", "/moderation/bela-beli/35.13/offices", STAFF_POST),
    ("post", "/moderation/bela-beli/offices/{office}/coordinator", STAFF_POST),
    ("get", "/moderation/bela-beli/35.13/fulfilment.csv", STAFF_GET),
    ("get", "/moderation/bela-beli/35.13/quotes/new", STAFF_GET),
    ("post", "/moderation/bela-beli/35.13/quotes/new", STAFF_POST),
    ("get", "/bela-beli/me", SERVANT_ONLY),
    ("get", "/bela-beli/me/purchases/new", SERVANT_ONLY),
    ("post", "/bela-beli/me/purchases/new", (L, 403, 403, 403, 403, 403, 403, 403, 403, 422)),
    ("post", "/bela-beli/offices/{office}/servants", OFFICE_POST),
    ("get", "/bela-beli/offices/{office}/sellers/{seller}/products", (L, 403, 403, 403, 200, 404, 200, 200, 404, 200)),
]


@pytest.fixture
def site(app, make_user, make_business, make_product):
    site = make_site(make_user, make_business)
    make_product(status="published", business=site.seller, category="keripik", name="Keripik Kentang")
    purchase = log(site, 75_000)
    servant = make_servant(site, make_user)
    own = log(site, 50_000, coordinator=servant)
    with unit_of_work():
        quote = quotes.request_quote(site.coordinator, db.session.merge(site.programme), db.session.merge(site.office),
                                     what="Nasi kotak rapat", quantity="40 kotak", needed_on=today(), budget=1_200_000,
                                     occasion="Rapat koordinasi", business_ids=[site.seller.id], today=today(),
                                     links=LINKS)
    users = {"buyer": make_user(role=Role.BUYER, region="35.13"), "owner": site.seller.owner,
             "other_owner": make_business(region="35.13", name="Lain Usaha").owner, "moderator": site.moderator,
             "other_moderator": make_user(role=Role.MODERATOR, region="35.74"), "admin": make_user(role=Role.ADMIN),
             "coordinator": site.coordinator, "other_coordinator": site.other_coordinator, "servant": servant}
    ids = {"office": site.office.id, "purchase": purchase.id, "quote": quote.id, "offer": quote.offers[0].id,
           "own": own.id, "seller": site.seller.id}
    return users, ids


def audit_count() -> int:
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.object_type != "user"))


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(client, auth, site, role):
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
        if want in (403, 404, 422, L) and method == "post":
            assert audit_count() == before, url
    assert not wrong
