"""Issue 14, finding 1 (Host header poisoning): every absolute URL comes from BASE_URL, never from the request's Host,
and a request naming a host the site does not answer to is refused (400, the site's own page) before any view runs."""

import importlib
import json
import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for

from config import TestingConfig
from marketplace import create_app
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.ops import checks
from marketplace.regions.models import Agreement
from marketplace.showcases import services as showcases
from marketplace.timeutil import today
from tests.conftest import Client

BASE = "https://etalase.example.id"
OTHER_NAME = "http://www.etalase.example.id"  # an allowed name (TRUSTED_HOSTS), over plain HTTP: links stay on BASE
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def site(app):
    """The suite's database and folders, with a production-like BASE_URL and one extra allowed name."""
    settings = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR", "MAIL_OUTBOX_DIR")}
    site = create_app(type("HostsConfig", (TestingConfig,), {
        **settings, "BASE_URL": BASE, "TRUSTED_HOSTS": ["www.etalase.example.id"]}))
    site.test_client_class = Client
    return site


@pytest.fixture
def visitor(site):
    """A browser that reached the site through its other allowed name, over plain HTTP."""
    client = site.test_client()
    original = client.open
    client.open = lambda *args, **kwargs: original(*args, base_url=kwargs.pop("base_url", OTHER_NAME), **kwargs)
    return client


def absolute_urls(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>\\]+", unescape(text))


def assert_only_base_links(text: str) -> None:
    """Every absolute address of this site in the text is on BASE (other sites, like schema.org, may appear)."""
    ours = [url for url in absolute_urls(text) if "etalase" in url or "evil" in url or "localhost" in url]
    assert ours, "no absolute address of the site in the response"
    assert all(url == BASE or url.startswith(BASE + "/") for url in ours), ours


# --- refusing other hosts -----------------------------------------------------------------------------------------

