"""Staples in Debian's Chromium: two cooperatives post, their moderators publish, the match shows on both sides, a deal
is proposed and confirmed, a delivery is logged with its note; before the deal the two sides exchange messages in
the match's conversation; the pages pass axe and do not scroll sideways on a
360 px phone."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.timeutil import today
from tests.conftest import PASSWORD, jpeg_bytes

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
AXE = Axe()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login?lang=en")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/(my|moderation)/$"))


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def post(page: Page, base: str, kind: str, quantity: str, price_min: str = "", price_max: str = "") -> None:
    page.goto(f"{base}/my/staples/new?kind={kind}&lang=en")
    page.get_by_label("Commodity").select_option(label="Shelled dry maize")
    page.get_by_label("Quantity").fill(quantity)
    page.get_by_label("Unit", exact=True).select_option(label="tonne")
    page.get_by_label("How often").select_option("month")
    page.get_by_label("Until").fill((today() + timedelta(days=120)).isoformat())
    if price_min:
        page.get_by_label("Lowest price per unit (Rp)").fill(price_min)
        page.get_by_label("Highest price per unit (Rp, optional)").fill(price_max)
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".flash-success")).to_contain_text("Post sent for review")


def publish(page: Page, base: str) -> None:
    page.goto(f"{base}/moderation/staples?lang=en")
    page.locator("#q-posts + ul a").first.click()
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".flash-success")).to_contain_text("Decision saved")


def test_two_cooperatives_post_moderators_publish_they_match_agree_and_log_a_delivery(page: Page, live_server, make_user,
                                                                                       make_business, tmp_path):
    users = {
        "siaga": make_user(role=Role.OWNER, region="35.74", email="kopi.siaga.pw@example.id"),
        "telur": make_user(role=Role.OWNER, region="35.05", email="berkah.telur.pw@example.id"),
        "mod_kota": make_user(role=Role.MODERATOR, region="35.74", email="mod.kota.pw@example.id"),
        "mod_blitar": make_user(role=Role.MODERATOR, region="35.05", email="mod.blitar.pw@example.id"),
    }
    for user, region, name, kind, number in ((users["siaga"], "35.74", "Kopi Siaga", CooperativeKind.CONSUMER, 1),
                                             (users["telur"], "35.05", "Koperasi Berkah Telur", CooperativeKind.PRODUCER, 2)):
        make_business(owner=user, region=region, name=name, kind=BusinessKind.COOPERATIVE, cooperative_kind=kind,
                      legal_entity_number=f"AHU-000000{number}.AH.01.26.TAHUN 2024")

    log_in(page, live_server, users["siaga"].email)
    # bad input first: the window ends before it starts, and nothing typed is lost
    page.goto(f"{live_server}/my/staples/new?kind=offer&lang=en")
    page.get_by_label("Commodity").select_option(label="Shelled dry maize")
    page.get_by_label("Quantity").fill("20")
    page.get_by_label("Unit", exact=True).select_option(label="tonne")
    page.get_by_label("Available or needed from").fill((today() + timedelta(days=10)).isoformat())
    page.get_by_label("Until").fill(today().isoformat())
    page.get_by_label("Notes (optional)").fill("Jagung pakan petani anggota")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#ends_on-error")).to_contain_text("The window ends before it starts")
    expect(page.get_by_label("Quantity")).to_have_value("20")
    expect(page.get_by_label("Notes (optional)")).to_have_value("Jagung pakan petani anggota")
    post(page, live_server, "offer", "20", "4200000", "5000000")
    log_out(page)
    log_in(page, live_server, users["telur"].email)
    post(page, live_server, "need", "10", "4000000", "5200000")
    log_out(page)

    for moderator in ("mod_kota", "mod_blitar"):
        log_in(page, live_server, users[moderator].email)
        publish(page, live_server)
        log_out(page)
    for moderator in ("mod_kota", "mod_blitar"):  # both regions' moderators see the match
        log_in(page, live_server, users[moderator].email)
        page.goto(f"{live_server}/moderation/staples?lang=en")
        expect(page.locator("#s-matches + ul")).to_contain_text("Kopi Siaga")
        log_out(page)

    log_in(page, live_server, users["telur"].email)
    page.goto(f"{live_server}/my/staples?lang=en")
    page.locator("#my-matches + ul a").first.click()
    expect(page.locator("#match-conversation")).to_be_visible()
    match_url = page.url.split("?")[0]
    # a first message opens the match's conversation
    page.locator("#match-conversation").get_by_label("Your message").fill("Bisa kirim 10 ton franco Blitar bulan ini?")
    page.locator("#match-conversation").get_by_role("button", name="Send message").click()
    expect(page.locator(".flash-success")).to_contain_text("Message sent")
    expect(page.locator("ol.thread")).to_contain_text("Bisa kirim 10 ton franco Blitar bulan ini?")
    log_out(page)

    log_in(page, live_server, users["siaga"].email)  # the other side sees it unread, answers in the same thread
    page.goto(f"{live_server}/my/staples?lang=en")
    expect(page.locator("#my-talks + ul")).to_contain_text("1 unread")
    page.locator("#my-talks + ul a").first.click()
    expect(page.locator("ol.thread")).to_contain_text("Bisa kirim 10 ton franco Blitar bulan ini?")
    page.get_by_label("Your message").fill("Bisa, kadar air paling tinggi 15 %.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("ol.thread li")).to_have_count(2)
    log_out(page)

    log_in(page, live_server, users["telur"].email)
    page.goto(match_url + "?lang=en")
    page.get_by_label("Agreed volume (in the commodity's base unit)").fill("10000")
    page.get_by_label("Unit price per base unit (Rp)").fill("4600")
    page.get_by_role("button", name="Propose the deal").click()
    expect(page.locator(".flash-success")).to_contain_text("Deal proposed")
    deal_url = page.url
    log_out(page)

    log_in(page, live_server, users["siaga"].email)
    page.goto(deal_url + "?lang=en")
    page.get_by_role("button", name="Confirm the deal").click()
    expect(page.locator(".flash-success")).to_contain_text("Deal confirmed")
    page.get_by_label("Quantity delivered (in the commodity's base unit)").fill("10001")
    page.get_by_label("Received by").fill("Gudang Srengat")
    page.get_by_role("button", name="Log the delivery").click()
    expect(page.locator("#quantity-error")).to_contain_text("more than what remains")
    expect(page.get_by_label("Received by")).to_have_value("Gudang Srengat")
    note = tmp_path / "surat-jalan.jpg"
    note.write_bytes(jpeg_bytes())
    page.get_by_label("Quantity delivered (in the commodity's base unit)").fill("6000")
    page.get_by_label("Quality accepted (e.g. moisture measured)").fill("kadar air 14,6 %")
    page.get_by_label("Photo of the delivery note (optional)").set_input_files(str(note))
    page.get_by_role("button", name="Log the delivery").click()
    expect(page.locator(".flash-success")).to_contain_text("Delivery logged")
    expect(page.locator("dl.facts")).to_contain_text("4,000 kg")
    log_out(page)

    log_in(page, live_server, users["telur"].email)
    page.goto(deal_url + "?lang=en")
    page.get_by_role("button", name="Confirm delivery").click()
    expect(page.locator("#deliveries + .table-wrap")).to_contain_text("confirmed by both sides")


def test_the_staples_pages_pass_axe_and_fit_a_phone(browser, live_server, make_user, make_business):
    from marketplace.staples import deals, talk
    from marketplace.staples.models import DeliveryTerms, PostKind, Transport
    from marketplace.unit_of_work import unit_of_work
    from tests.staples_helpers import published

    owner = make_user(role=Role.OWNER, region="35.74", email="kopi.siaga.axe@example.id")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="mod.kota.axe@example.id")
    seller = make_business(owner=owner, region="35.74", name="Kopi Siaga")
    buyer = make_business(region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20, price_min=4_500_000, unit="ton")
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    with unit_of_work():
        deal = deals.propose_deal(buyer.owner, {buyer.id}, offer, need, volume=10_000, unit_price=4500, starts_on=today(),
                                  ends_on=today(), delivery_terms=DeliveryTerms.LOCO, transport_by=Transport.BUYER, on=today())
        deals.confirm_deal(owner, {seller.id}, deal)
        deals.log_delivery(buyer.owner, {buyer.id}, deal, delivered_on=today(), quantity=1000, quality="", received_by="Gudang")
        talk.send(buyer.owner, offer, need, "Bisa kirim minggu depan?", link="/", inbox_url="http://localhost/")
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = []

    def check(paths):
        for path in paths:
            for lang in ("id", "en"):
                response = page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
                assert response.status == 200, (path, response.status)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    problems.append(f"{path} ({lang}): {width} px wide")
                problems.extend(f"{path} ({lang}): {v['id']} {v['help']}" for v in AXE.run(page).response["violations"]
                                if v["impact"] in {"serious", "critical"})

    check(["/staples", "/staples/jagung-pipilan-kering"])
    log_in(page, live_server, owner.email)
    check(["/my/staples", "/my/staples/new", f"/my/staples/matches/{offer.id}/{need.id}",
           f"/my/staples/matches/{offer.id}/{need.id}/conversation", f"/my/staples/deals/{deal.id}"])
    context.clear_cookies()
    log_in(page, live_server, moderator.email)
    check(["/moderation/staples", f"/moderation/staples/pairs?offer={offer.id}&need={need.id}",
           f"/moderation/staples/deals/{deal.id}", "/moderation/staples/prices"])
    context.close()
    assert not problems, "\n".join(problems)
