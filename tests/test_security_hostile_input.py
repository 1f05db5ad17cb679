"""Hostile input never costs a 5xx (docs/SECURITY.md, finding 5): every route of every blueprint, with hostile values
in every query argument the app reads (and the names url_for keeps for itself), in its path parameters, in form fields
and in headers, as a visitor and as each role. Bad values are ignored or answered 4xx with the site's own page."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from werkzeug.routing import IntegerConverter

from marketplace.accounts.models import Role
from marketplace.accounts.services import make_reset_token
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.certifications.models import Certification, CertType
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.cooperatives.services import add_member
from marketplace.extensions import db
from marketplace.inquiries.services import send_inquiry
from marketplace.media.models import Photo
from marketplace.moderation.models import ReportReason
from marketplace.moderation.services import file_report
from marketplace.regions.models import Agreement
from marketplace.showcases import services as showcases
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS

LONG = "9" * 5000  # too long for any field, and a number no int() reads (over 4,300 digits) or a column holds
HOSTILE = [
    "\x00", "\x1b[31ma\x00b\x7f", "\r\nSet-Cookie: x=1", LONG, "'; DROP TABLE product; --", "<script>alert(1)</script>",
    "-1", "99999999999999999999", "../../etc/passwd", "", "🙂", "²", "9999-12-31", "0001-01-01",
]
VALUES = [*HOSTILE, "csv"]  # with format=csv once per route: the audit log's export reads the same filters
# Every query argument a view, a form or a template helper reads (grep request.args, Filters.from_args, AuditFilterForm),
# the names url_for keeps for itself or for a route's own parameters, and a few the app never reads.
ARGS = [
    "q", "region", "category", "cert", "min_price", "max_price", "sort", "page", "lang", "next", "format", "status",
    "action", "object_type", "actor", "date_from", "date_to", "v",
    "slug", "endpoint", "_method", "_external", "_anchor", "product_id", "showcase_id", "business_id", "token",
]
ROLES = [None, Role.OWNER, Role.BUYER, Role.MODERATOR, Role.ADMIN]
PRIVATE = ("/my/", "/moderation/", "/admin/")
# whose crawl sends every hostile query string to which pages (the others get one per route): the public pages
# as a visitor, each private part of the site as the roles it is for
SWEEPS = {None: "public", Role.BUYER: ("/my/",), Role.OWNER: ("/my/",), Role.MODERATOR: ("/moderation/",),
          Role.ADMIN: ("/admin/", "/moderation/")}
BLITAR_MOU = "mou-kota-probolinggo-kab-blitar-2025"
PLACEHOLDER = re.compile(r"<(?:[^<>:]+:)?(\w+)>")


@pytest.fixture
def site(app, make_user, make_business, make_product):
    """A small site in region 35.74 with one object of every kind a route names, and a user of every role."""
    from marketplace.inquiries.views import _serializer
    from marketplace.media.documents import store_document

    owner = make_user(role=Role.OWNER, email="owner@example.id")
    users = {Role.OWNER: owner, Role.BUYER: make_user(role=Role.BUYER, email="buyer@example.id"),
             Role.MODERATOR: make_user(role=Role.MODERATOR, email="moderator@example.id"),
             Role.ADMIN: make_user(role=Role.ADMIN, email="admin@example.id")}
    business = make_business(owner=owner, name="Batik Manggur", kind=BusinessKind.COOPERATIVE,  # with a member: its routes
                             cooperative_kind=CooperativeKind.PRODUCER, legal_entity_number="503/12/BH/XVI.15/2015")
    product = make_product(business=business, status="published", name="Batik Tulis Manggur")
    other = make_product(business=business, status="published", name="Batik Cap Manggur")
    make_product(business=business, status="pending", name="Batik Menunggu")
    on = today()
    with unit_of_work():
        store_document("0" * 32 + ".pdf", b"%PDF-1.7\n%%EOF\n")
        certification = Certification(business=business, cert_type=CertType.HALAL, number="ID35110000123450724",
                                      issuer="BPJPH", document="0" * 32 + ".pdf")
        db.session.add(certification)
        member = add_member(owner, business, name="Sholehuddin", desa="Jrebeng Kidul", kecamatan="Wonoasih",
                            consent_scope=ConsentScope.DESA_ONLY, consent_method=ConsentMethod.SIGNED_FORM,
                            consent_document="0" * 32 + ".pdf")
        inquiry = send_inquiry(product, buyer=None, name="Budi Santoso", contact="6281234567890", quantity=3,
                               message="Masih ada?", buyer_region_code="35.05", **INQUIRY_LINKS)
        report = file_report(product, None, ReportReason.MISLEADING, "Foto tidak sesuai")
        agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == BLITAR_MOU))
        showcase = showcases.create_showcase(users[Role.MODERATOR], agreement=agreement, host_region_code="35.74",
                                             title="Etalase Uji", on=on, published=True,
                                             starts_on=on - timedelta(days=1), ends_on=on + timedelta(days=30))
        showcases.add_product(users[Role.MODERATOR], showcase, product, on)
        nomination = showcases.nominate(owner, showcase, other, "Batik cap terbaik", on)
        db.session.flush()
    booth = confirmed_booth(users[Role.MODERATOR], business, product)
    photo = db.session.scalar(db.select(Photo).where(Photo.product_id == product.id))
    staples = _staples(make_user, make_business, business)
    values = {
        "product_id": product.id, "other_product_id": other.id, "business_id": business.id,
        "certification_id": certification.id, "inquiry_id": inquiry.id, "report_id": report.id,
        "showcase_id": showcase.id, "nomination_id": nomination.id, "agreement_id": agreement.id,
        "category_id": product.category_id, "user_id": users[Role.BUYER].id,
        "code": "35.74", "token": make_reset_token(users[Role.BUYER]), "filename": "css/site.css",
        "name": f"{photo.content_hash}-320.webp", "photo_id": photo.id, "member_id": member.id, **staples,
        "event_id": booth.event_id, "application_id": booth.id, "booth_type_id": booth.booth_type_id, "kind": "svg",
    }
    slugs = {"catalog": product.slug, "businesses": business.slug, "api": business.slug, "showcases": showcase.slug,
             "events": booth.event.slug}
    sent_token = _serializer().dumps(inquiry.id)
    return {"users": users, "values": values, "slugs": slugs, "sent_token": sent_token}


def confirmed_booth(moderator, business, product):
    """An event of the moderator's region, published, with the business's confirmed booth."""
    from marketplace.events import booths, services
    from marketplace.events.models import Decision
    from marketplace.models_base import utcnow

    now = utcnow()
    links = services.Links(my_events="/my/events", inbox_url="http://localhost/my/notifications")
    with unit_of_work():
        event = services.create_event(moderator, host_region_code=moderator.region_code, title="Bazar Uji",
                                      venue_name="Alun-alun", starts_at=now + timedelta(days=10),
                                      ends_at=now + timedelta(days=11), apply_by=now + timedelta(days=5), published=True)
        booth_type = services.add_booth_type(moderator, event, name="Stan", count=2, fee=0, size="", categories=[])
        booth = services.apply(business.owner, event, booth_type, business, [product], "", now)
        booths.prepare_decision(moderator, booth, Decision.ACCEPT, "")
        booths.release_decisions(moderator, event, now, links)
        booths.confirm(business.owner, booth, now)
    return db.session.get(type(booth), booth.id)


def _staples(make_user, make_business, business) -> dict:
    """An offer of the site's business matched by a need in Kabupaten Blitar, a deal between them, one delivery."""
    from marketplace.staples import deals
    from marketplace.staples.models import DeliveryTerms, PostKind, Transport
    from tests.staples_helpers import published

    buyer = make_business(region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, business, PostKind.OFFER, quantity=20)
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    with unit_of_work():
        deal = deals.propose_deal(buyer.owner, {buyer.id}, offer, need, volume=10_000, unit_price=4500, starts_on=today(),
                                  ends_on=today(), delivery_terms=DeliveryTerms.LOCO, transport_by=Transport.BUYER, on=today())
        deals.confirm_deal(business.owner, {business.id}, deal)
        delivery = deals.log_delivery(buyer.owner, {buyer.id}, deal, delivered_on=today(), quantity=1000, quality="",
                                      received_by="Gudang")
    return {"post_id": offer.id, "offer_id": offer.id, "need_id": need.id, "deal_id": deal.id, "delivery_id": delivery.id,
            "commodity_code": "jagung-pipilan-kering"}


