"""The catalogue's body is rendered once per catalogue generation, language, day and query (catalog/page_cache.py):
never stale, never one reader's page for another, and a cache that is down costs only speed."""

import re
from html import unescape

import pytest
from sqlalchemy import event

from marketplace.catalog import page_cache
from marketplace.catalog.models import Product
from marketplace.extensions import cache, db
from marketplace.unit_of_work import unit_of_work


def names(html: str) -> list[str]:
    return [unescape(n) for n in re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', html)]


def fetch(client, path: str) -> tuple[int, str]:
    """(statements executed, page) of one request."""
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


@pytest.fixture(autouse=True)
def _empty_cache(app):
    with app.app_context():
        cache.clear()


def test_a_repeated_page_is_one_query_and_the_same_page(client, make_business, make_product):
    business = make_business(region="35.74")
    for i in range(3):
        make_product(business=business, status="published", name=f"Batik {i}")
    cold, first = fetch(client, "/products?region=35.74")
    warm, again = fetch(client, "/products?region=35.74")
    assert warm == 1 < cold  # only the generation is read
    assert again == first and sorted(names(again)) == ["Batik 0", "Batik 1", "Batik 2"]


def test_a_cached_page_costs_the_same_queries_whatever_the_catalogue_holds(client, make_business, make_product):
    business = make_business()
    make_product(business=business, status="published", name="Batik Satu")
    fetch(client, "/products")
    small = fetch(client, "/products")[0]
    for i in range(30):
        make_product(business=business, status="published", name=f"Batik lagi {i}")
    fetch(client, "/products")
    assert fetch(client, "/products")[0] == small == 1


def test_an_approved_product_appears_on_the_next_request(client, auth, moderator, make_business, make_product):
    business = make_business(region="35.74")
    make_product(business=business, status="published", name="Batik Lama")
    waiting = make_product(business=business, status="pending", name="Batik Baru")
    assert names(fetch(client, "/products")[1]) == ["Batik Lama"]
    auth.login(moderator.email)
    assert client.submit(f"/moderation/products/{waiting.id}", {"action": "approve"}).status_code == 302
    auth.logout()
    assert sorted(names(fetch(client, "/products")[1])) == ["Batik Baru", "Batik Lama"]


def test_a_price_change_shows_at_once(client, make_product):
    product = make_product(status="published", name="Batik Harga", price_min=150000)
    assert "Rp 150.000" in fetch(client, "/products?lang=en")[1]
    with unit_of_work():
        db.session.get(Product, product.id).price_min = 175000
    html = fetch(client, "/products?lang=en")[1]
    assert "Rp 175.000" in html and "Rp 150.000" not in html


def test_a_new_photo_shows_at_once(client, make_product):
    product = make_product(status="published", name="Batik Foto", photos=1)
    before = fetch(client, "/products")[1]
    with unit_of_work():
        for photo in db.session.get(Product, product.id).photos:
            photo.approved = False  # e.g. a moderator hides it
    after = fetch(client, "/products")[1]
    assert "<picture>" in before and "<picture>" not in after and 'class="no-photo"' in after


def test_each_language_has_its_own_page(client, make_product):
    make_product(status="published", name="Batik Bahasa")
    english = fetch(client, "/products?lang=en")[1]
    indonesian = fetch(client, "/products?lang=id")[1]
    assert "1 product" in english and "1 produk" in indonesian and "1 product<" not in indonesian


def test_a_logged_in_readers_page_is_never_served_to_another(client, app, auth, make_user, make_product):
    """The cached part is the body only: the menu, the CSRF token of the log-out form and flashes stay per request."""
    make_product(status="published", name="Batik Bersama")
    buyer = make_user(email="pembeli.rahasia@example.id")
    auth.login(buyer.email)
    mine = fetch(client, "/products")[1]
    assert "csrf_token" in mine  # the log-out form of the layout
    auth.logout()
    other = app.test_client()
    _, theirs = fetch(other, "/products")
    assert names(theirs) == names(mine) == ["Batik Bersama"]
    assert "csrf_token" not in theirs and "/auth/logout" not in theirs and buyer.email not in theirs


def test_the_cached_body_holds_no_form_token_and_no_user(client, app, auth, make_user, make_product):
    make_product(status="published", name="Batik Token")
    buyer = make_user(email="pemilik.token@example.id")
    auth.login(buyer.email)
    fetch(client, "/products?q=batik")
    with app.test_request_context("/products?q=batik"):
        from flask_babel import get_locale

        from marketplace.catalog.filters import Filters
        from marketplace.timeutil import today

        key = ("catalogue", today().isoformat(), str(get_locale()), Filters(q="batik", sort="relevance"))
        stored = page_cache.cached_part(key, lambda: pytest.fail("the body was not cached"))
    assert "Batik Token" in stored["body"]
    assert "csrf" not in stored["body"] and buyer.email not in stored["body"] and "logout" not in stored["body"]


def test_the_catalogue_answers_while_the_cache_is_down(client, make_product, monkeypatch, caplog):
    make_product(status="published", name="Batik Tanpa Cache")

    def down(*_args, **_kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    for path in ("/products", "/products?q=batik", "/products?category=batik-tulis"):
        assert names(fetch(client, path)[1]) == ["Batik Tanpa Cache"]
    assert "catalogue page cache unavailable" in caplog.text


def related(html: str) -> list[str]:
    section = html.split('id="related-heading"', 1)
    return names(section[1]) if len(section) > 1 else []


def test_the_product_pages_related_products_are_cached_and_never_stale(client, make_business, make_product):
    from datetime import timedelta

    from marketplace.regions.models import Agreement
    from marketplace.timeutil import today

    business = make_business(region="35.74")
    product = make_product(business=business, status="published", name="Batik Utama")
    make_product(business=business, status="published", name="Batik Tetangga")
    path = f"/products/{product.id}-{product.slug}"
    cold, first = fetch(client, path)
    warm, again = fetch(client, path)
    assert related(first) == related(again) == ["Batik Tetangga"] and warm < cold
    make_product(business=business, status="published", name="Batik Baru Terbit")
    assert sorted(related(fetch(client, path)[1])) == ["Batik Baru Terbit", "Batik Tetangga"]
    with unit_of_work():  # the agreements end: no partner region is left, so no related product either
        for agreement in db.session.scalars(db.select(Agreement)):
            agreement.valid_until = today() - timedelta(days=1)
    assert related(fetch(client, path)[1]) == []


def test_a_cached_product_page_costs_the_same_queries_whatever_the_catalogue_holds(client, make_business, make_product):
    business = make_business(region="35.74")
    product = make_product(business=business, status="published", name="Batik Utama")
    path = f"/products/{product.id}-{product.slug}"
    fetch(client, path)
    few = fetch(client, path)[0]
    for i in range(6):
        make_product(business=business, status="published", name=f"Batik Lain {i}")
    fetch(client, path)
    assert fetch(client, path)[0] == few


def test_the_region_pages_products_and_businesses_are_cached_and_never_stale(client, make_business, make_product):
    from marketplace.businesses.models import Business

    business = make_business(region="35.74", name="Batik Kota Satu")
    make_product(business=business, status="published", name="Batik Daerah Satu")
    cold, first = fetch(client, "/regions/35.74?lang=en")
    warm, again = fetch(client, "/regions/35.74?lang=en")
    assert warm < cold and again == first
    assert names(first) == ["Batik Daerah Satu"] and "Batik Kota Satu" in first and "(1)" in first
    make_product(business=business, status="published", name="Batik Daerah Dua")
    page = fetch(client, "/regions/35.74?lang=en")[1]
    assert sorted(names(page)) == ["Batik Daerah Dua", "Batik Daerah Satu"] and "(2)" in page
    with unit_of_work():
        db.session.get(Business, business.id).name = "Batik Kota Baru"
    page = fetch(client, "/regions/35.74?lang=en")[1]
    assert "Batik Kota Baru" in page and "Batik Kota Satu" not in page
    assert "Businesses" in page and "Usaha" in fetch(client, "/regions/35.74?lang=id")[1]


# The product page: its parts the same for every reader (catalog/_product_parts.html) are cached; the favourites
# button, the inquiry form (its CSRF token, the reader's name) and the showcases stay per request.

def product_path(product) -> str:
    return f"/products/{product.id}-{product.slug}"


def test_a_repeated_product_page_serves_its_cached_parts(client, make_business, make_product):
    product = make_product(business=make_business(region="35.74", name="Batik Sekar"), status="published",
                           name="Batik Parang Sekar", photos=2)
    cold, first = fetch(client, product_path(product))
    warm, again = fetch(client, product_path(product))
    # the product and the generation: no photo, business, category, badge, attribute, related product, showcase or
    # region of the inquiry form is read again
    assert warm == 2 < cold
    token = re.compile(r'name="csrf_token"[^>]*>')  # the inquiry form's token is signed anew on every request
    assert token.sub("", again) == token.sub("", first)
    assert "<h1>Batik Parang Sekar</h1>" in again and "Batik Sekar" in again and "<picture>" in again
    assert "<title>Batik Parang Sekar · Batik Sekar · Etalase UMKM</title>" in again and "ld+json" in again


def test_a_product_edit_shows_at_once_on_its_page(client, make_product):
    product = make_product(status="published", name="Batik Harga Lama", price_min=150000)
    fetch(client, product_path(product) + "?lang=en")
    with unit_of_work():
        edited = db.session.get(Product, product.id)
        edited.name, edited.price_min = "Batik Harga Baru", 175000
    html = fetch(client, f"/products/{product.id}-{product.slug}?lang=en")[1]
    assert "<h1>Batik Harga Baru</h1>" in html and "Rp 175.000" in html
    assert "Batik Harga Lama" not in html and "Rp 150.000" not in html


def test_holiday_mode_and_hidden_photos_show_at_once_on_the_product_page(client, make_product):
    from datetime import timedelta

    from marketplace.businesses.models import Business
    from marketplace.timeutil import today

    product = make_product(status="published", name="Batik Libur", photos=1)
    first = fetch(client, product_path(product) + "?lang=en")[1]
    assert "On holiday until" not in first and "<picture>" in first
    with unit_of_work():
        db.session.get(Business, product.business_id).away_until = today() + timedelta(days=5)
    assert "On holiday until" in fetch(client, product_path(product) + "?lang=en")[1]
    with unit_of_work():
        for photo in db.session.get(Product, product.id).photos:
            photo.approved = False
    assert "<picture>" not in fetch(client, product_path(product) + "?lang=en")[1]


def test_an_archived_business_product_page_is_gone_at_once(client, make_product):
    from marketplace.businesses.models import Business
    from marketplace.models_base import utcnow

    product = make_product(status="published", name="Batik Tutup")
    fetch(client, product_path(product))
    with unit_of_work():
        db.session.get(Business, product.business_id).archived_at = utcnow()
    assert client.get(product_path(product)).status_code == 404


def test_a_readers_favourite_and_name_never_reach_another_on_the_product_page(client, app, auth, make_user, make_product):
    product = make_product(status="published", name="Batik Favorit")
    buyer = make_user(email="pembeli.favorit@example.id", name="Siti Pembeli Rahasia")
    anonymous = app.test_client()
    assert "Log in to save" in fetch(anonymous, product_path(product) + "?lang=en")[1]  # cached by an anonymous reader
    auth.login(buyer.email)
    assert client.submit(f"/my/favourites/products/{product.id}", page=product_path(product)).status_code == 302
    mine = fetch(client, product_path(product) + "?lang=en")[1]
    assert "Saved · remove" in mine and "Siti Pembeli Rahasia" in mine and "Log in to save" not in mine
    theirs = fetch(anonymous, product_path(product) + "?lang=en")[1]  # after the buyer's view, from the cache
    assert "Log in to save" in theirs and "Saved · remove" not in theirs
    assert "Siti Pembeli Rahasia" not in theirs and buyer.email not in theirs and "/auth/logout" not in theirs
    with app.test_request_context(product_path(product) + "?lang=en"):
        from marketplace.catalog.queries import product_page
        from marketplace.timeutil import today

        parts = product_page(db.session.get(Product, product.id), today())["parts"]
    assert all("csrf" not in html and "Siti" not in html and "favourites" not in html for html in parts.values())


def test_the_product_page_answers_while_the_cache_is_down(client, make_product, monkeypatch, caplog):
    product = make_product(status="published", name="Batik Tanpa Redis")

    def down(*_args, **_kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert "<h1>Batik Tanpa Redis</h1>" in fetch(client, product_path(product))[1]
    assert "catalogue page cache unavailable" in caplog.text


# The home page: its newest products, partner regions and categories are cached; the showcases and layout are not.

def test_a_repeated_home_page_serves_its_cached_part(client, make_business, make_product):
    make_product(business=make_business(region="35.74"), status="published", name="Batik Beranda")
    cold, first = fetch(client, "/?lang=en")
    warm, again = fetch(client, "/?lang=en")
    assert warm == 1 < cold  # the generation only
    assert again == first and names(again) == ["Batik Beranda"] and "Partner regions" in again
    assert "Produk terbaru" in fetch(client, "/?lang=id")[1]  # each language its own part


def test_a_new_product_and_a_price_change_show_at_once_on_the_home_page(client, make_business, make_product):
    business = make_business(region="35.74")
    product = make_product(business=business, status="published", name="Batik Pertama", price_min=150000)
    fetch(client, "/?lang=en")
    make_product(business=business, status="published", name="Batik Kedua", price_min=99000)
    with unit_of_work():
        db.session.get(Product, product.id).price_min = 175000
    html = fetch(client, "/?lang=en")[1]
    assert sorted(names(html)) == ["Batik Kedua", "Batik Pertama"] and "Rp 175.000" in html and "Rp 150.000" not in html


def test_a_logged_in_readers_home_page_is_never_served_to_another(client, app, auth, make_user, make_product):
    make_product(status="published", name="Batik Beranda Bersama")
    buyer = make_user(email="pembeli.beranda@example.id", name="Budi Pembeli Rahasia")
    auth.login(buyer.email)
    mine = fetch(client, "/?lang=en")[1]
    assert "/auth/logout" in mine
    theirs = fetch(app.test_client(), "/?lang=en")[1]
    assert names(theirs) == names(mine) == ["Batik Beranda Bersama"]
    assert "/auth/logout" not in theirs and "csrf_token" not in theirs and buyer.email not in theirs
    assert "Budi Pembeli Rahasia" not in theirs


def test_the_home_page_answers_while_the_cache_is_down(client, make_product, monkeypatch, caplog):
    make_product(status="published", name="Batik Beranda Tanpa Redis")

    def down(*_args, **_kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert names(fetch(client, "/")[1]) == ["Batik Beranda Tanpa Redis"]
    assert "catalogue page cache unavailable" in caplog.text


# A business's public page: everything but the favourites button and the completed training is cached.

def test_a_repeated_business_page_serves_its_cached_parts(client, make_business, make_product):
    business = make_business(region="35.74", name="Batik Usaha Cache")
    for i in range(3):
        make_product(business=business, status="published", name=f"Batik Usaha {i}")
    cold, first = fetch(client, f"/businesses/{business.slug}?lang=en")
    warm, again = fetch(client, f"/businesses/{business.slug}?lang=en")
    assert warm <= 3 < cold  # the business, the generation, the completed training
    assert again == first and sorted(names(again)) == ["Batik Usaha 0", "Batik Usaha 1", "Batik Usaha 2"]
    assert "<title>Batik Usaha Cache · Etalase UMKM</title>" in again and "Products (3)" in again
    for i in range(5):
        make_product(business=business, status="published", name=f"Batik Usaha Lagi {i}")
    fetch(client, f"/businesses/{business.slug}?lang=en")
    assert fetch(client, f"/businesses/{business.slug}?lang=en")[0] == warm  # whatever the business sells


def test_edits_holiday_mode_and_archive_show_at_once_on_the_business_page(client, make_business, make_product):
    from datetime import timedelta

    from marketplace.businesses.models import Business
    from marketplace.models_base import utcnow
    from marketplace.timeutil import today

    business = make_business(region="35.74", name="Batik Nama Lama")
    product = make_product(business=business, status="published", name="Batik Dijual", price_min=150000)
    path = f"/businesses/{business.slug}?lang=en"
    first = fetch(client, path)[1]
    assert "Batik Nama Lama" in first and "Rp 150.000" in first and "On holiday until" not in first
    with unit_of_work():
        db.session.get(Product, product.id).price_min = 175000
        edited = db.session.get(Business, business.id)
        edited.name, edited.away_until = "Batik Nama Baru", today() + timedelta(days=3)
    html = fetch(client, path)[1]
    assert "Batik Nama Baru" in html and "Batik Nama Lama" not in html and "Rp 175.000" in html
    assert "On holiday until" in html
    with unit_of_work():
        db.session.get(Business, business.id).archived_at = utcnow()
    html = fetch(client, path)[1]
    assert "no longer trades" in html and names(html) == [] and "Products (0)" in html


def test_a_readers_favourite_never_reaches_another_on_the_business_page(client, app, auth, make_user, make_business):
    business = make_business(name="Batik Usaha Favorit")
    buyer = make_user(email="pembeli.usaha@example.id", name="Rina Pembeli Rahasia")
    auth.login(buyer.email)
    path = f"/businesses/{business.slug}?lang=en"
    assert client.submit(f"/my/favourites/businesses/{business.id}", page=path).status_code == 302
    mine = fetch(client, path)[1]
    assert "Saved · remove" in mine and "/auth/logout" in mine
    theirs = fetch(app.test_client(), path)[1]  # from the part cached for the buyer
    assert "Batik Usaha Favorit" in theirs and "Log in to save" in theirs and "Saved · remove" not in theirs
    assert "Rina Pembeli Rahasia" not in theirs and buyer.email not in theirs and "csrf_token" not in theirs


def test_the_business_page_answers_while_the_cache_is_down(client, make_business, make_product, monkeypatch, caplog):
    business = make_business(name="Batik Usaha Tanpa Redis")
    make_product(business=business, status="published", name="Batik Tanpa Redis Juga")

    def down(*_args, **_kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert names(fetch(client, f"/businesses/{business.slug}")[1]) == ["Batik Tanpa Redis Juga"]
    assert "catalogue page cache unavailable" in caplog.text


# A region page: its partner status, agreements, products and businesses are one cached part.

def test_a_repeated_region_page_reads_the_generation_once(client, make_business, make_product):
    make_product(business=make_business(region="35.74"), status="published", name="Batik Daerah")
    cold = fetch(client, "/regions/35.74?lang=en")[0]
    warm, page = fetch(client, "/regions/35.74?lang=en")
    # the region and the generation: no agreement, product, business, showcase or Bela-Beli programme
    assert warm == 2 < cold and names(page) == ["Batik Daerah"] and "Active agreements" in page


def test_a_new_business_party_to_an_agreement_shows_at_once_on_the_region_page(client, make_business):
    from marketplace.regions.models import AgreementPartyBusiness
    from marketplace.regions.queries import active_agreements_of
    from marketplace.timeutil import today

    business = make_business(region="35.74", name="Koperasi Pihak Baru")
    def agreements() -> str:
        return fetch(client, "/regions/35.74?lang=en")[1].split('id="region-agreements"')[1].split("</section>")[0]

    assert "Koperasi Pihak Baru" not in agreements()
    with unit_of_work():
        agreement = active_agreements_of("35.74", today())[0]
        db.session.add(AgreementPartyBusiness(agreement_id=agreement.id, business_id=business.id))
    assert "Koperasi Pihak Baru" in agreements()


def test_the_office_edit_link_of_an_administrator_never_reaches_another_on_the_region_page(client, app, auth, make_user):
    from marketplace.accounts.models import Role

    admin = make_user(role=Role.ADMIN, email="admin.wilayah@example.id")
    auth.login(admin.email)
    assert "Edit the office" in fetch(client, "/regions/35.74?lang=en")[1]
    theirs = fetch(app.test_client(), "/regions/35.74?lang=en")[1]
    assert "Edit the office" not in theirs and admin.email not in theirs and "Active agreements" in theirs


def test_the_region_page_answers_while_the_cache_is_down(client, make_business, make_product, monkeypatch, caplog):
    make_product(business=make_business(region="35.74"), status="published", name="Batik Daerah Tanpa Redis")

    def down(*_args, **_kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert names(fetch(client, "/regions/35.74")[1]) == ["Batik Daerah Tanpa Redis"]
    assert "catalogue page cache unavailable" in caplog.text


# Showcases and Bela-Beli programmes are watched (catalog/visibility.py `watch`): the product, region and home pages
# name them from their cached parts, and a change shows at once.

def test_a_showcase_shows_at_once_on_the_product_region_and_home_pages_and_goes_at_once(
        client, make_user, make_business, make_product):
    from datetime import timedelta

    from marketplace.accounts.models import Role
    from marketplace.regions.models import Agreement
    from marketplace.showcases import services
    from marketplace.showcases.models import Showcase
    from marketplace.timeutil import today

    host = make_user(role=Role.MODERATOR, region="35.74", email="tuan.rumah@example.id")
    product = make_product(business=make_business(region="35.05", name="Telur Blitar"), status="published",
                           name="Telur Ayam Blitar", category="telur")
    pages = [product_path(product) + "?lang=en", "/regions/35.74?lang=en", "/regions/35.05?lang=en", "/?lang=en"]
    assert all("Etalase Sekartaji" not in fetch(client, page)[1] for page in pages)  # cached without it
    on = today()
    with unit_of_work():
        mou = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
        showcase = services.create_showcase(host, agreement=mou, host_region_code="35.74", title="Etalase Sekartaji",
                                            on=on, published=True, starts_on=on - timedelta(days=1),
                                            ends_on=on + timedelta(days=30))
        services.add_product(host, showcase, db.session.get(Product, product.id), on)
    product_page, host_page, product_region_page, home = (fetch(client, page)[1] for page in pages)
    assert "In the showcases:" in product_page and "Etalase Sekartaji" in product_page
    assert "Showcases hosted by" in host_page and "Etalase Sekartaji" in host_page
    assert "Showcases with UMKM of" in product_region_page and "Etalase Sekartaji" in product_region_page
    assert "Now showing" in home and "Etalase Sekartaji" in home
    with unit_of_work():
        services.remove_product(host, db.session.get(Showcase, showcase.id), product.id)
    assert "Etalase Sekartaji" not in fetch(client, pages[0])[1]
    assert "Etalase Sekartaji" not in fetch(client, pages[2])[1]
    with unit_of_work():
        services.update_showcase(host, db.session.get(Showcase, showcase.id), published=False)
    assert all("Etalase Sekartaji" not in fetch(client, page)[1] for page in pages)


def test_a_new_bela_beli_programme_is_linked_at_once_on_its_region_page(client, make_user, make_business):
    from tests.belabeli_helpers import make_site

    link = '?region=35.13">Bela beli produk UMKM: buy-local figures</a>'  # the footer links the programmes' index
    assert link not in fetch(client, "/regions/35.13?lang=en")[1]
    make_site(make_user, make_business, region="35.13")
    assert link in fetch(client, "/regions/35.13?lang=en")[1]


def test_a_new_readers_product_page_is_its_cached_parts_and_a_token_and_the_form_sends(client, make_product):
    from marketplace.inquiries.models import Inquiry

    product = make_product(status="published", name="Batik Tanya Penjual", min_order=3)
    fetch(client, product_path(product) + "?lang=en")
    warm, page = fetch(client, product_path(product) + "?lang=en")
    assert warm == 2  # the product and the generation: no region list, no showcase read for the form
    assert 'name="csrf_token"' in page and 'name="quantity"' in page and 'value="3"' in page
    assert "Kota Probolinggo (35.74)" in page  # the region list, from the cached fields
    response = client.submit(f"/products/{product.id}/inquiry", {
        "name": "Rina Pembeli", "contact": "0812-3456-7890", "quantity": "5", "region": "35.05", "message": ""},
        page=product_path(product) + "?lang=en")
    assert response.status_code == 302 and "/inquiries/sent/" in response.headers["Location"]
    assert db.session.scalar(db.select(Inquiry).where(Inquiry.product_id == product.id)).quantity == 5


def test_a_refused_inquiry_keeps_what_was_typed_on_the_cached_product_page(client, make_product):
    product = make_product(status="published", name="Batik Salah Isi")
    fetch(client, product_path(product) + "?lang=en")  # the parts cached with a new reader's empty fields
    response = client.submit(f"/products/{product.id}/inquiry?lang=en", {
        "name": "Rina Pembeli", "contact": "bukan nomor", "quantity": "2", "region": "35.05", "message": "Warna biru"},
        page=product_path(product) + "?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter a WhatsApp number" in html
    assert 'value="Rina Pembeli"' in html and 'value="bukan nomor"' in html and "Warna biru" in html
    assert '<option selected value="35.05">' in html


def test_a_signed_in_readers_form_is_prefilled_for_them_only(client, app, auth, make_user, make_product):
    product = make_product(status="published", name="Batik Isi Otomatis")
    buyer = make_user(email="pembeli.isi@example.id", name="Dewi Pembeli Isi", region="35.14")
    fetch(app.test_client(), product_path(product) + "?lang=en")  # a new reader's page cached first
    auth.login(buyer.email)
    mine = fetch(client, product_path(product) + "?lang=en")[1]
    assert 'value="Dewi Pembeli Isi"' in mine and '<option selected value="35.14">' in mine
    theirs = fetch(app.test_client(), product_path(product) + "?lang=en")[1]
    assert "Dewi Pembeli Isi" not in theirs and "<option selected" not in theirs.split('name="region"')[1].split("</select>")[0]


def test_a_repeated_showcase_page_serves_its_cached_body_whatever_it_holds(client, make_user, make_business,
                                                                          make_product):
    from datetime import timedelta

    from marketplace.accounts.models import Role
    from marketplace.regions.models import Agreement
    from marketplace.showcases import services
    from marketplace.showcases.models import Showcase
    from marketplace.timeutil import today

    host = make_user(role=Role.MODERATOR, region="35.74", email="tuan.rumah.etalase@example.id")
    on = today()
    with unit_of_work():
        mou = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
        showcase = services.create_showcase(host, agreement=mou, host_region_code="35.74", title="Etalase Cache",
                                            on=on, published=True, starts_on=on - timedelta(days=1))
    business = make_business(region="35.05", name="Telur Blitar Etalase")

    def add(name):
        product = make_product(business=business, status="published", name=name, category="telur")
        with unit_of_work():
            services.add_product(host, db.session.get(Showcase, showcase.id), db.session.get(Product, product.id), on)

    add("Telur Etalase Satu")
    path = f"/showcases/{showcase.slug}?lang=en"
    cold = fetch(client, path)[0]
    warm, page = fetch(client, path)
    # the showcase, the generation, the events under its agreement, the view counted (and on PostgreSQL the
    # commit told not to wait for the disk): no item, product, business or region is read again
    assert warm <= 5 < cold and names(page) == ["Telur Etalase Satu"]
    for i in range(5):
        add(f"Telur Etalase Lagi {i}")
    assert len(names(fetch(client, path)[1])) == 6  # the new items show at once
    assert fetch(client, path)[0] == warm
    embed = fetch(client, f"/showcases/{showcase.slug}/embed?lang=en")[1]
    assert 'target="_blank"' in embed and "Put this showcase on your region" not in embed
    assert 'target="_blank"' not in fetch(client, path)[1]  # the embedded body is its own entry


def test_an_event_page_is_cached_and_a_booth_taken_by_a_conditional_update_shows_at_once(client, make_user,
                                                                                       make_business, make_product,
                                                                                       monkeypatch):
    """Taking a booth is two conditional UPDATEs, without the ORM's objects (events/booths.py confirm): a statement on
    a watched table bumps the generation as a flush does (catalog/visibility.py)."""
    from marketplace.events import booths, clock
    from marketplace.events.models import Application, Decision
    from tests.events_helpers import NOW, apply_for, decide_and_release, make_event

    monkeypatch.setattr(clock, "now", lambda: NOW)  # the page settles lapsed offers by the events' clock

    event = make_event(make_user, count=2)
    application = apply_for(event, make_business, make_product, name="Keripik Bromo Cache")
    decide_and_release(event, {application: Decision.ACCEPT})
    path = f"/events/{event.slug}?lang=en"
    cold, first = fetch(client, path)
    warm, again = fetch(client, path)
    assert warm < cold and "Keripik Bromo Cache" not in first and "2 of 2 free" in first
    with unit_of_work():
        booths.confirm(application.owner, db.session.get(Application, application.id), NOW)
    page = fetch(client, path)[1]
    assert "Keripik Bromo Cache" in page and "1 of 2 free" in page
