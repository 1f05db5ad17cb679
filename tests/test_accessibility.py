"""axe-core in Debian's Chromium over every public page and the main owner, moderator and admin pages, in Indonesian
and English, including form pages showing their errors: no serious or critical violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS

pytestmark = pytest.mark.browser

LANGUAGES = ("id", "en")
BLOCKING = {"serious", "critical"}
BLITAR_MOU = "mou-kota-probolinggo-kab-blitar-2025"  # parties 35.74 and 35.05
AXE = Axe()


@pytest.fixture
def site(app, make_user, make_business, make_product):
    """A small realistic data set: two verified businesses in partner regions with published products with photos,
    a pending product and an unverified business for the moderator, a draft without photo and a rejected product for the
    owner, a live showcase holding both published products, an inquiry."""
    from marketplace.accounts.services import make_reset_token
    from marketplace.catalog.services import review_product
    from marketplace.extensions import db
    from marketplace.inquiries.services import send_inquiry
    from marketplace.regions.models import Agreement
    from marketplace.showcases import services as showcases
    from marketplace.timeutil import today

    owner = make_user(role=Role.OWNER, region="35.74", email="pemilik.axe@example.id", name="Siti Aminah")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="moderator.axe@example.id", name="Budi Moderator")
    admin = make_user(role=Role.ADMIN, email="admin.axe@example.id", name="Admin Dinas")
    kota = make_business(owner=owner, region="35.74", name="Batik Manggur Kota", whatsapp="6281234567801")
    blitar = make_business(region="35.05", name="Peternakan Blitar")
    batik = make_product(business=kota, status="published", name="Batik Tulis Manggur",
                         description="Kain katun primisima dengan pewarna alami.", photos=2)
    telur = make_product(business=blitar, status="published", name="Telur Ayam Blitar", category="telur",
                         description="Telur segar dari peternakan sendiri.")
    pending = make_product(business=kota, status="pending", name="Batik Cap Bromo")
    draft = make_product(business=kota, status="draft", name="Batik Tulis Draf", photos=0)
    rejected = make_product(business=kota, status="pending", name="Batik Foto Buram")
    newcomer = make_business(region="35.74", verified=False, name="Tenun Ikat Baru")  # waits for verification
    with unit_of_work():  # committed: the live server's requests see it
        review_product(rejected, "reject", Role.MODERATOR, "Foto kain kurang terang, mohon foto ulang di siang hari.")
        mou = db.session.scalar(db.select(Agreement).where(Agreement.key == BLITAR_MOU))
        showcase = showcases.create_showcase(moderator, agreement=mou, host_region_code="35.74",
                                             title="Etalase Sekartaji", on=today(), published=True)
        showcases.add_product(moderator, showcase, batik, today())
        showcases.add_product(moderator, showcase, telur, today())
        send_inquiry(batik, buyer=None, name="Budi Santoso", contact="0813-3444-5566", quantity=12,
                     message="Bisa kirim ke Blitar?", buyer_region_code="35.05", **INQUIRY_LINKS)
        reset_token = make_reset_token(owner)
    return {
        "owner": owner, "moderator": moderator, "admin": admin, "business": kota, "product": batik,
        "pending": pending, "draft": draft, "rejected": rejected, "newcomer": newcomer, "showcase": showcase,
        "reset_token": reset_token,
    }


def with_language(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def violations(page: Page, label: str) -> list[str]:
    """The serious and critical axe violations of the page as it is now, one line per rule."""
    found = AXE.run(page).response["violations"]
    return [
        f"{label}: {v['id']} [{v['impact']}] {v['help']} at "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"])
        for v in found if v["impact"] in BLOCKING
    ]


def audit(page: Page, live_server: str, paths: list[str], status: int = 200) -> list[str]:
    """Visit each path in both languages, check it really is that page (not a login redirect), run axe."""
    problems = []
    for path in paths:
        for lang in LANGUAGES:
            url = with_language(path, lang)
            response = page.goto(f"{live_server}{url}")
            assert response is not None and response.status == status, f"{url} answered {response and response.status}"
            assert page.url.startswith(f"{live_server}{path.split('?')[0]}"), f"{url} ended on {page.url}"
            expect(page.locator("html")).to_have_attribute("lang", lang)
            problems += violations(page, url)
    return problems


def log_in(page: Page, live_server: str, email: str) -> None:
    from tests.conftest import PASSWORD

    page.goto(f"{live_server}/auth/login?lang=id")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def report(problems: list[str]) -> str:
    return f"{len(problems)} serious/critical axe violation(s):\n" + "\n".join(problems)


def test_public_pages(page: Page, live_server, site):
    product, business, showcase = site["product"], site["business"], site["showcase"]
    paths = [
        "/", "/products", "/products?q=batik", "/products?region=35.74", f"/products/{product.id}-{product.slug}",
        f"/businesses/{business.slug}", "/regions/35.74", "/showcases", f"/showcases/{showcase.slug}",
        f"/showcases/{showcase.slug}/embed", f"/products/{product.id}/report", "/auth/login", "/auth/register",
        "/auth/reset", f"/auth/reset/{site['reset_token']}", "/auth/register/sent",
    ]
    problems = audit(page, live_server, paths)
    problems += audit(page, live_server, ["/halaman-yang-tidak-ada"], status=404)
    assert not problems, report(problems)


def test_form_pages_showing_their_errors(page: Page, live_server, site):
    problems = []
    for lang in LANGUAGES:
        # registration refused: passwords differ, so the page comes back with the field errors and the summary
        page.goto(f"{live_server}/auth/register?lang={lang}")
        page.locator("#name").fill("Siti Aminah")
        page.locator("#email").fill("siti.axe@example.id")
        page.locator("#password").fill("batik-tulis-1")
        page.locator("#confirm_password").fill("batik-tulis-2")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".error").first).to_be_visible()
        problems += violations(page, f"/auth/register?lang={lang} (refused)")
        # a wrong password at login
        page.goto(f"{live_server}/auth/login?lang={lang}")
        page.locator("#email").fill(site["owner"].email)
        page.locator("#password").fill("salah-sekali")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".flash-error, .error, .form-summary").first).to_be_visible()
        problems += violations(page, f"/auth/login?lang={lang} (refused)")
        # an inquiry sent empty from the product page
        product = site["product"]
        page.goto(f"{live_server}/products/{product.id}-{product.slug}?lang={lang}")
        page.locator(".inquiry form button[type=submit]").click()
        expect(page.locator(".inquiry .error").first).to_be_visible()
        problems += violations(page, f"/products/{product.id}/inquiry?lang={lang} (empty)")
        # then sent properly: the confirmation page with the WhatsApp hand-off
        page.locator("#name").fill("Budi Santoso")
        page.locator("#contact").fill("0813-3444-5566")
        page.locator("#quantity").fill("12")
        page.locator("#region").select_option("35.05")
        page.locator("#message").fill("Bisa kirim ke Blitar?")
        page.locator(".inquiry form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/inquiries/sent/"))
        problems += violations(page, f"/inquiries/sent/…?lang={lang}")
    assert not problems, report(problems)


def test_owner_pages(page: Page, live_server, site):
    business, product, draft = site["business"], site["product"], site["draft"]
    log_in(page, live_server, site["owner"].email)
    paths = [
        "/my/", "/my/businesses", "/my/businesses/new", "/my/products", f"/my/businesses/{business.id}/products/new",
        f"/my/products/{product.id}/edit", f"/my/products/{draft.id}/edit", f"/my/products/{site['rejected'].id}/edit",
        f"/my/products/{product.id}/photos",
        "/my/inquiries", "/my/notifications", "/my/certifications",
    ]
    problems = audit(page, live_server, paths)
    for lang in LANGUAGES:
        # the new business form sent empty comes back with its errors
        page.goto(f"{live_server}/my/businesses/new?lang={lang}")
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator(".error").first).to_be_visible()
        problems += violations(page, f"/my/businesses/new?lang={lang} (refused)")
    assert not problems, report(problems)


def test_moderator_pages(page: Page, live_server, site):
    log_in(page, live_server, site["moderator"].email)
    paths = ["/moderation/", f"/moderation/products/{site['pending'].id}", f"/moderation/businesses/{site['newcomer'].id}",
             "/moderation/audit", "/moderation/showcases", f"/moderation/showcases/{site['showcase'].id}"]
    problems = audit(page, live_server, paths)
    for lang in LANGUAGES:
        # a rejection without a reason is refused and shown again with the error
        page.goto(f"{live_server}/moderation/products/{site['pending'].id}?lang={lang}")
        page.locator("input[type=radio][value=reject]").check()
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator(".error").first).to_be_visible()
        problems += violations(page, f"/moderation/products/{site['pending'].id}?lang={lang} (refused)")
    assert not problems, report(problems)


def test_admin_pages(page: Page, live_server, site):
    log_in(page, live_server, site["admin"].email)
    problems = audit(page, live_server, ["/admin/", "/admin/users", "/admin/businesses"])
    assert not problems, report(problems)


def test_axe_itself_reports_a_planted_violation(page: Page):
    """Guard against a silent pass (axe not injected, or returning nothing): an unlabelled field must be caught."""
    page.set_content('<!doctype html><html lang="id"><title>t</title><main><h1>t</h1><input type="text"></main></html>')
    assert any(line.split(": ")[1].startswith("label ") for line in violations(page, "planted"))
