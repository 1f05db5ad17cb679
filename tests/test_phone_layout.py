"""The pages on the phone most owners and buyers use (360x740), in Indonesian and English, in Debian's Chromium: what
the first screen shows, a one-line header, nothing that scrolls sideways, the product form following its category, and
the photo preview and upload progress (issue 15)."""

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS, PASSWORD, jpeg_bytes

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LANGUAGES = ("id", "en")
HEADER_MAX = 64  # px: one line (the header wrapped to three lines, ~120 px)
LONG_EMAIL = "budi.santoso.pembeli.batik.tulis.dari.blitar@koperasi-konsumen-pengendali-inflasi.example.id"


@pytest.fixture
def site(make_user, make_business, make_product):
    """A verified business with a product of 4 photos among others, a pending product, an inquiry with a long email
    address, a live showcase; its owner and its region's moderator."""
    from marketplace.extensions import db
    from marketplace.inquiries.services import send_inquiry
    from marketplace.regions.models import Agreement
    from marketplace.showcases import services as showcases
    from marketplace.timeutil import today

    owner = make_user(role=Role.OWNER, region="35.74", email="pemilik.ponsel@example.id", name="Siti Aminah")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="moderator.ponsel@example.id")
    business = make_business(owner=owner, region="35.74", name="Batik Manggur Kota Probolinggo", whatsapp="6281234567801")
    product = make_product(business=business, status="published", name="Batik Tulis Manggur Motif Bromo Pewarna Alami",
                           photos=4, photo_size=(1600, 1200), price_max=350000, unit="lembar",
                           description="Kain katun primisima dengan pewarna alami. " * 8)
    for n in range(1, 4):
        make_product(business=business, status="published", name=f"Batik Cap Seri {n}")
    pending = make_product(business=business, status="pending", name="Batik Cap Bromo")
    with unit_of_work():  # committed: the live server's requests see it
        inquiry = send_inquiry(product, buyer=None, name="Budi Santoso", contact=LONG_EMAIL, quantity=12,
                               message="Bisa kirim ke Blitar?", buyer_region_code="35.05", **INQUIRY_LINKS)
        mou = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
        showcase = showcases.create_showcase(moderator, agreement=mou, host_region_code="35.74",
                                             title="Etalase Sekartaji", on=today(), published=True)
        showcases.add_product(moderator, showcase, product, today())
    return {"owner": owner, "moderator": moderator, "business": business, "product": product, "pending": pending,
            "inquiry": inquiry, "showcase": showcase}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/(my|moderation)/$"))


