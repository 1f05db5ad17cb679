"""Staff pages (issue 15): showcase curation offers only the products that may be added, with what a curator needs to
choose, and the showcase's cover is on its page; the audit log speaks the reader's language, with date and time, a
select of actions, and a layout that neither scrolls sideways on a phone nor cuts columns at 1280 px."""

import re
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.actions import ACTION_LABELS
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.showcases import queries
from marketplace.showcases import services as showcases
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes

BLITAR_MOU = "mou-kota-probolinggo-kab-blitar-2025"  # parties 35.74 (Kota Probolinggo) and 35.05 (Kabupaten Blitar)


@pytest.fixture
def host(make_user):
    return make_user(role=Role.MODERATOR, region="35.74", email="host@example.id")


@pytest.fixture
def showcase(app, host):
    mou = db.session.scalar(db.select(Agreement).where(Agreement.key == BLITAR_MOU))
    with unit_of_work():
        return showcases.create_showcase(host, agreement=mou, host_region_code="35.74", title="Etalase Sekartaji 2026",
                                         on=today(), published=True)


def add_section(html: str) -> str:
    """The curation page's "Add products" part."""
    return html[html.index('id="add-heading"'):html.index('id="nominations-heading"')]


# --- showcase curation -------------------------------------------------------------------------------------------

def test_curation_offers_only_eligible_products_not_yet_in_it(client, auth, host, showcase, make_business, make_product):
    kota = make_product(business=make_business(region="35.74", name="Batik Kota"), status="published", name="Batik Kota")
    blitar_business = make_business(region="35.05", name="Peternak Telur Blitar")
    make_product(business=blitar_business, status="published", name="Telur Blitar", category="telur",
                 price_min=28000, unit="kg")
    make_product(business=blitar_business, status="draft", name="Telur Asin Blitar", category="telur")
    make_product(business=make_business(region="35.14", name="Bordir Bangil"), status="published", name="Mukena Bangil",
                 category="mukena")  # Kabupaten Pasuruan: not a party to the agreement
    showcases.add_product(host, showcase, kota, today())
    auth.login(host.email)
    page = f"/moderation/showcases/{showcase.id}?lang=en"
    offered = add_section(client.get(page).get_data(as_text=True))  # an empty search lists the eligible products
    assert "Add Telur Blitar" in offered
    assert "Mukena Bangil" not in offered and "Telur Asin Blitar" not in offered  # non-party region, unpublished
    assert "Batik Kota" in offered and "Add Batik Kota" not in offered and "already in the showcase" in offered
    row = offered[offered.index("Telur Blitar"):offered.index("Add Telur Blitar")]
    assert "Rp 28.000" in row and "/ kg" in row and "Peternak Telur Blitar" in row and "Kabupaten Blitar" in row
    assert re.search(r'<img src="/media/[0-9a-f]{32}-\d+\.jpg"[^>]*loading="lazy"', offered[:offered.index("Add Telur")])
    # the region filter is a select of the agreement's parties by name; the category one a select of the categories
    regions = offered[offered.index('<select id="region"'):]
    regions = regions[:regions.index("</select>")]
    assert '<option value="35.05">Kabupaten Blitar</option>' in regions and "35.14" not in regions
    assert '<option value="telur">' in offered
    only_batik = add_section(client.get(f"{page}&category=batik").get_data(as_text=True))
    assert "Batik Kota" in only_batik and "Telur Blitar" not in only_batik
    only_blitar = add_section(client.get(f"{page}&region=35.05").get_data(as_text=True))
    assert "Add Telur Blitar" in only_blitar and "Batik Kota" not in only_blitar
    assert "Mukena Bangil" not in add_section(client.get(f"{page}&q=mukena").get_data(as_text=True))
    assert "Mukena Bangil" not in add_section(client.get(f"{page}&region=35.14").get_data(as_text=True))


