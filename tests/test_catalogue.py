"""The public catalogue, product, business and region pages, SEO tags and the sitemap."""

import json
import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from marketplace.accounts.models import Role
from marketplace.businesses.models import Verification
from marketplace.businesses.services import set_verification
from marketplace.catalog import browse
from marketplace.catalog.browse import Filters
from marketplace.catalog.models import Category, ProductStatus
from marketplace.catalog.services import change_status, review_product
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.extensions import db
from marketplace.timeutil import today
from marketplace.unit_of_work import commit


def names(html: str) -> list[str]:
    return [unescape(n) for n in re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', html)]


@pytest.fixture
def shop(make_business, make_product):
    """Public products in three regions and categories, plus non-public ones that must never show."""
    kota = make_business(region="35.74", name="Batik Manggur Kota")
    blitar = make_business(region="35.05", name="Peternakan Blitar")
    pasuruan = make_business(region="35.14", name="Bordir Bangil")
    products = {
        "tulis": make_product(business=kota, status="published", name="Batik Tulis Manggur", category="batik-tulis", price_min=650000),
        "cap": make_product(business=kota, status="published", name="Batik Cap Biru", category="batik-cap", price_min=175000),
        "telur": make_product(business=blitar, status="published", name="Telur Ayam Ras", category="telur", price_min=26500),
        "mukena": make_product(business=pasuruan, status="published", name="Mukena Bordir", category="mukena", price_min=None),
    }
    hidden = {
        "draft": make_product(business=kota, name="Rahasia Draf"),
        "pending": make_product(business=kota, status="pending", name="Rahasia Menunggu"),
    }
    rejected = make_product(business=kota, status="pending", name="Rahasia Ditolak")
    review_product(rejected, "reject", Role.MODERATOR, reason="x")
    archived = make_product(business=kota, status="published", name="Rahasia Arsip")
    change_status(archived, ProductStatus.ARCHIVED, Role.OWNER)
    suspended = make_business(region="35.05", name="Usaha Ditangguhkan")
    suspended_product = make_product(business=suspended, status="published", name="Rahasia Ditangguhkan")
    set_verification(suspended, Verification.SUSPENDED, "x")
    hidden.update(rejected=rejected, archived=archived, suspended=suspended_product)
    db.session.add(Certification(business=kota, product=products["tulis"], cert_type=CertType.SNI, number="SNI 8302:2016",
                                 issuer="LSPr-025-IDN", document="x.pdf", status=CertStatus.VERIFIED))
    db.session.add(Certification(business=blitar, cert_type=CertType.HALAL, number="ID35050000123450724", issuer="BPJPH",
                                 document="y.pdf", status=CertStatus.VERIFIED, valid_until=date.today() - timedelta(days=1)))
    db.session.commit()
    return products, hidden, suspended


def test_catalogue_lists_only_public_products(client, shop):
    products, hidden, _ = shop
    shown = names(client.get("/products").get_data(as_text=True))
    assert sorted(shown) == sorted(p.name for p in products.values())


@pytest.mark.parametrize(("args", "expected"), [
    ("region=35.74", {"tulis", "cap"}),
    ("category=batik", {"tulis", "cap"}),          # a top category includes its subcategories
    ("category=batik-cap", {"cap"}),
    ("cert=sni", {"tulis"}),
    ("cert=halal", set()),                          # expired: no badge, no match
    ("min_price=100000", {"tulis", "cap"}),
    ("max_price=200.000", {"cap", "telur"}),
    ("region=35.74&max_price=200000", {"cap"}),
    ("region=99.99", set()),
    ("category=tidak-ada", set()),
])
def test_filters(client, shop, args, expected):
    products, _hidden, _ = shop
    shown = set(names(client.get(f"/products?{args}").get_data(as_text=True)))
    assert shown == {products[k].name for k in expected}


def test_sorting_by_price(client, shop):
    products, *_ = shop
    asc = names(client.get("/products?sort=price_asc").get_data(as_text=True))
    assert asc == ["Telur Ayam Ras", "Batik Cap Biru", "Batik Tulis Manggur", "Mukena Bordir"]  # on request last
    desc = names(client.get("/products?sort=price_desc").get_data(as_text=True))
    assert desc == ["Batik Tulis Manggur", "Batik Cap Biru", "Telur Ayam Ras", "Mukena Bordir"]  # on request last too


def test_facet_counts_equal_results_when_applied(client, shop):
    def run(args: dict):
        return browse.browse(Filters.from_args(MultiDict(args)), today())

    for base in ({}, {"region": "35.74"}, {"cert": "sni"}, {"max_price": "700000"}, {"category": "batik"}):
        result = run(base)
        assert result.facets["region"], base
        for name in ("region", "cert"):
            for value, count in result.facets[name].items():
                assert run({**base, name: value}).total == count, (base, name, value)
        for category_id, count in result.facets["category"].items():
            slug = db.session.get(Category, category_id).slug
            assert run({**base, "category": slug}).total == count, (base, slug)


def test_paging_keeps_filters(client, make_business, make_product, monkeypatch):
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    business = make_business(region="35.74")
    for i in range(5):
        make_product(business=business, status="published", name=f"Batik {i}", price_min=1000 * (i + 1))
    html = client.get("/products?region=35.74&sort=price_asc").get_data(as_text=True)
    assert names(html) == ["Batik 0", "Batik 1"]
    next_link = unescape(re.search(r'rel="next" href="([^"]+)"', html).group(1))
    assert "region=35.74" in next_link and "sort=price_asc" in next_link and "page=2" in next_link
    assert names(client.get(next_link).get_data(as_text=True)) == ["Batik 2", "Batik 3"]


def test_empty_result_suggests_what_to_loosen(client, shop):
    html = client.get("/products?region=35.05&category=batik&lang=en").get_data(as_text=True)
    assert "No products match." in html
    links = [unescape(h) for h in re.findall(r'<li><a href="([^"]+)">the (?:region|category)', html)]
    assert "/products?category=batik" in links and "/products?region=35.05" in links


@pytest.mark.parametrize("args", ["page=abc", "page=-3", "page=999999999", "min_price=lots", "sort=drop", "cert=x",
                                  "region=%27%20OR%201=1", "category=%3Cscript%3E"])
def test_bad_arguments_never_break_the_catalogue(client, shop, args):
    assert client.get(f"/products?{args}").status_code == 200


def test_query_count_does_not_grow_with_the_page(client, make_business, make_product, monkeypatch):
    business = make_business()

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/products").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    for i in range(5):
        make_product(business=business, status="published", name=f"Batik {i}", photos=1)
    five = count()
    monkeypatch.setattr(browse, "PAGE_SIZE", 50)
    for i in range(45):
        make_product(business=business, status="published", name=f"Batik lagi {i}", photos=1)
    assert count() == five  # both requests counted afresh: the new products changed the catalogue generation
    assert len(names(client.get("/products").get_data(as_text=True))) == 50


def test_counts_are_cached_until_the_catalogue_changes(client, auth, make_business, make_product):
    business = make_business(region="35.74")
    make_product(business=business, status="published", name="Batik Satu")

    def count_and_total(path="/products?region=35.74") -> tuple[int, str]:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            html = client.get(path + "&lang=en").get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements), re.search(r'id="results-heading">([^<]+)<', html).group(1)

    first, total = count_and_total()
    again, same_total = count_and_total()
    assert again < first and same_total == total == "1 product"
    make_product(business=business, status="published", name="Batik Dua")  # any change buyers could count
    assert count_and_total()[1] == "2 products"
    set_verification(business, Verification.SUSPENDED, "x")
    assert count_and_total()[1] == "0 products"


