"""Issue 18 in Debian's Chromium at phone size (360x740): an owner requests SNI certification, BBSPJIKB returns it,
the owner completes it, BBSPJIKB issues it and the badge appears; an owner enrols in a cohort and downloads the
certificate of attendance once attendance is recorded."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from marketplace.accounts.models import Role
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import PASSWORD, jpeg_bytes
from tests.institutions_helpers import institution, pdf_bytes

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone_page(browser, live_server):
    contexts = []

    def open_as(email: str):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server}/auth/login?lang=en")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        return page

    yield open_as
    for context in contexts:
        context.close()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_sni_request_returned_completed_issued_and_the_badge_appears(phone_page, live_server, make_user, make_business,
                                                                    make_product, tmp_path):
    business = make_business(region="35.13", name="Batik Tulis Tegalsiwalan")
    product = make_product(business=business, category="batik-tulis", name="Batik Tulis Bromo", status="published")
    staff = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id,
                      email="staf.browser@example.id")
    process, site, kitchen, certificate = (tmp_path / n for n in ("proses.pdf", "bengkel.jpg", "pewarnaan.jpg", "sni.pdf"))
    process.write_bytes(pdf_bytes())
    site.write_bytes(jpeg_bytes())
    kitchen.write_bytes(jpeg_bytes(color=(20, 120, 200)))
    certificate.write_bytes(pdf_bytes())

    owner = phone_page(business.owner.email)
    owner.goto(f"{live_server}/my/services/new")
    owner.get_by_label("Service and institution").select_option(label="SNI certification – BBSPJIKB")
    owner.get_by_label("Batik Tulis Bromo").check()
    owner.get_by_role("button", name="Save as a draft").click()
    expect(owner.get_by_text("Upload the document: Production process description.")).to_be_visible()
    expect(owner.get_by_role("button", name="Send the request")).to_have_count(0)
    no_sideways_scroll(owner)
    for kind, path in (("Production process description", process), ("Photo of the production site", site)):
        owner.get_by_label("Document", exact=True).select_option(label=kind)
        owner.get_by_label("File (PDF or photo)").set_input_files(str(path))
        owner.get_by_role("button", name="Upload").click()
        expect(owner.get_by_text("Document added.")).to_be_visible()
    owner.get_by_role("button", name="Send the request").click()
    expect(owner.get_by_text("Request sent to BBSPJIKB.")).to_be_visible()
    request_url = owner.url

    desk = phone_page(staff.email)
    expect(desk).to_have_url(re.compile(r"/institution/$"))
    desk.get_by_role("link", name=re.compile("Batik Tulis Tegalsiwalan")).click()
    no_sideways_scroll(desk)
    desk.locator("#return-note").fill("Tambahkan foto ruang pewarnaan.")
    desk.get_by_role("button", name="Return for completion").click()
    expect(desk.get_by_text("Decision saved; the owner has been told.")).to_be_visible()

    owner.goto(request_url)
    expect(owner.get_by_text("Tambahkan foto ruang pewarnaan.")).to_be_visible()
    expect(owner.get_by_label("Batik Tulis Bromo")).to_be_checked()  # nothing entered is lost
    owner.get_by_label("Document", exact=True).select_option(label="Photo of the production site")
    owner.get_by_label("File (PDF or photo)").set_input_files(str(kitchen))
    owner.get_by_role("button", name="Upload").click()
    owner.get_by_role("button", name="Send it again").click()
    expect(owner.get_by_text("sent, waiting for the institution")).to_be_visible()

    desk.reload()
    desk.locator("#accept-visit_on").fill((date.today() + timedelta(days=7)).isoformat())
    desk.get_by_role("button", name="Accept and schedule").click()
    desk.get_by_role("button", name="Start the work").click()
    desk.locator("#issue-number").fill("SNI 8302:2016/LSPr-025-IDN/0777")
    desk.locator("#issue-valid_until").fill((date.today() + timedelta(days=3 * 365)).isoformat())
    desk.locator("#issue-document").set_input_files(str(certificate))
    desk.get_by_role("button", name="Issue the certificate").click()
    expect(desk.get_by_text("SNI 8302:2016/LSPr-025-IDN/0777")).to_be_visible()

    owner.goto(f"{live_server}/products/{product.id}-{product.slug}?lang=en")
    expect(owner.locator(".badges").get_by_text("SNI (Indonesian National Standard)")).to_be_visible()
    no_sideways_scroll(owner)


def test_owner_enrols_and_downloads_the_certificate_of_attendance(phone_page, live_server, make_user, make_business):
    from marketplace.institutions import training

    business = make_business(region="35.13", name="Bordir Kraksaan")
    staff = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id,
                      email="staf.pelatihan@example.id")
    with unit_of_work():
        cohort = training.create_cohort(staff, institution("bbspjikb"), topic="Foto produk dengan ponsel",
                                        starts_on=today(), ends_on=today(), region_code="35.13",
                                        venue="Gedung BBSPJIKB", capacity=10, enrol_by=today())
    owner = phone_page(business.owner.email)
    owner.goto(f"{live_server}/services/training/{cohort.id}")
    expect(owner.get_by_text("10 seats left")).to_be_visible()
    owner.get_by_role("button", name="Enrol").click()
    expect(owner.get_by_text("You have a seat in this training.")).to_be_visible()
    no_sideways_scroll(owner)

    desk = phone_page(staff.email)
    desk.goto(f"{live_server}/institution/cohorts/{cohort.id}")
    desk.get_by_role("button", name="Confirm").click()
    desk.get_by_label("Attended: ").check()
    desk.get_by_role("button", name="Save attendance").click()
    desk.get_by_role("button", name="Issue certificates of attendance").click()
    expect(desk.get_by_text("1 certificates of attendance issued.")).to_be_visible()

    owner.goto(f"{live_server}/my/services")
    with owner.expect_download() as download:
        owner.get_by_role("link", name="Download the certificate of attendance").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
