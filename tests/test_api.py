"""The read-only JSON API shows exactly the public data."""

from marketplace.businesses.models import Verification
from marketplace.businesses.services import set_verification


def test_api_lists_only_public_products(client, make_business, make_product):
    shown = make_product(status="published", name="Batik Tulis Manggur")
    draft = make_product(name="Rahasia Draf")
    suspended_business = make_business(name="Usaha Lain")
    hidden = make_product(business=suspended_business, status="published", name="Rahasia Ditangguhkan")
    set_verification(suspended_business, Verification.SUSPENDED, "x")
    data = client.get("/api/v1/products").json
    assert [item["name"] for item in data["items"]] == ["Batik Tulis Manggur"] and data["total"] == 1
    assert data["items"][0]["currency"] == "IDR" and data["items"][0]["region_code"] == "35.74"
    assert data["facets"]["region"] == {"35.74": 1}
    assert client.get(f"/api/v1/products/{shown.id}").json["description"] == shown.description
    for other in (draft, hidden):
        assert client.get(f"/api/v1/products/{other.id}").status_code == 404
    assert client.get("/api/v1/businesses/usaha-lain").status_code == 404


def test_api_filters_regions_categories_and_spec(client, make_product):
    make_product(status="published")
    assert client.get("/api/v1/products?region=35.05").json["total"] == 0
    regions = client.get("/api/v1/regions").json
    assert len(regions) == 38 and {r["code"] for r in regions if r["partner"]} == {"35.05", "35.14", "35.74"}
    assert any(c["slug"] == "batik-tulis" for c in client.get("/api/v1/categories").json)
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.") and "/api/v1/products" in spec["paths"]