def test_region_and_category_clicks_reuse_the_counts_of_the_same_search(app, client, shop, monkeypatch):
    """The counts leave region and category out, so narrowing a search by them counts nothing again."""
    # the counts themselves: a repeated page would come whole from the page cache (tests/test_catalogue_page_cache.py)
    monkeypatch.setitem(app.config, "CATALOGUE_PAGE_CACHE", False)

    def statements(path: str) -> int:
        executed = []
        listener = lambda *args: executed.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(executed)

    cold = statements("/products?q=batik")
    warm = statements("/products?q=batik")
    assert warm < cold
    # the first category counts the facets within categories (attributes) once, over a grid all of them share
    statements("/products?q=batik&category=batik-cap")
    for narrowed in ("/products?q=batik&region=35.74", "/products?q=batik&region=35.05&sort=price_asc",
                     "/products?q=batik&region=35.74&category=batik-tulis"):
        first = statements(narrowed)
        assert first == statements(narrowed), narrowed  # the first request of each did no counting of its own
    result = browse.browse(Filters.from_args(MultiDict({"q": "batik", "region": "35.74", "category": "batik-tulis"})), today())
    assert result.total == 1 and result.facets["region"] == {"35.74": 1}


def test_non_public_products_appear_nowhere(client, shop):
    products, hidden, suspended = shop
    pages = ["/", "/products", "/regions/35.74", "/regions/35.05", "/businesses/batik-manggur-kota", "/sitemap.xml",
             f"/products/{products['tulis'].id}-{products['tulis'].slug}"]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        for product in hidden.values():
            assert product.name not in html, (page, product.name)
    for product in hidden.values():
        assert client.get(f"/products/{product.id}-{product.slug}").status_code == 404
        assert client.get(f"/products/{product.id}/report").status_code == 404
    assert client.get(f"/businesses/{suspended.slug}").status_code == 404


