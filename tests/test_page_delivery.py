"""What makes the public pages light on a slow phone line (scripts/lighthouse.sh): compression, cacheable static
files, a description for search results and shared links, and the product's main photo fetched first."""

import gzip
import re

import brotli
import pytest

from marketplace.security import CSP

STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/css/site\.css\?v=([0-9a-f]{12}))">')
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    plain = client.get("/products")
    assert "Content-Encoding" not in plain.headers  # a client that asks for nothing gets the page as it is

    zipped = client.get("/products", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 2

    brotlied = client.get("/products", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert brotlied.headers["Content-Encoding"] == "br"
    assert brotli.decompress(brotlied.data) == plain.data
    # compression comes after the security headers, and leaves them as they were
    assert brotlied.headers["Content-Security-Policy"] == CSP.format(ancestors="'none'")
    assert brotlied.headers["X-Frame-Options"] == "DENY"


def test_photos_are_not_compressed_again(client, make_product):
    product = make_product(status="published")
    response = client.get(f"/media/{product.photos[0].filename(320, 'webp')}", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_stylesheet_has_a_versioned_address_cached_for_a_year(client):
    match = STYLESHEET.search(client.get("/").get_data(as_text=True))
    assert match, "the page links the stylesheet with its version"
    url, version = match.groups()

    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "br"
    assert b".product-grid" in brotli.decompress(b"".join(response.response))

    # An address without the current version is checked again each time: it may be an old page's.
    for stale in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        response = client.get(stale)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert "no-cache" in response.headers["Cache-Control"]
    assert client.get(f"/static/css/missing.css?v={version}").status_code == 404


def test_a_changed_static_file_gets_a_new_address(app, client, tmp_path, monkeypatch):
    (tmp_path / "css").mkdir()
    stylesheet = tmp_path / "css" / "site.css"
    stylesheet.write_text("body { color: black; }")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    first = STYLESHEET.search(client.get("/").get_data(as_text=True)).group(2)

    stylesheet.write_text("body { color: navy; }")
    second = STYLESHEET.search(client.get("/").get_data(as_text=True)).group(2)
    assert first != second
    assert "immutable" in client.get(f"/static/css/site.css?v={second}").headers["Cache-Control"]
    assert "immutable" not in client.get(f"/static/css/site.css?v={first}").headers["Cache-Control"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_home_catalogue_and_product_pages_have_a_description(client, make_product, lang):
    product = make_product(status="published", description="Batik tulis motif Manggur, katun primisima, pewarna alami.")
    descriptions = {}
    for page in ("/", "/products", f"/products/{product.id}-{product.slug}"):
        html = client.get(f"{page}?lang={lang}").get_data(as_text=True)
        found = DESCRIPTION.findall(html)
        assert len(found) == 1 and len(found[0]) >= 50, f"{page}: {found}"
        descriptions[page] = found[0]
    assert descriptions[f"/products/{product.id}-{product.slug}"].startswith("Batik tulis motif Manggur")


def test_product_page_fetches_its_main_photo_first_and_the_others_lazily(client, make_product):
    product = make_product(status="published", photos=3)
    html = client.get(f"/products/{product.id}-{product.slug}").get_data(as_text=True)
    gallery = html.split('class="gallery"', 1)[1].split("</section>", 1)[0]
    images = re.findall(r"<img [^>]*>", gallery)
    assert len(images) == 3
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' not in images[0]
    assert all('loading="lazy"' in img and "fetchpriority" not in img for img in images[1:])


@pytest.mark.browser
@pytest.mark.parametrize(("width", "scale", "expected"), [
    (412, 1.75, 320),  # Lighthouse's phone: two cards a row, 182 CSS px each
    (360, 2, 320),     # a narrow phone: two cards a row too, 156 CSS px each
])
def test_cards_load_the_smallest_photo_that_is_sharp_enough(browser, live_server, make_product, width, scale, expected):
    make_product(status="published", photo_size=(1600, 1200))  # renditions 320, 800 and 1600 px wide
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/products")
        card = page.locator(".product-card img").first
        card.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.currentSrc", arg=card.element_handle())
        shown, source = card.evaluate("img => [img.getBoundingClientRect().width, img.currentSrc]")
        assert source.endswith(f"-{expected}.webp"), source
        assert expected >= shown * scale  # sharp: at least one photo pixel per screen pixel
    finally:
        context.close()
