"""What a logged-in user is sent is never stored by a browser or a proxy (ASVS 8.2.1; docs/SECURITY.md, finding 7):
pages, redirects, error pages, the audit CSV and private documents carry `Cache-Control: no-store`. Visitors' pages,
static files and photo renditions keep their own caching (docs/PERFORMANCE.md)."""

import re

import pytest

from marketplace.accounts.models import Role
from marketplace.certifications.models import Certification, CertType
from marketplace.extensions import db

STYLESHEET = re.compile(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"')


def no_store(response) -> bool:
    return "no-store" in (response.headers.get("Cache-Control") or "")


@pytest.mark.parametrize(("role", "urls"), [
    (Role.OWNER, ["/my/", "/my/products", "/my/businesses", "/my/inquiries", "/my/notifications", "/my/profile", "/"]),
    (Role.MODERATOR, ["/moderation/", "/moderation/audit", "/moderation/audit?format=csv", "/moderation/showcases",
                      "/products"]),
    (Role.ADMIN, ["/admin/", "/admin/staff/new", "/moderation/audit?format=csv", "/my/profile"]),
    (Role.BUYER, ["/my/", "/my/notifications", "/products"]),
], ids=["owner", "moderator", "admin", "buyer"])
def test_every_page_to_a_logged_in_user_is_no_store(client, auth, make_user, role, urls):
    auth.login(make_user(role=role).email)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_redirects_and_error_pages_to_a_logged_in_user_are_no_store(client, auth, make_user):
    login = auth.login(make_user(role=Role.OWNER).email)
    assert login.status_code == 302 and no_store(login)
    for url, status in (("/auth/login", 302), ("/my/products/999999", 404), ("/admin/", 403), ("/no-such-page", 404)):
        response = client.get(url)
        assert response.status_code == status, url
        assert no_store(response), url
    assert no_store(client.submit("/my/notifications/read", {}, page="/my/"))


def test_a_private_document_is_never_stored(client, auth, make_user, make_business):
    from marketplace.media.documents import store_document

    business = make_business()
    store_document("1" * 32 + ".pdf", b"%PDF-1.7\n%%EOF\n")
    certification = Certification(business=business, cert_type=CertType.HALAL, number="ID35110000123450724",
                                  issuer="BPJPH", document="1" * 32 + ".pdf")
    db.session.add(certification)
    db.session.commit()
    auth.login(business.owner.email)
    response = client.get(f"/my/certifications/{certification.id}/document")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"] and "public" not in response.headers["Cache-Control"]


def test_a_visitors_pages_keep_their_caching(client, make_product):
    make_product(status="published")
    for url in ("/", "/products", "/showcases", "/regions/35.74", "/auth/login"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not no_store(response), url


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "logged-in"])
def test_static_files_and_renditions_keep_their_long_caching(client, auth, make_product, logged_in):
    product = make_product(status="published")
    if logged_in:
        auth.login(product.business.owner.email)
    stylesheet = STYLESHEET.search(client.get("/").get_data(as_text=True)).group(1)
    assert client.get(stylesheet).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "no-cache" in client.get("/static/css/site.css").headers["Cache-Control"]  # unversioned: checked again
    rendition = client.get(f"/media/{product.photos[0].filename(320, 'webp')}")
    assert rendition.status_code == 200
    assert rendition.headers["Cache-Control"] == "public, max-age=31536000, immutable"