def test_product_page(client, shop):
    products, *_ = shop
    product = products["tulis"]
    url = f"/products/{product.id}-{product.slug}"
    assert client.get(f"/products/{product.id}-salah-slug?lang=en").status_code == 301
    assert client.get(f"/products/{product.id}-salah-slug").headers["Location"] == url
    assert client.get(f"/products/{product.id}").headers["Location"] == url
    html = client.get(url).get_data(as_text=True)
    assert "Rp 650.000" in html and "srcset=" in html and "Batik Manggur Kota" in html
    assert "SNI (Standar Nasional Indonesia)" in html or "SNI" in html
    assert "Kota Probolinggo" in html and f'<link rel="canonical" href="http://localhost{url}">' in html
    assert 'property="og:image" content="http://localhost/media/' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Product" and data["offers"]["priceCurrency"] == "IDR" and data["offers"]["price"] == 650000


def test_related_products_come_from_partner_regions_in_the_same_category(client, make_business, make_product):
    here = make_product(business=make_business(region="35.74"), status="published", name="Batik A", category="batik-tulis")
    partner = make_product(business=make_business(region="35.05"), status="published", name="Batik B", category="batik-tulis")
    outside = make_product(business=make_business(region="35.78"), status="published", name="Batik C", category="batik-tulis")
    html = client.get(f"/products/{here.id}-{here.slug}").get_data(as_text=True)
    assert partner.name in html and outside.name not in html


def test_hostile_product_name_is_escaped_everywhere(client, make_product):
    product = make_product(status="published", name='<script>alert(1)</script> "Batik"', description="</script><b>x</b>")
    for page in (f"/products/{product.id}-{product.slug}", "/", "/products", "/businesses/batik-manggur-uji"):
        html = client.get(page).get_data(as_text=True)
        assert "<script>alert(1)" not in html, page
        assert "</script><b>" not in html, page
    html = client.get(f"/products/{product.id}-{product.slug}").get_data(as_text=True)
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in ld and json.loads(ld)["name"] == product.name
    og = re.search(r'property="og:title" content="([^"]*)"', html).group(1)
    assert "<" not in og and unescape(og) == product.name


def test_business_and_region_pages(client, shop):
    products, *_ = shop
    html = client.get("/businesses/batik-manggur-kota").get_data(as_text=True)
    assert products["tulis"].name in html and products["telur"].name not in html
    html = client.get("/regions/35.05?lang=en").get_data(as_text=True)
    assert "Kabupaten Blitar (Kemendagri code 35.05) is a partner region" in html and products["telur"].name in html
    assert "is not a partner region" in client.get("/regions/35.78?lang=en").get_data(as_text=True)
    assert client.get("/regions/99.99").status_code == 404


