"""The API: its OpenAPI document is generated from the code (typed answers, errors), every /api/ error is JSON,
paging tells the truth, live showcases are listed, and partner origins may read it from a browser."""

from datetime import timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.businesses.models import Verification
from marketplace.businesses.services import set_verification
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.showcases import services as showcases
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work

SEKARTAJI_BLITAR = "mou-kota-probolinggo-kab-blitar-2025"  # parties 35.74 and 35.05
PARTNER = "https://probolinggokota.go.id"  # one of config.API_CORS_ORIGINS' defaults


def error_of(response, status: int) -> dict:
    """The JSON error body of a response, checked against ErrorSchema's required fields."""
    assert response.status_code == status and response.content_type == "application/json", response.get_data(as_text=True)
    body = response.json
    assert body["code"] == status and body["status"] and body["message"]
    return body


# --- the document ----------------------------------------------------------------------------------------

def test_document_is_generated_from_every_api_route_with_typed_answers(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    rules = {rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}") for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/api/v1/") and rule.endpoint.startswith("api.")}
    assert rules == set(spec["paths"]) and {"/api/v1/showcases", "/api/v1/showcases/{slug}"} <= rules
    for path, operations in spec["paths"].items():
        responses = operations["get"]["responses"]
        ok = responses["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok or ok.get("items", {}).get("$ref"), path  # a named schema, not an empty body
        for status in ("429", "500", "default"):
            assert responses[status]["$ref"].startswith("#/components/responses/"), (path, status)
    schemas = spec["components"]["schemas"]
    assert set(schemas["Error"]["required"]) == {"code", "status", "message"}
    assert {"items", "total", "page", "pages", "page_size", "facets"} <= set(schemas["ProductPage"]["properties"])
    assert "items" in schemas["ShowcaseDetail"]["properties"]
    product_args = {p["name"]: p for p in spec["paths"]["/api/v1/products"]["get"]["parameters"]}
    assert product_args["per_page"]["schema"]["maximum"] == 100 and product_args["page"]["schema"]["minimum"] == 1
    assert "400" in spec["paths"]["/api/v1/products"]["get"]["responses"]
    assert "404" in spec["paths"]["/api/v1/showcases/{slug}"]["get"]["responses"]


# --- errors ----------------------------------------------------------------------------------------------

def test_errors_of_api_urls_are_json(client, make_product):
    draft = make_product()
    for url in ("/api/v1/nothing-here", "/api/v1/products/999999", f"/api/v1/products/{draft.id}",
                "/api/v1/businesses/nobody", "/api/v1/showcases/nothing", "/api/v1/products/99999999999", "/api"):
        error_of(client.get(url), 404)
    refused = error_of(client.post("/api/v1/products"), 405)
    assert refused["status"] == "Method Not Allowed"
    assert set(client.delete("/api/v1/regions").headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "<html" in client.get("/no-such-page").get_data(as_text=True)  # the site's own pages keep HTML


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=10001", "per_page=0", "per_page=101", "per_page=x",
                                   "min_price=-1", "max_price=murah", "sort=cheapest", "cert=iso9001", "q=" + "a" * 1001])
def test_bad_query_values_are_a_json_400_naming_the_argument(client, query):
    body = error_of(client.get(f"/api/v1/products?{query}"), 400)
    assert list(body["errors"]["query"]) == [query.split("=")[0]] and "query arguments" in body["message"]


def test_bad_paging_of_showcases_is_a_json_400(client):
    assert "per_page" in error_of(client.get("/api/v1/showcases?per_page=1000"), 400)["errors"]["query"]


def test_rate_limit_is_a_json_429(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2 per minute")
    assert [client.get("/api/v1/regions").status_code for _ in range(2)] == [200, 200]
    error_of(client.get("/api/v1/categories"), 429)


def test_a_failure_is_a_json_500(app, monkeypatch):
    import marketplace.api.views.catalog as views

    def boom(_on):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "partner_regions", boom)
    app.testing, app.config["PROPAGATE_EXCEPTIONS"] = False, False
    try:
        response = app.test_client().get("/api/v1/regions")
    finally:
        app.testing, app.config["PROPAGATE_EXCEPTIONS"] = True, None
    assert "boom" not in error_of(response, 500)["message"]


# --- paging ----------------------------------------------------------------------------------------------

def test_paging_tells_the_truth_beyond_the_last_page(client, make_product):
    for name in ("Batik Satu", "Batik Dua", "Batik Tiga"):
        make_product(status="published", name=name)
    first = client.get("/api/v1/products?per_page=2").json
    assert (len(first["items"]), first["total"], first["page"], first["pages"], first["page_size"]) == (2, 3, 1, 2, 2)
    second = client.get("/api/v1/products?per_page=2&page=2").json
    assert len(second["items"]) == 1 and {i["id"] for i in second["items"]}.isdisjoint({i["id"] for i in first["items"]})
    beyond = client.get("/api/v1/products?page=999").json
    assert (beyond["items"], beyond["total"], beyond["page"], beyond["pages"]) == ([], 3, 999, 1)


def test_words_with_nothing_searchable_still_answer_every_facet(client, make_product):
    make_product(status="published")
    data = client.get("/api/v1/products?q=" + "0" * 120).json  # found by schemathesis: facets were {}
    assert data["total"] == 0 and data["facets"] == {"region": {}, "category": {}, "cert": {}}