def test_a_reset_request_for_another_host_is_refused_and_mails_nothing(site, make_user, outbox):
    user = make_user(email="korban@example.id")
    client = site.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/auth/reset", base_url=BASE).get_data(as_text=True)).group(1)
    # the attacker's request carries a valid form and session, only the Host is theirs
    client.set_cookie("session", client.get_cookie("session", domain="etalase.example.id").value, domain="evil.example")
    response = client.post("/auth/reset", base_url=EVIL, data={"email": user.email, "csrf_token": token},
                           headers={"Referer": f"{EVIL}/auth/reset"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Permintaan tidak valid" in page and "Etalase UMKM" in page  # the site's own error page, in Indonesian
    assert "evil.example" not in page
    assert outbox() == []
    assert client.get("/", base_url=EVIL).status_code == 400
    assert client.get("/robots.txt", base_url="http://etalase.example.id.evil.example").status_code == 400


def test_the_english_error_page_for_a_refused_host(site):
    response = site.test_client().get("/products?lang=en", base_url=EVIL)
    assert response.status_code == 400 and "Bad request" in response.get_data(as_text=True)


# --- links built from BASE_URL ------------------------------------------------------------------------------------

def test_the_mailed_reset_link_starts_with_base_url_whatever_allowed_name_was_used(visitor, make_user, outbox):
    make_user(email="budi@example.id")
    assert visitor.submit("/auth/reset", {"email": "budi@example.id"}).status_code == 302
    (message,) = outbox()
    body = message.get_content()
    assert re.search(re.escape(BASE) + r"/auth/reset/\S+", body), body
    assert_only_base_links(body)


def test_robots_and_sitemap_use_base_url(visitor, make_product):
    product = make_product(status="published")
    robots = visitor.get("/robots.txt").get_data(as_text=True)
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
    sitemap = visitor.get("/sitemap.xml").get_data(as_text=True)
    assert f"<loc>{BASE}/products/{product.id}-{product.slug}</loc>" in sitemap
    assert f"<loc>{BASE}/businesses/{product.business.slug}</loc>" in sitemap
    assert_only_base_links(sitemap)


def test_product_page_canonical_open_graph_and_json_ld_use_base_url(visitor, make_product):
    product = make_product(status="published")
    html = visitor.get(f"/products/{product.id}-{product.slug}").get_data(as_text=True)
    canonical = f"{BASE}/products/{product.id}-{product.slug}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert re.search(rf'<meta property="og:image" content="{re.escape(BASE)}/media/[^"]+">', html)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["url"] == canonical and data["image"] and all(image.startswith(f"{BASE}/media/") for image in data["image"])
    assert_only_base_links(html)


def test_business_region_and_catalogue_pages_link_to_base_url(visitor, make_business):
    business = make_business()
    html = visitor.get(f"/businesses/{business.slug}").get_data(as_text=True)
    assert f'<meta property="og:url" content="{BASE}/businesses/{business.slug}">' in html
    assert_only_base_links(html)
    assert f'href="{BASE}/regions/35.74"' in visitor.get("/regions/35.74").get_data(as_text=True)
    assert f'<link rel="canonical" href="{BASE}/products' in visitor.get("/products?q=batik").get_data(as_text=True)


def test_api_urls_use_base_url(visitor, make_product):
    product = make_product(status="published")
    (item,) = visitor.get("/api/v1/products").get_json()["items"]
    assert item["url"] == f"{BASE}/products/{product.id}-{product.slug}"
    assert item["image"].startswith(f"{BASE}/media/")
    assert visitor.get(f"/api/v1/businesses/{product.business.slug}").get_json()["url"] == \
        f"{BASE}/businesses/{product.business.slug}"


def test_showcase_embed_code_and_embedded_page_use_base_url(visitor, make_user):
    host = make_user(role=Role.MODERATOR, region="35.74", email="tuan-rumah@example.id",
                     password="kopi jagung telur sekartaji 2026")
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
    showcase = showcases.create_showcase(host, agreement=agreement, host_region_code="35.74", title="Etalase Sekartaji",
                                         on=today(), published=True, starts_on=today() - timedelta(days=1),
                                         ends_on=today() + timedelta(days=30))
    html = visitor.get(f"/showcases/{showcase.slug}").get_data(as_text=True)
    assert f'&lt;iframe src="{BASE}/showcases/{showcase.slug}/embed"' in html
    assert_only_base_links(html)
    embedded = visitor.get(f"/showcases/{showcase.slug}/embed").get_data(as_text=True)
    assert f'href="{BASE}/showcases/{showcase.slug}"' in embedded


def test_whatsapp_hand_off_and_the_owners_mail_link_to_base_url(visitor, make_business, make_product, outbox):
    product = make_product(business=make_business(whatsapp="6281234567801"), status="published")
    page = f"/products/{product.id}-{product.slug}"
    response = visitor.submit(f"/products/{product.id}/inquiry", {
        "name": "Budi Santoso", "contact": "0813-3444-5566", "quantity": "2", "region": "35.05", "message": "Ready?"},
        page=page)
    assert response.status_code == 302
    html = visitor.get(response.headers["Location"]).get_data(as_text=True)
    link = unescape(re.search(r'href="(https://wa\.me/[^"]+)"', html).group(1))
    text = parse_qs(urlsplit(link).query)["text"][0]
    assert f"{BASE}{page}" in text and "www." not in text
    (mail,) = outbox()
    assert_only_base_links(mail.get_content())


def test_urls_built_outside_a_request_use_base_url(site):
    """Jobs and the CLI build links too (mail sent later): SERVER_NAME makes them the same."""
    with site.app_context():
        assert url_for("main.home") == f"{BASE}/"
        assert url_for("accounts.reset_password", token="t") == f"{BASE}/auth/reset/t"


def test_without_base_url_development_links_use_the_request_host(client):
    assert "Sitemap: http://dev.example/sitemap.xml" in client.get("/robots.txt", base_url="http://dev.example").get_data(as_text=True)


# --- production requires it ---------------------------------------------------------------------------------------

@pytest.fixture
def production_env(monkeypatch):
    """config reloaded with a production secret; the test sets BASE_URL (or not) and calls reload()."""
    import config

    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    yield lambda: importlib.reload(config).ProductionConfig
    monkeypatch.undo()
    importlib.reload(config)


def test_production_refuses_to_start_without_base_url(production_env, monkeypatch):
    with pytest.raises(RuntimeError, match="BASE_URL must be set"):
        create_app(production_env())
    monkeypatch.setenv("BASE_URL", "https://etalase.example.id/toko")
    with pytest.raises(RuntimeError, match="no path"):
        create_app(production_env())
    monkeypatch.setenv("BASE_URL", "https://etalase.example.id:443/")
    monkeypatch.setenv("TRUSTED_HOSTS", "WWW.etalase.example.id")
    app = create_app(production_env())
    assert (app.config["BASE_URL"], app.config["SERVER_NAME"], app.config["PREFERRED_URL_SCHEME"]) == \
        (BASE, "etalase.example.id", "https")
    assert app.config["TRUSTED_HOSTS"] == ["etalase.example.id", "www.etalase.example.id"]


@pytest.mark.parametrize(("base_url", "production", "level", "fragment"), [
    (None, True, "FAIL", "BASE_URL is not set"),
    (None, False, "WARN", "BASE_URL is not set"),
    ("http://etalase.example.id", True, "FAIL", "is not https://"),
    ("http://127.0.0.1:5000", False, "OK", "BASE_URL http://127.0.0.1:5000"),
    ("https://etalase.example.id/toko", True, "FAIL", "no path"),
    ("https://user@etalase.example.id", True, "FAIL", "no path"),
    ("etalase.example.id", True, "FAIL", "like https://"),
    ("https://etalase.example.id", True, "OK", "BASE_URL https://etalase.example.id"),
])
def test_check_config_reports_base_url(base_url, production, level, fragment):
    findings = checks.config_checks({"BASE_URL": base_url, "SECRET_KEY": "k" * 64}, production=production)
    assert any(found == level and fragment in message for found, message in findings), findings


def test_check_config_command_fails_without_base_url(runner):
    result = runner.invoke(args=["check-config", "--env", "production"])
    assert result.exit_code == 1 and "FAIL BASE_URL is not set" in result.output
