"""In Debian's Chromium at phone size (360 px): a buyer saves a product and asks about it, then buyer and owner
exchange three messages in the thread; each side sees a notification and an unread count; a third user gets 404."""

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from tests.conftest import PASSWORD
from tests.test_phone_layout import PHONE, sideways_and_header

pytestmark = pytest.mark.browser


@pytest.fixture
def phones(browser):
    contexts = [browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
                for _ in range(3)]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login?lang=en")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/my/$"))


def unread(page: Page):
    return page.locator('.main-nav a[href="/my/inquiries"] .count')


def write(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Message sent.")).to_be_visible()


def test_buyer_and_owner_exchange_three_messages_on_a_phone(phones, live_server, make_user, make_business,
                                                             make_product):
    buyer_page, owner_page, stranger_page = phones
    owner = make_user(role=Role.OWNER, region="35.74", email="pemilik.obrolan@example.id", name="Siti Aminah")
    business = make_business(owner=owner, name="Batik Manggur Kota", whatsapp="6281234567801")
    product = make_product(business=business, status="published", name="Batik Tulis Manggur", price_min=150000)
    buyer = make_user(role=Role.BUYER, region="35.05", email="budi.obrolan@example.id", name="Budi Santoso",
                      phone="6281334445566")
    stranger = make_user(role=Role.BUYER, region="35.05", email="orang.lain@example.id")
    problems = []

    def check_layout(page: Page) -> None:
        problems.extend(sideways_and_header(page, page.url))

    # the buyer saves the product, then asks about it
    log_in(buyer_page, live_server, buyer.email)
    buyer_page.goto(f"{live_server}/products/{product.id}-{product.slug}")
    buyer_page.get_by_role("button", name="Save to favourites").click()
    expect(buyer_page.get_by_role("button", name="Saved · remove")).to_be_visible()
    buyer_page.get_by_label("Message").fill("Apakah bisa kirim ke Blitar?")
    buyer_page.get_by_role("button", name="Send inquiry").click()
    expect(buyer_page.get_by_role("heading", name="Inquiry sent")).to_be_visible()

    # the owner sees one unread inquiry, opens it and answers (message 1 of 3)
    log_in(owner_page, live_server, owner.email)
    expect(unread(owner_page)).to_have_text("1")
    owner_page.goto(f"{live_server}/my/inquiries")
    check_layout(owner_page)
    owner_page.get_by_role("link", name=re.compile("Budi Santoso")).click()
    thread_url = owner_page.url
    expect(owner_page.get_by_text("Apakah bisa kirim ke Blitar?")).to_be_visible()
    expect(owner_page.get_by_role("link", name="Answer on WhatsApp")).to_be_visible()
    write(owner_page, "Bisa, ongkir ke Blitar Rp 20.000.")
    check_layout(owner_page)
    expect(unread(owner_page)).to_have_count(0)

    # the buyer is told, finds it in /my/inquiries with its unread count, and answers (message 2)
    buyer_page.goto(f"{live_server}/my/inquiries")
    expect(unread(buyer_page)).to_have_text("1")
    expect(buyer_page.locator(".item-list .count")).to_have_text("1 unread")
    check_layout(buyer_page)
    buyer_page.goto(f"{live_server}/my/notifications")
    expect(buyer_page.get_by_text(re.compile("Siti Aminah wrote about “Batik Tulis Manggur”"))).to_be_visible()
    buyer_page.goto(f"{live_server}/my/inquiries")
    buyer_page.get_by_role("link", name=re.compile("Batik Tulis Manggur")).click()
    expect(buyer_page.get_by_text("Bisa, ongkir ke Blitar Rp 20.000.")).to_be_visible()
    expect(buyer_page.get_by_role("link", name="Chat on WhatsApp")).to_be_visible()  # WhatsApp stays offered
    write(buyer_page, "Baik, saya pesan 20 lembar.")
    check_layout(buyer_page)

    # the owner is told and answers again (message 3)
    owner_page.goto(f"{live_server}/my/notifications")
    expect(owner_page.get_by_text(re.compile("Budi Santoso wrote about “Batik Tulis Manggur”"))).to_be_visible()
    expect(unread(owner_page)).to_have_text("1")
    owner_page.goto(thread_url)
    write(owner_page, "Siap, kami kirim besok.")

    buyer_page.goto(f"{live_server}/my/inquiries")
    expect(unread(buyer_page)).to_have_text("1")
    buyer_page.goto(thread_url)
    for text in ("Apakah bisa kirim ke Blitar?", "Bisa, ongkir ke Blitar Rp 20.000.", "Baik, saya pesan 20 lembar.",
                 "Siap, kami kirim besok."):
        expect(buyer_page.get_by_text(text)).to_be_visible()
    expect(buyer_page.locator(".thread > li")).to_have_count(4)
    buyer_page.goto(f"{live_server}/my/favourites")
    expect(buyer_page.get_by_role("link", name="Batik Tulis Manggur")).to_be_visible()
    check_layout(buyer_page)

    # anyone else: 404
    log_in(stranger_page, live_server, stranger.email)
    assert stranger_page.goto(thread_url).status == 404
    assert not problems, "\n".join(problems)