# --- showcases -------------------------------------------------------------------------------------------

@pytest.fixture
def showcase_of(app, make_user):
    host = make_user(role=Role.MODERATOR, region="35.74", email="host@example.id")

    def make(title: str, start: int | None, end: int | None, published: bool = True, products=()):
        on = today()
        with unit_of_work():
            agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == SEKARTAJI_BLITAR))
            showcase = showcases.create_showcase(
                host, agreement=agreement, host_region_code="35.74", title=title, on=on, published=published,
                starts_on=None if start is None else on + timedelta(days=start),
                ends_on=None if end is None else on + timedelta(days=end))
            for product in products:
                showcases.add_product(host, showcase, product, on)
        return showcase

    return make


def test_showcases_lists_live_ones_only(client, showcase_of):
    live = showcase_of("Etalase Sekartaji", -1, 30)
    permanent = showcase_of("Galeri Tetap", None, None)
    for title, start, end, published in [("Sudah Lewat", -30, -2, True), ("Segera Hadir", 3, 10, True),
                                         ("Masih Draf", -1, 30, False)]:
        showcase_of(title, start, end, published)
    page = client.get("/api/v1/showcases").json
    assert [s["slug"] for s in page["items"]] == [live.slug, permanent.slug] and page["total"] == 2
    first = page["items"][0]
    assert first["phase"] == "live" and first["host_region_code"] == "35.74"
    assert first["url"].endswith(f"/showcases/{live.slug}") and first["embed_url"].endswith(f"/showcases/{live.slug}/embed")
    assert first["starts_on"] == (today() - timedelta(days=1)).isoformat() and page["items"][1]["ends_on"] is None
    assert client.get("/api/v1/showcases?per_page=1&page=2").json["items"][0]["slug"] == permanent.slug


def test_one_showcase_with_its_eligible_products_only(client, showcase_of, make_business, make_product):
    kota = make_product(business=make_business(region="35.74", name="Batik Kota"), status="published", name="Batik Kota")
    blitar = make_product(business=make_business(region="35.05", name="Telur Blitar"), status="published",
                          name="Telur Blitar", category="telur")
    showcase = showcase_of("Etalase Sekartaji", -1, 30, products=[blitar, kota])
    with unit_of_work():
        set_verification(kota.business, Verification.SUSPENDED, "x")  # no longer public: drops out of the showcase
    data = client.get(f"/api/v1/showcases/{showcase.slug}").json
    assert data["title"] == "Etalase Sekartaji" and [p["name"] for p in data["items"]] == ["Telur Blitar"]
    assert data["items"][0]["business"] == {"name": "Telur Blitar", "slug": blitar.business.slug}
    upcoming = showcase_of("Segera Hadir", 3, 10)
    assert client.get(f"/api/v1/showcases/{upcoming.slug}").json["phase"] == "upcoming"
    error_of(client.get(f"/api/v1/showcases/{showcase_of('Masih Draf', -1, 30, published=False).slug}"), 404)


@pytest.mark.parametrize("role", [None, Role.BUYER, Role.OWNER, Role.MODERATOR, Role.ADMIN])
def test_every_role_gets_the_same_public_showcases_and_no_drafts(client, auth, make_user, showcase_of, role):
    """Permission matrix of the new routes: public to everyone (200), a draft is a 404 even for its host region's
    moderator and for admins (who curate it in /moderation/, not through the API)."""
    live, draft = showcase_of("Etalase Sekartaji", -1, 30), showcase_of("Masih Draf", -1, 30, published=False)
    if role is not None:
        auth.login(make_user(role=role, region=None if role is Role.ADMIN else "35.74").email)
    listed = client.get("/api/v1/showcases")
    assert listed.status_code == 200 and [s["slug"] for s in listed.json["items"]] == [live.slug]
    assert client.get(f"/api/v1/showcases/{live.slug}").status_code == 200
    error_of(client.get(f"/api/v1/showcases/{draft.slug}"), 404)


def test_sitemap_lists_live_showcases(client, showcase_of):
    live, past = showcase_of("Etalase Sekartaji", -1, 30), showcase_of("Sudah Lewat", -30, -2)
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert f"<loc>http://localhost/showcases/{live.slug}</loc>" in sitemap and f"/showcases/{past.slug}<" not in sitemap


# --- CORS ------------------------------------------------------------------------------------------------

def test_partner_origins_may_read_the_api_from_a_browser(client):
    allowed = client.get("/api/v1/regions", headers={"Origin": PARTNER})
    assert allowed.headers["Access-Control-Allow-Origin"] == PARTNER and "Access-Control-Allow-Credentials" not in allowed.headers
    preflight = client.options("/api/v1/products", headers={"Origin": PARTNER, "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]
    assert client.get("/api/v1/nothing", headers={"Origin": PARTNER}).headers["Access-Control-Allow-Origin"] == PARTNER


def test_other_origins_and_other_pages_get_no_cors_headers(client):
    for response in (client.get("/api/v1/regions", headers={"Origin": "https://evil.example"}),
                     client.options("/api/v1/products", headers={"Origin": "https://evil.example",
                                                                  "Access-Control-Request-Method": "GET"}),
                     client.get("/products", headers={"Origin": PARTNER})):
        assert "Access-Control-Allow-Origin" not in response.headers