def real_path(rule, site) -> str:
    """The rule's path with the real ids and slugs of the site (an unknown parameter gets 1 or "x")."""
    values = {}
    for name in rule.arguments:
        if name == "slug":
            values[name] = site["slugs"].get(rule.endpoint.split(".")[0], "x")
        elif name == "token" and rule.endpoint == "inquiries.sent":
            values[name] = site["sent_token"]
        else:
            values[name] = site["values"].get(name, 1 if isinstance(rule._converters[name], IntegerConverter) else "x")
    return _build(rule, values)


def _build(rule, values: dict) -> str:
    """The rule's path with each placeholder (`<int:product_id>`, `<slug>`) replaced by its value, quoted."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        return quote(str(values[name]), safe="/" if name == "filename" else "")

    return PLACEHOLDER.sub(value, rule.rule)


def gettable(app):
    return [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]


def log_in(client, auth, site, role) -> None:
    if role is not None:
        response = auth.login(site["users"][role].email)
        assert response.status_code == 302, f"could not log in as {role}"


class Crawl:
    """Requests whose server errors are collected (the test app lets exceptions through: they count as a 500)."""

    def __init__(self, client):
        self.client, self.errors = client, []

    def open(self, method: str, url: str, query=()):
        try:
            response = self.client.open(url, method=method, query_string=list(query))
        except Exception as error:  # any exception is what the crawl looks for
            self.errors.append(f"{method} {url[:100]} {_short(query)}: {error!r:.300}")
            return None
        if response.status_code >= 500:
            self.errors.append(f"{method} {url[:100]} {_short(query)}: {response.status_code}")
        return response

    def opens_the_page(self, path: str) -> bool:
        """Whether this user gets the page itself (not the login page, a 403 or a 404)."""
        response = self.open("GET", path)
        location = response.headers.get("Location", "") if response else ""
        return response is not None and (response.status_code == 200 or (
            300 <= response.status_code < 400 and not location.startswith("/auth/login")))


def _short(query) -> str:
    return "&".join(f"{name}={value[:12]!r}" for name, value in query)


def hostile_queries():
    """len(VALUES) query strings, each giving every argument a different value: together, every argument every value."""
    return [[(name, VALUES[(i + shift) % len(VALUES)]) for i, name in enumerate(ARGS)] for shift in range(len(VALUES))]


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "visitor")
def test_no_query_argument_causes_a_server_error(app, client, auth, site, role):
    """Every GET route with hostile query strings (GET and HEAD), for a visitor and each role. The public pages get the
    whole sweep as a visitor, the private ones as the roles they are for (SWEEPS). Elsewhere, and where the role does
    not get the page (the login page, 403, 404), one hostile request per route."""
    log_in(client, auth, site, role)
    crawl = Crawl(client)
    queries = hostile_queries()
    for number, rule in enumerate(gettable(app)):
        path = real_path(rule, site)
        swept = not path.startswith(PRIVATE) if SWEEPS[role] == "public" else path.startswith(SWEEPS[role])
        if swept and crawl.opens_the_page(path):
            for query in queries:
                crawl.open("GET", path, query)
            crawl.open("HEAD", path, queries[number % len(queries)])
        else:
            crawl.open("GET", path, queries[number % len(queries)])
    assert not crawl.errors, "\n".join(crawl.errors)
    assert client.get("/my/").status_code == (302 if role is None else 200), "the crawl must not end the session"


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "visitor")
def test_no_path_parameter_causes_a_server_error(app, client, auth, site, role):
    """Every hostile value in every path parameter: of every route for a visitor; for a role, of the routes it opens
    that take text (a hostile number names no route, whoever asks: the visitor's sweep shows it)."""
    log_in(client, auth, site, role)
    crawl = Crawl(client)
    for rule in gettable(app):
        takes_text = any(not isinstance(rule._converters[name], IntegerConverter) for name in rule.arguments)
        if rule.arguments and (role is None or (takes_text and crawl.opens_the_page(real_path(rule, site)))):
            for value in HOSTILE:
                crawl.open("GET", _build(rule, dict.fromkeys(rule.arguments, value)))
    assert not crawl.errors, "\n".join(crawl.errors)


def test_a_wrong_slug_redirects_whatever_the_query(client, site):
    """The canonical redirect keeps the query string, which never reaches url_for, where these names were a 500."""
    product_id, slug = site["values"]["product_id"], site["slugs"]["catalog"]
    for arg in ("slug", "endpoint", "_method", "product_id", "showcase_id", "_external", "_anchor", "values"):
        response = client.get(f"/products/{product_id}-wrong", query_string={arg: "x", "lang": "en"})
        assert response.status_code == 301, arg
        assert response.headers["Location"] == f"/products/{product_id}-{slug}?{quote(arg)}=x&lang=en"


def test_the_curation_search_survives_adding_a_product(client, auth, site):
    showcase = site["values"]["showcase_id"]
    auth.login("moderator@example.id")
    page = f"/moderation/showcases/{showcase}?q=batik&region=35.74"
    response = client.submit(f"/moderation/showcases/{showcase}/items?q=batik&region=35.74&slug=x&endpoint=y&_method=z",
                             {"product_id": str(site["values"]["other_product_id"])}, page=page)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderation/showcases/{showcase}?q=batik&region=35.74"


def test_a_hostile_next_after_login_goes_home(client, auth, site):
    """A CR/LF in `next` was a 500 after a successful login; a backslash or a tab led to another host."""
    for target in ("/my/\r\nSet-Cookie: x=1", "/my/\nx", "/\\evil.example/", "/\t/evil.example",
                   "//evil.example/", "https://evil.example/", "/my/\x00"):
        response = auth.login("owner@example.id", query_string={"next": target})
        assert response.status_code == 302, repr(target)
        assert response.headers["Location"] == "/my/", repr(target)
        assert not any("x=1" in cookie for cookie in response.headers.getlist("Set-Cookie"))
        auth.logout()
    response = auth.login("owner@example.id", query_string={"next": "/my/products?status=draft"})
    assert response.headers["Location"] == "/my/products?status=draft"


def test_control_characters_never_reach_the_database(client, auth, site):
    """A NUL in a filter is no filter (PostgreSQL refuses NUL in text: it was a 500 there), and one pasted into a form
    is dropped with the other control characters, keeping what was typed."""
    response = client.get("/products", query_string={"category": "\x00", "region": "\x00", "q": "\x00"})
    assert response.status_code == 200 and "Batik Tulis Manggur" in response.get_data(as_text=True)
    response = client.get("/products", query_string={"region": "35.7\x004"})
    assert response.status_code == 200 and "Batik Tulis Manggur" in response.get_data(as_text=True)
    auth.login("buyer@example.id")
    response = client.submit("/my/profile", {"name": "Budi\x00 Santoso\x1b", "phone": "", "region": "35.74",
                                             "locale": "id"})
    assert response.status_code == 302
    db.session.expire_all()
    assert site["users"][Role.BUYER].name == "Budi Santoso"


def test_hostile_form_fields_never_cost_a_server_error(client, auth, site):
    values = site["values"]
    anonymous = [
        ("/auth/login", {"email": "owner@example.id\x00", "password": "\x00" + LONG}),
        ("/auth/register", {"email": "baru\x00@example.id", "name": LONG, "password": "\x00rahasia-panjang-123",
                            "password2": "\x00rahasia-panjang-123", "role": "buyer\x00", "region": "35.74\x00"}),
        ("/auth/reset", {"email": "\x00" + LONG}),
        (f"/products/{values['product_id']}/report", {"reason": "\x00", "note": "\x00" + LONG, "website": ""}),
    ]
    for url, data in anonymous:
        assert client.submit(url, data).status_code < 500, url
    product_page = f"/products/{values['product_id']}-{site['slugs']['catalog']}"
    showcase = f"/moderation/showcases/{values['showcase_id']}"
    by_role = {
        "owner@example.id": lambda value: [
            (f"/products/{values['product_id']}/inquiry", {"name": value, "contact": value, "quantity": value,
                                                            "message": value, "region": value, "website": ""}, product_page),
            ("/my/profile", {"name": value, "phone": value, "region": value, "locale": value}, None),
            ("/my/businesses/new", {"name": value, "whatsapp": value, "nib": value, "region": value,
                                    "description": value, "size_class": value}, None),
            (f"/my/inquiries/{values['inquiry_id']}", {"status": value}, None),
            (f"/my/products/{values['product_id']}/photos", {f"position-{values['photo_id']}": value, "cover": value,
                                                              f"alt-{values['photo_id']}": value}, None),
            (f"/my/businesses/{values['business_id']}/products/new", {"name": value, "category": value, "staged": value,
                                                                      "price_mode": value, "price": value}, None),
        ],
        "moderator@example.id": lambda value: [
            (f"{showcase}/items", {"product_id": value}, showcase),
            (f"{showcase}/order", {f"position-{value}": value, f"position-{values['product_id']}": value}, showcase),
            *((url, {"action": value, "reason": value, "reason_template": value, "version": value}, None) for url in (
                f"/moderation/products/{values['product_id']}", f"/moderation/businesses/{values['business_id']}",
                f"/moderation/reports/{values['report_id']}", f"/moderation/certifications/{values['certification_id']}")),
        ],
        "admin@example.id": lambda value: [
            ("/admin/categories/new", {"name_id": value, "name_en": value, "parent": value}, None),
            ("/admin/staff/new", {"email": value, "name": value, "role": value, "region": value, "password": value}, None),
        ],
    }
    for email, forms in by_role.items():
        auth.login(email)
        for value in ("\x00", "a\x00b", LONG, "²", "9" * 30, "-1", "🙂"):
            for url, data, page in forms(value):
                assert client.submit(url, data, page=page).status_code < 500, (url, value[:12])
        auth.logout()


def test_control_characters_in_headers_are_refused(client, site):
    """No browser sends them (gunicorn refuses them too); a User-Agent with a NUL would reach the database at login."""
    response = client.post("/auth/login", data={"email": "owner@example.id"}, headers={"User-Agent": "x\x00y"})
    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.get_data(as_text=True)
    assert client.get("/", headers={"Referer": "http://localhost/\x1b"}).status_code == 400
    assert client.get("/", headers={"User-Agent": "Mozilla/5.0\t(X11)"}).status_code == 200
