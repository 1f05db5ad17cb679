"""The cooperatives' pages are valid HTML (Nu validator) in both languages, and work on a 360 px phone without
sideways scroll, with "produced by" on the product page's first screen."""

import re

import pytest
from playwright.sync_api import Page

from marketplace.accounts.models import Role
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.cooperatives import services
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS
from tests.test_html_validity import LANGUAGES, assert_valid_html, vnu_command, with_language
from tests.test_phone_layout import PHONE, bottom, log_in, sideways_and_header


@pytest.fixture
def coop_site(make_user, make_business, make_product):
    from marketplace.inquiries.services import send_inquiry

    owner = make_user(role=Role.OWNER, region="35.74", email="pengurus.kopi@example.id", name="Hartono")
    coop = make_business(owner=owner, name="Koperasi Konsumen Pengendali Inflasi Harga Kota Probolinggo",
                         kind=BusinessKind.COOPERATIVE, cooperative_kind=CooperativeKind.CONSUMER,
                         legal_entity_number="AHU-0000001.AH.01.26.TAHUN 2024")
    with unit_of_work():
        named = services.add_member(owner, coop, name="Muhammad Sholehuddin Al-Ghofari", desa="Kelurahan Jrebeng Kidul",
                                    kecamatan="Wonoasih", commodities="jagung pipilan kering, kedelai, kacang hijau",
                                    consent_scope=ConsentScope.NAME_AND_DESA,
                                    consent_method=ConsentMethod.MEMBER_CONFIRMATION, consent_note="WhatsApp.")
        services.add_member(owner, coop, name="Abdul Ghofur", desa="Kelurahan Sumberwetan", kecamatan="Kedopok",
                            consent_scope=ConsentScope.DESA_ONLY, consent_method=ConsentMethod.MEMBER_CONFIRMATION,
                            consent_note="Rapat anggota.")
    product = make_product(business=coop, status="published", name="Jagung Pipilan Kering Pakan Ternak Kadar Air 15%",
                           category="jagung", member_id=named.id, unit="kg", photo_size=(1600, 1200))
    with unit_of_work():
        send_inquiry(product, buyer=None, name="Budi Santoso", contact="0813-3444-5566", quantity=1000,
                     message="Kirim ke Blitar?", buyer_region_code="35.05", **INQUIRY_LINKS)
        services.link_named_parties(None)  # nothing matches these names: the trade agreement keeps its notes
    return {"owner": owner, "coop": coop, "member": named, "product": product}


def owner_pages(site) -> list[str]:
    coop, member = site["coop"], site["member"]
    return [f"/my/businesses/{coop.id}/members", f"/my/businesses/{coop.id}/members/new",
            f"/my/businesses/{coop.id}/members/{member.id}/edit", f"/my/businesses/{coop.id}/members/{member.id}/withdraw",
            f"/my/businesses/{coop.id}/products/new", f"/my/businesses/{coop.id}/edit", "/my/inquiries"]


def test_the_cooperatives_pages_are_valid_html(client, auth, make_user, coop_site, tmp_path):
    vnu = vnu_command()
    coop, product = coop_site["coop"], coop_site["product"]
    pages: dict[str, str] = {}

    def render(paths):
        for path in paths:
            for lang in LANGUAGES:
                response = client.get(with_language(path, lang))
                assert response.status_code == 200, path
                pages[with_language(path, lang)] = response.get_data(as_text=True)

    render([f"/products/{product.id}-{product.slug}", f"/businesses/{coop.slug}", "/regions/35.74"])
    auth.login(coop_site["owner"].email)
    render(owner_pages(coop_site))
    for lang in LANGUAGES:  # a refused member form: errors beside the fields
        url = with_language(f"/my/businesses/{coop.id}/members/new", lang)
        pages[url + " (refused)"] = client.submit(url, {"name": "Siti", "nib": "123"}).get_data(as_text=True)
    auth.logout()
    admin = make_user(role=Role.ADMIN, email="admin.coop@example.id")
    auth.login(admin.email)
    trade = db.session.scalar(db.select(Agreement).where(Agreement.key == "trade-kopi-siaga-berkah-telur-2025"))
    render(["/admin/", f"/admin/agreements/{trade.id}", "/admin/agreements/new"])
    assert_valid_html(vnu, pages, tmp_path)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_cooperatives_pages_fit_a_phone(phone: Page, live_server, coop_site, lang):
    product, coop = coop_site["product"], coop_site["coop"]
    phone.goto(f"{live_server}/products/{product.id}-{product.slug}?lang={lang}")
    assert bottom(phone, ".produced-by") <= PHONE["height"], "who produced it is on the first screen"
    assert re.search("Muhammad Sholehuddin", phone.locator(".seller-line").inner_text())
    problems = sideways_and_header(phone, "product")
    phone.goto(f"{live_server}/businesses/{coop.slug}?lang={lang}")
    problems += sideways_and_header(phone, "business")
    log_in(phone, live_server, coop_site["owner"].email)
    for path in owner_pages(coop_site):
        phone.goto(f"{live_server}{path}?lang={lang}")
        problems += sideways_and_header(phone, path)
    assert not problems, problems