def bottom(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


def sideways_and_header(page: Page, label: str) -> list[str]:
    """What is wrong with the page as shown: it scrolls sideways, or its header takes more than one line."""
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
        problems.append(f"{label}: {width} px wide ({', '.join(wide)})")
    header = page.locator(".site-header").bounding_box()
    if header["height"] >= HEADER_MAX:
        problems.append(f"{label}: header {header['height']:.0f} px high")
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_product_pages_first_screen_shows_photo_name_price_seller_and_the_contact_button(phone: Page, live_server,
                                                                                           site, lang):
    product = site["product"]
    phone.goto(f"{live_server}/products/{product.id}-{product.slug}?lang={lang}")
    for selector in (".gallery li:first-child img", "h1", ".product-info .price", ".seller-line", ".badge-verified",
                     ".contact-cta a"):
        assert bottom(phone, selector) <= PHONE["height"], f"{selector} is below the first screen"
    expect(phone.locator(".product-info .price")).to_contain_text("/ lembar" if lang == "id" else "/ sheet")
    expect(phone.locator(".seller-line")).to_contain_text("Kota Probolinggo")
    # the other three photos are a strip beside the first (swiped), not a column above the name
    first, second = (phone.locator(".gallery li img").nth(i).bounding_box() for i in (0, 1))
    assert second["y"] == first["y"] and second["x"] > first["x"] + first["width"]
    assert phone.locator(".gallery li img").count() == 4
    # the button leads to the inquiry form (stored first; WhatsApp follows on its confirmation page)
    phone.locator(".contact-cta a").click()
    expect(phone).to_have_url(re.compile(r"#inquiry$"))
    assert 0 <= phone.locator("#inquiry").bounding_box()["y"] < PHONE["height"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_shows_products_first_two_a_row_with_its_filters_folded_and_removable(phone: Page, live_server,
                                                                                           site, lang):
    phone.goto(f"{live_server}/products?lang={lang}")
    assert bottom(phone, ".product-card") <= PHONE["height"]
    cards = phone.locator(".product-card")
    assert cards.nth(0).bounding_box()["y"] == cards.nth(1).bounding_box()["y"], "two cards a row"
    region_link = phone.locator(".facets").get_by_role("link", name="Kota Probolinggo")
    expect(region_link).to_be_hidden()  # folded behind the one "Filter" control
    phone.locator(".filter-panel > summary").click()
    region_link.click()
    expect(phone).to_have_url(re.compile(r"region=35\.74"))
    chip = phone.locator(".active-filters").get_by_role("link", name=re.compile("Kota Probolinggo"))
    expect(chip).to_be_visible()
    assert bottom(phone, ".product-card") <= PHONE["height"], "the first product stays on the first screen"
    chip.click()
    expect(phone).not_to_have_url(re.compile(r"region="))
    expect(phone.locator(".active-filters")).to_have_count(0)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_header_is_one_line_with_a_menu_that_works_without_javascript(browser, live_server, site, lang):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/?lang={lang}")
        assert page.locator(".site-header").bounding_box()["height"] < HEADER_MAX
        login = page.locator(".main-nav a[href$='/auth/login']")
        expect(login).to_be_hidden()
        page.locator("details.menu > summary").click()
        expect(login).to_be_visible()
        login.click()
        expect(page).to_have_url(re.compile(r"/auth/login"))
        log_in(page, live_server, site["owner"].email)
        assert page.locator(".site-header").bounding_box()["height"] < HEADER_MAX
        expect(page.locator("details.menu > summary .dot")).to_be_visible()  # the unread inquiry is inside
        page.locator("details.menu > summary").click()
        expect(page.locator(".main-nav a[href$='/my/inquiries'] .count")).to_have_text("1")
        page.locator(".main-nav").get_by_role("button").click()  # log out
        expect(page.locator(".main-nav a[href$='/auth/login']")).to_have_count(1)
    finally:
        context.close()


def test_no_page_of_the_journey_scrolls_sideways_and_every_header_is_one_line(phone: Page, live_server, site):
    product, business, pending = site["product"], site["business"], site["pending"]
    public = ["/", "/products", "/products?q=batik", f"/products/{product.id}-{product.slug}",
              f"/businesses/{business.slug}", "/regions/35.74", "/showcases", f"/showcases/{site['showcase'].slug}",
              "/auth/login", "/auth/register"]
    owner = ["/my/", "/my/businesses", f"/my/businesses/{business.id}/edit", "/my/products",
             f"/my/businesses/{business.id}/products/new", f"/my/products/{product.id}/edit",
             f"/my/products/{product.id}/photos", "/my/inquiries", f"/my/inquiries/{site['inquiry'].id}",
             "/my/notifications", "/my/certifications"]
    moderator = ["/moderation/", f"/moderation/products/{pending.id}"]
    problems = []

    def visit(paths: list[str]) -> None:
        for path in paths:
            for lang in LANGUAGES:
                url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
                response = phone.goto(f"{live_server}{url}")
                assert response.status == 200 and phone.url.startswith(f"{live_server}{path.split('?')[0]}"), url
                problems.extend(sideways_and_header(phone, url))

    visit(public)
    log_in(phone, live_server, site["owner"].email)
    visit(owner)
    phone.goto(f"{live_server}/my/inquiries/{site['inquiry'].id}")
    expect(phone.get_by_role("link", name=LONG_EMAIL)).to_be_visible()  # the page checked above did show it
    phone.context.clear_cookies()
    log_in(phone, live_server, site["moderator"].email)
    visit(moderator)
    assert not problems, "\n".join(problems)


def choose_photos(tmp_path, count: int) -> list[str]:
    paths = []
    for i in range(count):
        path = tmp_path / f"foto-{i}.jpg"
        path.write_bytes(jpeg_bytes((1200, 900), color=(40 * i, 90, 40)))
        paths.append(str(path))
    return paths


def test_the_product_form_shows_only_the_chosen_categorys_attributes(phone: Page, live_server, site):
    log_in(phone, live_server, site["owner"].email)
    phone.goto(f"{live_server}/my/businesses/{site['business'].id}/products/new?lang=en")
    groups = {name: phone.locator(f"[data-attribute-group={name}]") for name in (
        "batik", "makanan-olahan", "minuman", "hasil-peternakan", "hasil-perikanan")}

    def shown() -> set[str]:
        return {name for name, group in groups.items() if group.is_visible()}

    assert shown() == set()  # nothing chosen yet: the groups come with the category
    for category, group in (("Hand-drawn batik", "batik"), ("Eggs", "hasil-peternakan"), ("Coffee", "minuman"),
                            ("Chips and snacks", "makanan-olahan"), ("Fishery produce", "hasil-perikanan"),
                            ("Cosmetics and personal care", None)):
        phone.get_by_label("Category").select_option(label=category)
        assert shown() == ({group} if group else set()), category
    expect(phone.get_by_label("Highest price (Rp), for a range")).to_be_hidden()
    phone.get_by_label("A price range").check()
    expect(phone.get_by_label("Highest price (Rp), for a range")).to_be_visible()


def test_a_preview_appears_when_photos_are_chosen(phone: Page, live_server, site, tmp_path):
    log_in(phone, live_server, site["owner"].email)
    phone.goto(f"{live_server}/my/businesses/{site['business'].id}/products/new?lang=id")
    preview = phone.locator(".photo-preview")
    expect(preview).to_be_hidden()
    phone.locator("#photos").set_input_files(choose_photos(tmp_path, 2))
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator("canvas")).to_have_count(2)
    expect(preview.locator("li").first).to_contain_text("foto-0.jpg")
    assert sideways_and_header(phone, "preview") == []


def test_the_upload_shows_its_progress_then_the_page_that_answers(phone: Page, live_server, site, tmp_path):
    from marketplace.catalog.models import Product
    from marketplace.extensions import db

    log_in(phone, live_server, site["owner"].email)
    phone.goto(f"{live_server}/my/businesses/{site['business'].id}/products/new?lang=en")
    held = []
    phone.route(re.compile(r".*/products/new.*"),
                lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    phone.get_by_label("Category").select_option(label="Hand-drawn batik")
    phone.get_by_label("Product name").fill("Batik Tulis Lewat Ponsel")
    phone.get_by_label("Price (Rp)", exact=True).fill("250.000")
    phone.locator("#photos").set_input_files(choose_photos(tmp_path, 2))
    phone.get_by_role("button", name="Save").click()
    progress = phone.locator(".upload-progress")
    expect(progress).to_be_visible()  # the request is held: the photos are on their way
    expect(progress.locator("progress")).to_have_count(1)
    expect(progress.get_by_role("status")).not_to_be_empty()
    expect(phone.get_by_role("button", name="Save")).to_be_disabled()
    # the photos go one by one first (static/js/offline-form.js), then the form, held here
    expect(progress.get_by_role("status")).to_have_text("Photos sent. Saving…")
    for _ in range(100):
        if held:
            break
        phone.wait_for_timeout(100)
    assert len(held) == 1
    held[0].continue_()
    expect(phone.get_by_text("Product saved as a draft")).to_be_visible()
    expect(phone).to_have_url(re.compile(r"/my/products/\d+/edit$"))
    db.session.expire_all()
    saved = db.session.scalar(db.select(Product).where(Product.name == "Batik Tulis Lewat Ponsel"))
    assert saved is not None and len(saved.photos) == 2
    # the page put in place works like a loaded one: its category's attributes only
    expect(phone.locator("[data-attribute-group=batik]")).to_be_visible()
    expect(phone.locator("[data-attribute-group=minuman]")).to_be_hidden()


def test_a_lost_connection_during_the_upload_keeps_the_form_and_says_so(phone: Page, live_server, site, tmp_path):
    """The form waits in the list on the device (static/js/offline-form.js) and comes back whole with Edit; the
    context's route also stops the service worker's own replay, so the connection stays lost for both."""
    log_in(phone, live_server, site["owner"].email)
    phone.goto(f"{live_server}/my/businesses/{site['business'].id}/products/new?lang=en")
    phone.context.route(re.compile(r".*/products/new.*"),
                        lambda route: route.abort("internetdisconnected") if route.request.method == "POST"
                        else route.continue_())
    phone.locator("#name").fill("Batik Tulis Sinyal Lemah")
    phone.locator("#photos").set_input_files(choose_photos(tmp_path, 1))
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("[data-offline-status]")).to_contain_text("No signal")
    queue = phone.locator("[data-offline-queue]")
    expect(queue.locator("li")).to_contain_text("Batik Tulis Sinyal Lemah")
    expect(queue.locator("li")).to_contain_text("Photos: 1")
    queue.get_by_role("button", name="Edit").click()
    expect(phone.locator("#name")).to_have_value("Batik Tulis Sinyal Lemah")
    expect(queue).to_be_hidden()
    expect(phone.locator("main form button[type=submit]")).to_be_enabled()
    assert phone.locator("#staged").input_value() != ""  # the photo reached the server before the form did not
    phone.context.unroute(re.compile(r".*/products/new.*"))


def test_the_phone_pages_pass_axe_with_their_menu_filters_and_preview_open(phone: Page, live_server, site, tmp_path):
    from tests.test_accessibility import report, violations

    product = site["product"]
    problems = []
    for lang in LANGUAGES:
        phone.goto(f"{live_server}/products/{product.id}-{product.slug}?lang={lang}")
        phone.locator("details.menu > summary").click()
        problems += violations(phone, f"product page, menu open ({lang})")
        phone.goto(f"{live_server}/products?region=35.74&lang={lang}")
        phone.locator(".filter-panel > summary").click()
        problems += violations(phone, f"catalogue, filters open ({lang})")
    log_in(phone, live_server, site["owner"].email)
    for lang in LANGUAGES:
        phone.goto(f"{live_server}/my/businesses/{site['business'].id}/products/new?lang={lang}")
        phone.get_by_label({"id": "Kategori", "en": "Category"}[lang]).select_option(index=1)
        phone.locator("#photos").set_input_files(choose_photos(tmp_path, 1))
        expect(phone.locator(".photo-preview canvas")).to_have_count(1)
        phone.locator("details.menu > summary").click()
        problems += violations(phone, f"product form, preview shown ({lang})")
        phone.goto(f"{live_server}/my/inquiries/{site['inquiry'].id}?lang={lang}")
        problems += violations(phone, f"inquiry with a long email ({lang})")
    assert not problems, report(problems)