def test_curation_lists_eligible_products_newest_first_a_page_at_a_time(client, auth, host, showcase, make_business,
                                                                       make_product, monkeypatch):
    monkeypatch.setattr(queries, "CANDIDATES_PER_PAGE", 2)
    business = make_business(region="35.05", name="Batik Blitar")
    for name in ("Batik Satu", "Batik Dua", "Batik Tiga"):
        make_product(business=business, status="published", name=name)
    auth.login(host.email)
    page = f"/moderation/showcases/{showcase.id}?lang=en"
    first = add_section(client.get(page).get_data(as_text=True))
    assert first.index("Batik Tiga") < first.index("Batik Dua") and "Batik Satu" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = add_section(client.get(f"{page}&page=2").get_data(as_text=True))
    assert "Add Batik Satu" in second and "Batik Dua" not in second and 'rel="next"' not in second
    # adding from the second page comes back to it
    response = client.submit(f"/moderation/showcases/{showcase.id}/items?page=2",
                             {"product_id": _product_id("Batik Satu")},
                             page=f"{page}&page=2")
    assert response.status_code == 302 and "page=2" in response.headers["Location"]


def _product_id(name: str) -> int:
    from marketplace.catalog.models import Product

    return db.session.scalar(db.select(Product.id).where(Product.name == name))