def test_region_page_count_follows_the_catalogue(client, shop, make_product):
    """The region page takes its total from the catalogue's cached counts: they change with the catalogue."""
    products, *_ = shop
    assert "Products from Kota Probolinggo (2)" in client.get("/regions/35.74?lang=en").get_data(as_text=True)
    make_product(business=products["tulis"].business, status="published", name="Batik Tulis Baru")
    assert "Products from Kota Probolinggo (3)" in client.get("/regions/35.74?lang=en").get_data(as_text=True)


def test_sitemap_and_robots(client, shop):
    products, *_ = shop
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    assert xml.startswith("<?xml") and f"/products/{products['tulis'].id}-{products['tulis'].slug}" in xml
    assert "/businesses/batik-manggur-kota" in xml and "/regions/35.13" in xml
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /my/" in robots and "Sitemap: http://localhost/sitemap.xml" in robots


def test_visibility_follows_the_product_and_its_business(make_business, make_product):
    from marketplace.businesses.services import update_business
    from marketplace.catalog.models import Product

    business = make_business(region="35.74")
    product = make_product(business=business, status="published")

    def state():
        commit()  # what the services changed, as a request would have committed it
        db.session.expire_all()
        row = db.session.get(Product, product.id)
        return row.public, row.region_code

    assert state() == (True, "35.74")
    set_verification(business, Verification.SUSPENDED, "x")
    assert state() == (False, "35.74")
    set_verification(business, Verification.VERIFIED)
    assert state() == (True, "35.74")
    update_business(db.session.get(type(business), business.id), region_code="35.05")  # a move needs a new check
    assert state() == (False, "35.05")
    set_verification(db.session.get(type(business), business.id), Verification.VERIFIED)
    assert state() == (True, "35.05")
    change_status(db.session.get(Product, product.id), ProductStatus.ARCHIVED, Role.OWNER)
    assert state() == (False, "35.05")


HOSTILE = ['"', "*", "batik OR telur", 'NEAR(batik telur)', "-batik", "name:batik", "((batik", "' OR 1=1 --",
           '"; DROP TABLE product; --', "x" * 1000, "%", "\\", "batik\x00", "🧵 batik"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_search_text_never_breaks_the_page(client, shop, q):
    from urllib.parse import quote

    response = client.get(f"/products?q={quote(q)}")
    assert response.status_code == 200
    assert client.get(f"/api/v1/products?q={quote(q)}").status_code == 200


def test_search_through_the_catalogue_page(client, make_business, make_product):
    bangil = make_business(region="35.14", name="Usaha Bangil")
    make_product(business=bangil, status="published", name="Mukena Polos", category="mukena",
                 description="Dijahit rapi dengan bordir halus khas kota Bangil.")
    make_product(business=bangil, status="published", name="Bordir Bangil Kerancang", category="kebaya",
                 description="Kebaya.")
    make_product(status="published", name="Batik Tulis Manggur", description="Katun.")
    assert names(client.get("/products?q=membatik").get_data(as_text=True)) == ["Batik Tulis Manggur"]
    assert names(client.get("/products?q=batk").get_data(as_text=True)) == ["Batik Tulis Manggur"]
    ranked = names(client.get("/products?q=bordir+bangil").get_data(as_text=True))
    assert ranked == ["Bordir Bangil Kerancang", "Mukena Polos"]
    assert names(client.get("/products?q=bordir+bangil&region=35.74").get_data(as_text=True)) == []


def test_workers_share_the_counts_through_redis(app, shop, tmp_path):
    """Production keeps the counts in Redis: what one worker (here: one app) counted, another reads."""
    import secrets

    from marketplace import create_app
    from tests.conftest import make_config

    settings = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:6379/15",
                "CACHE_KEY_PREFIX": f"etalase-test-{secrets.token_hex(4)}:"}
    workers = [create_app(make_config(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], **settings)) for _ in range(2)]

    def statements(worker) -> int:
        executed = []
        with worker.app_context():
            listener = lambda *args: executed.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert worker.test_client().get("/products?q=batik").status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
                db.session.remove()
        return len(executed)

    try:
        first = statements(workers[0])
        assert statements(workers[1]) < first  # the second worker counted nothing
        assert statements(workers[0]) == statements(workers[1])
    finally:
        with workers[0].app_context():
            from marketplace.extensions import cache

            cache.clear()
        for worker in workers:
            with worker.app_context():
                db.engine.dispose()
