"""Route-wide checks of the review of wave 2 (docs/SECURITY.md): every route of the app is in a permission matrix or
explicitly public, every state-changing route refuses a request without a CSRF token (forms and JSON alike), nothing
but GET/HEAD/OPTIONS/POST is routed and the API is read-only; and the matrix rows of the routes no other matrix named
(conversation messages, service request documents, the price import, the showcase list, a staff invitation)."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.routing.converters import AnyConverter, NumberConverter

from marketplace.accounts import invitations
from marketplace.accounts.models import Role, User
from marketplace.conversations.models import Message
from marketplace.extensions import db
from marketplace.inquiries.services import send_inquiry
from marketplace.institutions import service_requests
from marketplace.institutions.models import ServiceKind
from marketplace.institutions.request_models import DocumentKind, RequestDocument
from marketplace.staples import talk
from marketplace.staples.models import PostKind
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS, PASSWORD
from tests.institutions_helpers import institution, pdf_bytes, service
from tests.staples_helpers import published

ROOT = Path(__file__).resolve().parent.parent
SECURITY_MD = ROOT / "docs" / "SECURITY.md"

# Routes anyone may call, each with why it needs no role: they are not in a role matrix, but they are listed here, so
# a new route is never public by accident. The public pages' contents (only public objects) are tested elsewhere.
PUBLIC = {
    "/": "home page", "/products": "catalogue", "/products/<int:product_id>": "short product address",
    "/products/<int:product_id>-<slug>": "product page", "/businesses/<slug>": "business page",
    "/regions/<code>": "region page", "/showcases": "showcases", "/showcases/<slug>": "showcase page",
    "/showcases/<slug>/embed": "embeddable showcase", "/showcases/<slug>/go/<int:product_id>": "counted click",
    "/assisted/consent/<token>": "an owner confirms an officer's consent link (token-gated; tests/test_fieldofficers_onboarding.py)",
    "/assisted/claim/<token>": "an owner claims an assisted account (one-time token; tests/test_fieldofficers_onboarding.py)",
    "/staples": "staples board", "/staples/<commodity_code>": "a commodity's board",
    "/events": "events", "/events.ics": "calendar", "/events/<slug>": "event page", "/events/<slug>.ics": "calendar",
    "/events/<slug>/booths/<int:application_id>": "booth page (QR target)",
    "/events/<slug>/booths/<int:application_id>/whatsapp": "counted WhatsApp hand-off",
    "/events/<slug>/booths/<int:application_id>/inquiry": "inquiry at a booth (rate-limited, honeypot)",
    "/products/<int:product_id>/inquiry": "inquiry (rate-limited, honeypot)",
    "/products/<int:product_id>/report": "report a product (rate-limited, honeypot)",
    "/inquiries/sent/<token>": "confirmation behind a signed token",
    "/services": "institutions and trainings", "/services/training/<int:cohort_id>": "training page",
    "/verify/<code>": "certificate check (60-bit codes)",
    "/sitemap.xml": "sitemap", "/robots.txt": "robots", "/healthz": "health probe", "/media/<name>": "public renditions",
    "/static/<path:filename>": "assets",
    "/auth/login": "log in", "/auth/logout": "log out (POST)", "/auth/register": "sign up",
    "/auth/register/sent": "sign-up sent", "/auth/register/<token>": "activation link (encrypted token)",
    "/auth/reset": "reset request (rate-limited)", "/auth/reset/<token>": "reset link (signed token)",
    "/auth/invite/<token>": "staff invitation link (signed token)",
    "/api/v1/openapi.json": "API description", "/api/v1/products": "API", "/api/v1/products/<int:product_id>": "API",
    "/api/v1/businesses/<slug>": "API", "/api/v1/categories": "API", "/api/v1/regions": "API",
    "/api/v1/showcases": "API", "/api/v1/showcases/<slug>": "API", "/api/v1/events": "API",
    "/api/v1/events/<slug>": "API", "/api/v1/staples/commodities": "API", "/api/v1/staples/posts": "API",
}


def matrix_files() -> list[Path]:
    """The test files the matrix of docs/SECURITY.md cites, and this one."""
    text = SECURITY_MD.read_text()
    section = text[text.index("## Who may do what"):text.index("## The upload attack corpus")]
    names = sorted(set(re.findall(r"test_[a-z0-9_]+\.py", section)) | {Path(__file__).name})
    return [ROOT / "tests" / name for name in names]


def rule_pattern(rule: str) -> re.Pattern:
    parts = re.split(r"<[^>]*>", rule)
    return re.compile("^" + "[^/]+".join(map(re.escape, parts)) + r"([?#].*)?$")


def test_every_route_is_in_a_permission_matrix_or_listed_as_public(app):
    files = matrix_files()
    assert all(f.exists() for f in files), [str(f) for f in files if not f.exists()]
    paths = set()
    for f in files:
        paths |= set(re.findall(r"""["'](/[^"'\s]*)["']""", f.read_text()))
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    missing = sorted(rule for rule in rules - set(PUBLIC) if not any(rule_pattern(rule).match(p) for p in paths))
    assert not missing, f"routes in no permission matrix (add a matrix row and its test, or list them in PUBLIC): {missing}"
    assert not set(PUBLIC) - rules, f"PUBLIC lists routes that no longer exist: {sorted(set(PUBLIC) - rules)}"


def test_nothing_but_get_and_post_is_routed_and_the_api_is_read_only(app):
    for rule in app.url_map.iter_rules():
        assert rule.methods <= {"GET", "HEAD", "OPTIONS", "POST"}, rule.rule
        if rule.rule.startswith("/api/"):
            assert "POST" not in rule.methods, rule.rule


def _sample_url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, NumberConverter):
            values[name] = 1
        else:
            values[name] = sorted(converter.items)[0] if isinstance(converter, AnyConverter) else "x"
    return rule.build(values, append_unknown=False)[1]


def _post_routes(app) -> list:
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in rule.methods), key=lambda rule: rule.rule)


@pytest.mark.parametrize("as_owner", [False, True], ids=["visitor", "logged-in-owner"])
def test_every_post_route_refuses_a_request_without_a_csrf_token(app, client, auth, make_user, as_owner):
    """CSRFProtect checks every POST before the view runs: without a token a form post and a JSON post are both a 400,
    whatever the route, and the view never runs (no login redirect, no 404)."""
    if as_owner:
        auth.login(make_user(role=Role.OWNER).email)
    routes = _post_routes(app)
    assert len(routes) > 80
    for rule in routes:
        url = _sample_url(rule)
        for kwargs in ({"data": {"name": "x"}}, {"json": {"name": "x"}}):
            response = client.post(url, **kwargs)
            assert response.status_code == 400, (rule.rule, kwargs, response.status_code)


# --- the matrix rows of the routes no other matrix named ---------------------------------------------------------

ROLES = ("visitor", "party", "other_side", "other_owner", "buyer", "moderator", "other_moderator", "admin", "staff")


@pytest.fixture
def site(make_user, make_business, make_product):
    """An inquiry of a buyer with an account ("party") to a Kota Probolinggo seller ("other_side"); a staples match of
    the same seller with a Blitar need, its conversation opened; a draft service request of the seller with a
    document; a staff invitation pending."""
    users = {
        "buyer": make_user(role=Role.BUYER, email="pembeli.lain@example.id"),
        "party": make_user(role=Role.BUYER, email="pembeli@example.id"),
        "other_owner": make_user(role=Role.OWNER, region="35.74", email="lain@example.id"),
        "moderator": make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id"),
        "other_moderator": make_user(role=Role.MODERATOR, region="35.05", email="mod.blitar@example.id"),
        "admin": make_user(role=Role.ADMIN, email="admin@example.id"),
        "staff": make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id),
    }
    seller = make_business(region="35.74", name="Kopi Siaga")
    users["other_side"] = seller.owner
    make_business(owner=users["other_owner"], region="35.74", name="Usaha Lain")
    blitar = make_business(region="35.05", name="Koperasi Berkah Telur")
    product = make_product(business=seller, status="published")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20, unit="ton")
    need = published(make_user, blitar, PostKind.NEED, quantity=10)
    with unit_of_work():
        inquiry = send_inquiry(product, buyer=users["party"], name="Budi", contact="6281234567890", quantity=2,
                               message="Masih ada?", buyer_region_code="35.05", **INQUIRY_LINKS)
        talk.send(seller.owner, offer, need, "Jagung siap kirim", link="/", inbox_url="http://localhost/")
        request = service_requests.start_request(seller.owner, seller, service("bbspjikb", ServiceKind.SNI),
                                                 products=[product])
        service_requests.add_document(seller.owner, request, DocumentKind.PROCESS, pdf_bytes(), "alur.pdf")
        invited = invitations.invite_staff(email="baru@example.id", name="Staf Baru", role=Role.MODERATOR,
                                           region_code="35.74", actor=None, invite_url=lambda token: f"/auth/invite/{token}")
    return {"users": users, "inquiry": inquiry.id, "offer": offer.id, "need": need.id, "request": request.id,
            "document": request.documents[0].id, "invited": invited.id, "blitar_owner": blitar.owner}


L = "login"
# (name, method, path, data, expected per role in ROLES order). "party" is the inquiry's buyer; "other_side" the
# seller (also the staples offer's and the service request's owner). For the staples rows the Blitar owner takes
# "party"'s place (the fixture swaps it in).
ROWS = [
    ("inquiry-message", "post", "/my/inquiries/{inquiry}/messages", {"body": "Boleh nego?"},
     (L, 302, 302, 404, 404, 404, 404, 404, 404)),
    ("staples-thread", "get", "/my/staples/matches/{offer}/{need}/conversation", None,
     (L, 200, 200, 404, 403, 403, 403, 403, 403)),
    ("staples-message", "post", "/my/staples/matches/{offer}/{need}/messages", {"body": "Harga per ton?"},
     (L, 302, 302, 404, 403, 403, 403, 403, 403)),
    ("service-document", "post", "/my/services/{request}/documents",
     {"kind": "site_photo", "document": lambda: (BytesIO(pdf_bytes()), "foto.pdf")},
     (L, 403, 302, 404, 403, 403, 403, 403, 403)),
    ("service-document-delete", "post", "/my/services/{request}/documents/{document}/delete", {},
     (L, 403, 302, 404, 403, 403, 403, 403, 403)),
    ("showcase-list", "get", "/moderation/showcases", None, (L, 403, 403, 403, 403, 200, 200, 200, 403)),
    ("price-import", "post", "/moderation/staples/prices/import", {"import-source": "PIHPS"},
     (L, 403, 403, 403, 403, 422, 422, 422, 403)),
    ("staff-invitation", "post", "/admin/users/{invited}/invitation", {}, (L, 403, 403, 403, 403, 403, 403, 302, 403)),
]


def _client(app, user):
    client = app.test_client()
    if user is not None:
        client.submit("/auth/login", {"email": user.email, "password": PASSWORD})
    return client


def _state(site) -> tuple:
    return (db.session.scalar(db.select(db.func.count(Message.id))),
            db.session.scalar(db.select(db.func.count(RequestDocument.id))),
            db.session.get(User, site["invited"]).password_hash)


@pytest.mark.parametrize(("method", "path", "data", "expected"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_who_reaches_the_routes_no_other_matrix_named(app, site, method, path, data, expected):
    url = path.format(**site)
    for role, want in zip(ROLES, expected, strict=True):
        user = site["users"].get(role)
        if role == "party" and "staples" in url:
            user = site["blitar_owner"]
        client: FlaskClient = _client(app, user)
        before = _state(site)
        if method == "get":
            response = client.get(url)
        else:
            form = {key: value() if callable(value) else value for key, value in (data or {}).items()}
            token = client.csrf_token("/my/password" if user else "/auth/login")
            response = client.post(url, data={**form, "csrf_token": token}, content_type="multipart/form-data")
        status = response.status_code
        if want == L:
            assert status == 302 and response.headers["Location"].startswith("/auth/login"), (role, status)
        else:
            assert status == want, (role, status, response.headers.get("Location"))
            if status == 302:
                assert not response.headers["Location"].startswith("/auth/login"), role
        db.session.expire_all()
        if status != 302 or want == L:
            assert _state(site) == before, f"{role} was refused but something changed"