def test_the_cover_is_shown_on_the_showcase_page_and_in_the_embed(client, auth, host, showcase):
    auth.login(host.email)
    page = f"/moderation/showcases/{showcase.id}"
    response = client.submit(page, {"title": showcase.title, "agreement": str(showcase.agreement_id), "published": "y",
                                    "cover": (BytesIO(jpeg_bytes((1800, 600))), "sampul.jpg")},
                             content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    cover = db.session.get(type(showcase), showcase.id).cover
    assert cover and cover.endswith("-1600")
    name = cover.rsplit("-", 1)[0]
    html = client.get(f"/showcases/{showcase.slug}").get_data(as_text=True)
    picture = html[html.index('<picture class="showcase-cover">'):]
    picture = picture[:picture.index("</picture>")]
    for width in (320, 800, 1600):
        assert f"/media/{name}-{width}.webp {width}w" in picture and f"/media/{name}-{width}.jpg {width}w" in picture
    assert 'width="1200" height="400"' in picture and 'fetchpriority="high"' in picture  # the page's main image
    assert client.get(f"/media/{name}-800.webp").status_code == 200
    embed = client.get(f"/showcases/{showcase.slug}/embed").get_data(as_text=True)
    assert f"/media/{name}-320.jpg" in embed and 'loading="lazy"' in embed


# --- the audit log -----------------------------------------------------------------------------------------------

def add_entry(action: str, when: datetime, object_type: str = "product", label: str = "Batik Tulis Bromo",
              email: str = "moderator.kota@example.id", **fields) -> None:
    with unit_of_work():
        db.session.add(AuditEntry(created_at=when, actor_email=email, actor_role="moderator", action=action,
                                  object_type=object_type, object_id=7, object_label=label, region_code="35.74", **fields))


@pytest.fixture
def moderator(make_user):
    return make_user(role=Role.MODERATOR, region="35.74", email="moderator.kota@example.id")


def cells(html: str) -> str:
    """The log's rows, without the filter form (whose select names every action code)."""
    return html[html.index("<tbody>"):html.index("</tbody>")]


@pytest.mark.parametrize(("lang", "when", "label"), [
    ("id", "17 Agustus 2025 14.05 WIB", "Suntingan produk disetujui"),
    ("en", "August 17, 2025, 14:05 WIB", "Product edit approved"),
])
def test_the_audit_log_shows_date_time_and_labels_in_the_readers_language(client, auth, moderator, lang, when, label):
    add_entry("revision.approve", datetime(2025, 8, 17, 7, 5, tzinfo=UTC))  # 14:05 in Jakarta
    auth.login(moderator.email)
    rows = cells(client.get(f"/moderation/audit?lang={lang}").get_data(as_text=True))
    assert when in rows and label in rows and "Batik Tulis Bromo" in rows
    assert "revision.approve" not in rows  # the code is for machines (the CSV)
    assert 'datetime="2025-08-17T07:05:00+00:00"' in rows


def test_the_action_select_filters_and_the_csv_keeps_the_codes(client, auth, moderator):
    add_entry("revision.approve", datetime(2025, 8, 17, 7, 5, tzinfo=UTC), label="Batik Disetujui")
    add_entry("business.suspend", datetime(2025, 8, 18, 7, 5, tzinfo=UTC), "business", label="Usaha Ditangguhkan",
              reason="NIB tidak valid")
    auth.login(moderator.email)
    html = client.get("/moderation/audit?lang=en").get_data(as_text=True)
    select = html[html.index('<select id="action"'):]
    select = select[:select.index("</select>")]
    assert '<option value="revision.approve">Product edit approved</option>' in select
    assert '<option value="user.session_expire">Session expired</option>' in select
    assert "category.create" not in select  # recorded without a region: a moderator can never find one
    filtered = client.get("/moderation/audit?action=business.suspend&lang=en").get_data(as_text=True)
    assert '<option selected value="business.suspend">' in filtered or 'value="business.suspend" selected' in filtered
    assert "Usaha Ditangguhkan" in cells(filtered) and "Batik Disetujui" not in cells(filtered)
    assert "Business suspended" in cells(filtered)
    by_object = cells(client.get("/moderation/audit?object_type=business").get_data(as_text=True))
    assert "Usaha Ditangguhkan" in by_object and "Batik Disetujui" not in by_object
    csv = client.get("/moderation/audit?format=csv&lang=en").get_data(as_text=True).splitlines()
    assert csv[0].endswith(",action_label") and any(",business.suspend," in line and line.endswith(",Business suspended")
                                                    for line in csv)


def test_every_action_the_app_records_has_a_label():
    """Codes are written as literals in record(...) and showcases' _audit(...), or as a prefix with {action}."""
    sources = Path(__file__).parents[1] / "marketplace"
    written, prefixes = set(), set()
    for path in sources.rglob("*.py"):
        for call in re.findall(r"(?:record|_audit)\((.*?)(?:,\s*\w+\s*=|\)$)", path.read_text(), re.M | re.S):
            written |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', call))
            prefixes |= set(re.findall(r'f"([a-z_]+)\.\{', call))
    assert written and prefixes
    assert written - set(ACTION_LABELS) == set()
    assert {prefix for prefix in prefixes if not any(code.startswith(f"{prefix}.") for code in ACTION_LABELS)} == set()


# --- on a phone and on a laptop ----------------------------------------------------------------------------------

LONG = "Batik Tulis Manggur Motif Bromo Pewarna Alami Kain Primisima Ukuran Dua Meter Setengah " * 3


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1280, "height": 800}])
def test_the_audit_log_and_curation_fit_the_screen(browser, live_server, moderator, showcase, make_business,
                                                   make_product, viewport):
    from tests.test_phone_layout import log_in

    long_email = "koordinator.pengawasan.produk.unggulan.daerah@dinas-koperasi-usaha-mikro.example.id"
    add_entry("revision.approve", datetime(2025, 8, 17, 7, 5, tzinfo=UTC), label=LONG[:200], email=long_email,
              reason="Foto" + "sangatjelasdanlengkap" * 12, changes={"description": ["x" * 600, LONG], "price_min": [1, 2]})
    make_product(business=make_business(region="35.05", name="Batik Blitar " * 8), status="published", name=LONG[:140])
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        log_in(page, live_server, moderator.email)
        for path in ("/moderation/audit", f"/moderation/showcases/{showcase.id}"):
            for lang in ("id", "en"):
                page.goto(f"{live_server}{path}?lang={lang}")
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{path}?lang={lang}: {width} px wide"
        page.goto(f"{live_server}/moderation/audit?lang=en")
        entry = page.locator(".audit-log tbody tr").filter(has_text=long_email)
        cells = entry.locator("td")
        first, third = cells.nth(0).bounding_box(), cells.nth(2).bounding_box()
        if viewport["width"] < 768:  # a card: the cells one under the other, each named
            assert third["y"] > first["y"] and abs(third["x"] - first["x"]) < 1
            assert "Action" in page.evaluate("e => getComputedStyle(e, '::before').content", cells.nth(2).element_handle())
        else:  # a table row: the cells side by side, every column inside the page
            assert abs(third["y"] - first["y"]) < 1 and third["x"] > first["x"]
            last = cells.nth(5).bounding_box()
            assert last["x"] + last["width"] <= viewport["width"]
    finally:
        context.close()
