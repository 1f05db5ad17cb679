"""App-wide behaviour: security headers, health check, error pages, language, formatting helpers."""

import os
from datetime import UTC, date, datetime

import pytest
from babel.messages.pofile import read_po

from marketplace.i18n import long_date, rupiah


def test_security_headers_on_every_page(client):
    for path in ("/", "/auth/login", "/does-not-exist"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_style_and_no_cdn(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html
    assert "http://" not in html.replace("http://localhost", "") and "https://" not in html


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(app, client, monkeypatch):
    from marketplace.extensions import db

    def broken(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "error"


@pytest.mark.parametrize(("path", "code", "id_text", "en_text"), [
    ("/no-such-page", 404, "Halaman tidak ditemukan", "Page not found"),
    ("/auth/logout", 405, "Metode tidak diizinkan", "Method not allowed"),
])
def test_error_pages_in_both_languages(client, path, code, id_text, en_text):
    assert id_text in client.get(path).get_data(as_text=True)
    response = client.get(f"{path}?lang=en")
    assert response.status_code == code and en_text in response.get_data(as_text=True)


def test_413_page(app, client):
    token = client.csrf_token("/auth/login")
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.post("/auth/login?lang=en", data={"csrf_token": token, "email": "x" * 5000})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413 and "File too large" in response.get_data(as_text=True)


def test_500_page_is_localized(app, monkeypatch):
    def boom():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "main.home", boom)
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = app.test_client().get("/?lang=en")
    finally:
        app.testing = True
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)


def test_indonesian_is_the_default_and_lang_switch_is_remembered(client):
    assert '<html lang="id">' in client.get("/", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="id">' in client.get("/auth/login?lang=id").get_data(as_text=True)


def test_language_switch_links_keep_the_query(client):
    html = client.get("/auth/login?next=/my/").get_data(as_text=True)
    assert 'href="/auth/login?next=%2Fmy%2F&amp;lang=en"' in html


def test_unknown_language_falls_back_to_indonesian(client):
    assert '<html lang="id">' in client.get("/?lang=xx").get_data(as_text=True)


@pytest.mark.parametrize(("amount", "text"), [(150000, "Rp 150.000"), (0, "Rp 0"), (1500000, "Rp 1.500.000"), (None, ""),
                                             (999, "Rp 999"), (-25000, "Rp -25.000"), (1234567890, "Rp 1.234.567.890")])
def test_rupiah(amount, text):
    assert rupiah(amount) == text


def test_dates_in_indonesian_and_english(app):
    # each block gets its own app context: Flask-Babel caches the locale in `g`
    with app.app_context(), app.test_request_context("/?lang=id"):
        assert long_date(date(2025, 8, 17)) == "17 Agustus 2025"
        # 20:00 UTC is already the next day in Jakarta
        assert long_date(datetime(2025, 8, 17, 20, 0, tzinfo=UTC)) == "18 Agustus 2025"
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert long_date(date(2025, 8, 17)) == "August 17, 2025"


def test_every_message_has_an_indonesian_translation(app):
    with open(f"{app.root_path}/translations/id/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_catalogue_matches_the_code(app, tmp_path):
    """Every translatable string in the code is in the catalogue (run `make extract-translations` after adding some)."""
    from babel.messages.extract import extract_from_dir

    root = f"{app.root_path}/.."
    method_map = [("marketplace/**.py", "python"), ("marketplace/templates/**.html", "jinja2"),
                  ("marketplace/templates/**.txt", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    # every folder but hidden ones: Babel's default filter also skips folders starting with "_" (templates/_macros)
    visible = lambda path: not os.path.basename(path).startswith(".")  # noqa: E731
    in_code = {msg if isinstance(msg, str) else msg[0]
               for _f, _l, msg, _c, _ctx in extract_from_dir(root, method_map, keywords=keywords, directory_filter=visible)}
    assert "Please correct the fields marked below. What you typed has been kept." in in_code  # from _macros/form.html
    with open(f"{app.root_path}/translations/id/LC_MESSAGES/messages.po", "rb") as handle:
        in_catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert in_code - in_catalogue == set()
