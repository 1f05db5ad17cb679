"""What makes the public pages light on a slow phone line (scripts/lighthouse.sh): compression, cacheable static
files, a description for search results and shared links, and the product's main photo fetched first."""

import gzip

import brotli

from marketplace.security import CSP


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
