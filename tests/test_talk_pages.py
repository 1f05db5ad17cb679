"""The thread, the inquiry lists and the favourites page, as the owner and the buyer see them: valid HTML (Nu
validator) and no serious axe violation, in Indonesian and English."""


import pytest

from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS, PASSWORD
from tests.test_accessibility import audit, report
from tests.test_accessibility import log_in as browser_log_in
from tests.test_html_validity import LANGUAGES, assert_valid_html, vnu_command, with_language


@pytest.fixture
def talk(make_user, make_business, make_product):
    """A thread with a reply each way, a visitor's inquiry, a closed one, and a buyer's favourites."""
    from marketplace.favourites.services import save_business, save_product
    from marketplace.inquiries.services import reply, send_inquiry, set_status

    owner = make_user(role=Role.OWNER, region="35.74", email="pemilik.talk@example.id", name="Siti Aminah")
    buyer = make_user(role=Role.BUYER, region="35.05", email="budi.talk@example.id", name="Budi Santoso")
    business = make_business(owner=owner, name="Batik Manggur Kota", whatsapp="6281234567801")
    product = make_product(business=business, status="published", name="Batik Tulis Manggur")
    other = make_product(business=business, status="published", name="Batik Cap Bromo")
    with unit_of_work():
        inquiry = send_inquiry(product, buyer=buyer, name="Budi Santoso", contact="6281334445566", quantity=10,
                               message="Ada warna biru?", buyer_region_code="35.05", **INQUIRY_LINKS)
        link, inbox = f"/my/inquiries/{inquiry.id}", INQUIRY_LINKS["inbox_url"]
        reply(inquiry, owner, "Ada, biru indigo.", link=link, inbox_url=inbox)
        reply(inquiry, buyer, "Baik, saya pesan.", link=link, inbox_url=inbox)
        closed = send_inquiry(other, buyer=buyer, name="Budi Santoso", contact="budi.talk@example.id", quantity=2,
                              message="", buyer_region_code="35.05", **INQUIRY_LINKS)
        set_status(closed, InquiryStatus.CLOSED)
        send_inquiry(other, buyer=None, name="Tamu", contact="0813-1111-2222", quantity=1, message="Harga grosir?",
                     buyer_region_code="35.13", **INQUIRY_LINKS)
        save_product(buyer, product)
        save_business(buyer, business)
    threads = [f"/my/inquiries/{i}" for i in db.session.scalars(db.select(Inquiry.id).order_by(Inquiry.id))]
    return {"owner": owner, "buyer": buyer, "product": product, "business": business, "threads": threads}


def test_the_pages_are_valid_html(app, talk, tmp_path):
    vnu = vnu_command()
    pages = {}
    product_page = f"/products/{talk['product'].id}-{talk['product'].slug}"
    for who, paths in (("owner", ["/my/inquiries", "/my/inquiries?status=closed", *talk["threads"], "/my/favourites"]),
                       ("buyer", ["/my/inquiries", "/my/inquiries/sent", *talk["threads"][:2], "/my/favourites",
                                  "/my/", product_page, f"/businesses/{talk['business'].slug}"])):
        client = app.test_client()
        client.submit("/auth/login", {"email": talk[who].email, "password": PASSWORD})
        for path in paths:
            for lang in LANGUAGES:
                response = client.get(with_language(path, lang))
                assert response.status_code == 200, f"{who} {path}: {response.status_code}"
                pages[f"{who} {with_language(path, lang)}"] = response.get_data(as_text=True)
    assert_valid_html(vnu, pages, tmp_path)


@pytest.mark.browser
def test_the_pages_pass_axe(page, live_server, talk):
    browser_log_in(page, live_server, talk["owner"].email)
    problems = audit(page, live_server, ["/my/inquiries", *talk["threads"]])
    page.context.clear_cookies()
    browser_log_in(page, live_server, talk["buyer"].email)
    product_page = f"/products/{talk['product'].id}-{talk['product'].slug}"
    problems += audit(page, live_server, ["/my/inquiries", *talk["threads"][:2], "/my/favourites", product_page])
    assert not problems, report(problems)
