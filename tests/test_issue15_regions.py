"""Issue 15: region pages (the office, agreements and partners, showcases), the home page's newest products, units in
the reader's language, the new business form after sign-up, demo moderators."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import unquote

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.forms import social_link, website_link
from marketplace.businesses.models import Business
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry
from marketplace.regions.models import Agreement, Region
from marketplace.regions.reference import OFFICE_NAMES
from marketplace.seeding import DEMO_ACCOUNTS, seed_reference
from marketplace.showcases import services as showcases
from marketplace.timeutil import today


def page(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


# -- the region's office: reference data ------------------------------------------------------------------------------

def test_seed_names_only_the_offices_known_for_sure_and_invents_no_contact():
    regions = {r.code: r for r in db.session.scalars(db.select(Region))}
    assert regions["35.13"].office_name == (
        "Dinas Koperasi, Usaha Mikro, Perdagangan dan Perindustrian Kabupaten Probolinggo")
    assert {code for code, r in regions.items() if r.office_name} == set(OFFICE_NAMES)
    assert not any(r.has_office_contact for r in regions.values())  # addresses, phones, emails: the admins' to enter


def test_seeding_again_keeps_what_an_admin_entered():
    kab = db.session.get(Region, "35.13")
    kab.office_name, kab.office_phone = "Nama yang dikoreksi admin", "(0335) 000000"
    db.session.commit()
    seed_reference()
    db.session.commit()
    assert (kab.office_name, kab.office_phone) == ("Nama yang dikoreksi admin", "(0335) 000000")


def test_region_page_says_when_contact_details_are_missing(client):
    html = page(client, "/regions/35.13?lang=en")
    assert "Dinas Koperasi, Usaha Mikro, Perdagangan dan Perindustrian Kabupaten Probolinggo" in html
    assert "Contact details not yet entered." in html
    html = page(client, "/regions/35.74?lang=en")
    assert "office has not been entered yet." in html


def test_admin_enters_the_office_and_the_page_shows_it_audited(client, auth, make_user):
    admin = make_user(role=Role.ADMIN, email="admin@example.id")
    auth.login(admin.email)
    form = {"office_name": "Dinas Koperasi Uji", "office_address": "Jl. Uji No. 1, Probolinggo",
            "office_phone": "(0335) 123456", "office_email": "dkupp@example.id", "office_website": "https://dkupp.example.id"}
    response = client.submit("/admin/regions/35.74/office", form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/regions/35.74")
    html = page(client, "/regions/35.74?lang=en")
    for value in ("Dinas Koperasi Uji", "Jl. Uji No. 1, Probolinggo", 'href="tel:(0335)123456"', "mailto:dkupp@example.id",
                  'href="https://dkupp.example.id"'):
        assert value in html
    assert "Contact details not yet entered." not in html
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "region.office_update"))
    assert entry.actor_email == admin.email and entry.region_code == "35.74" and entry.object_label == "Kota Probolinggo"
    assert entry.changes["office_phone"] == [None, "(0335) 123456"]


def test_a_bad_office_email_is_refused_and_what_was_typed_is_kept(client, auth, make_user):
    auth.login(make_user(role=Role.ADMIN, email="admin@example.id").email)
    response = client.submit("/admin/regions/35.74/office?lang=en", {"office_name": "Dinas Uji", "office_email": "bukan email"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter a valid email address" in html
    assert 'value="Dinas Uji"' in html and 'value="bukan email"' in html
    assert db.session.get(Region, "35.74").office_name is None


# -- the region page: agreements, partners, showcases, a proper sentence ----------------------------------------------

def test_region_page_shows_active_agreements_and_links_the_partners(client):
    html = page(client, "/regions/35.74?lang=en")
    assert "Kota Probolinggo (Kemendagri code 35.74) is a partner region" in html
    assert "Kemendagri code 35.74." not in html
    assert "Kesepakatan Bersama Pemerintah Kota Probolinggo dan Pemerintah Kabupaten Pasuruan" in html
    assert "Kerja sama dagang Kopi Siaga dan Koperasi Berkah Telur" in html  # an institution in the region is a party
    assert 'href="/regions/35.14"' in html and 'href="/regions/35.05"' in html
    assert html.count('href="/regions/35.74"') == 0  # the region does not link to itself


def test_a_region_without_agreements_says_so_in_a_sentence(client):
    html = page(client, "/regions/35.13?lang=en")
    assert "Kabupaten Probolinggo (Kemendagri code 35.13) is not a partner region at the moment" in html
    assert "This region is not party to an active agreement." in html


def test_an_expired_agreement_is_not_shown(client):
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-pasuruan-2025"))
    agreement.valid_until = today() - timedelta(days=1)
    db.session.commit()
    html = page(client, "/regions/35.14?lang=en")
    assert "Kesepakatan Bersama Pemerintah Kota Probolinggo dan Pemerintah Kabupaten Pasuruan" not in html
    assert "is not a partner region at the moment" in html


def test_region_page_lists_the_showcases_it_hosts(client, make_user):
    host = make_user(role=Role.MODERATOR, region="35.74", email="host@example.id")
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
    on = today()
    showcases.create_showcase(host, agreement=agreement, host_region_code="35.74", title="Etalase Sekartaji Uji", on=on,
                              published=True, starts_on=on - timedelta(days=1), ends_on=on + timedelta(days=30))
    showcases.create_showcase(host, agreement=agreement, host_region_code="35.74", title="Draf Etalase", on=on,
                              published=False)
    html = page(client, "/regions/35.74?lang=en")
    assert "Showcases hosted by Kota Probolinggo" in html and "Etalase Sekartaji Uji" in html
    assert "Draf Etalase" not in html
    assert "Etalase Sekartaji Uji" not in page(client, "/regions/35.13?lang=en")


# -- home: what the newest products are ---------------------------------------------------------------------------------

def test_home_does_not_call_the_newest_products_partner_products(client, make_business, make_product):
    make_product(business=make_business(region="35.13", name="Batik Kraksaan"), status="published", name="Batik Kraksaan")
    html = page(client, "/?lang=en")
    assert "Batik Kraksaan" in html  # 35.13 is no partner region
    assert "partner regions</h1>" not in html and "<title>UMKM products of partner regions" not in html
    assert "The latest products from every region of East Java, partner region or not." in html


# -- units in the reader's language -------------------------------------------------------------------------------------

def test_units_in_english_and_in_indonesian(client, make_product):
    product = make_product(status="published", unit="lembar", min_order=10)
    url = f"/products/{product.id}-{product.slug}"
    english = page(client, url + "?lang=en")
    assert "/ sheet</span>" in english and "10 sheets" in english and "lembar" not in english
    indonesian = page(client, url + "?lang=id")
    assert "/ lembar</span>" in indonesian and "10 lembar" in indonesian and "sheets" not in indonesian
    assert "/ sheet</span>" in page(client, "/products?lang=en")  # the card


def test_unit_select_of_the_product_form_is_translated(client, auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    html = page(client, f"/my/businesses/{business.id}/products/new?lang=en")
    assert '<option value="lembar">sheet</option>' in html and '<option value="kodi">kodi (20 pieces)</option>' in html


def test_inquiry_pages_mail_and_whatsapp_use_the_readers_unit(client, auth, make_product, outbox):
    product = make_product(status="published", unit="ikat", min_order=2)  # the owner reads Indonesian
    response = client.submit(f"/products/{product.id}/inquiry?lang=en", {
        "name": "Budi", "contact": "0812-3456-7890", "quantity": "5", "region": "35.05", "message": "Untuk hajatan"},
        page=f"/products/{product.id}-{product.slug}")
    sent = page(client, response.headers["Location"])
    whatsapp = unquote(unescape(re.search(r'href="(https://wa\.me/[^"]+)"', sent).group(1)))
    assert "5 ikat" in whatsapp  # in the seller's language
    (mail,) = outbox()
    assert "5 ikat" in mail.get_content()
    inquiry = db.session.scalar(db.select(Inquiry))
    owner = db.session.get(Business, product.business_id).owner
    auth.login(owner.email)
    assert "5 bunches" in page(client, f"/my/inquiries/{inquiry.id}?lang=en")
    assert "5 bunches" in page(client, "/my/inquiries?lang=en")
    assert "5 bunches" in page(client, "/my/notifications?lang=en")
    assert "5 ikat" in page(client, "/my/notifications?lang=id")


# -- sign-up to business ------------------------------------------------------------------------------------------------

def test_new_business_form_takes_the_whatsapp_number_given_at_sign_up(client, auth, make_user):
    owner = make_user(role=Role.OWNER, phone="6281234567890")
    auth.login(owner.email)
    html = page(client, "/my/businesses/new")
    assert 'value="081234567890"' in html


@pytest.mark.parametrize(("network", "typed", "stored"), [
    ("instagram", "@batik.siti", "https://instagram.com/batik.siti"),
    ("instagram", "instagram.com/batik.siti", "https://instagram.com/batik.siti"),
    ("instagram", "https://www.instagram.com/batik.siti", "https://instagram.com/batik.siti"),
    ("facebook", "facebook.com/batiksiti", "https://facebook.com/batiksiti"),
    ("tiktok", "@batiksiti", "https://tiktok.com/@batiksiti"),
    ("tiktok", "tiktok.com/batiksiti", "https://tiktok.com/@batiksiti"),
])
def test_social_accounts_are_normalised(network, typed, stored):
    assert social_link(network, typed) == stored


def test_website_without_scheme_gets_https():
    assert website_link("batiksiti.id") == "https://batiksiti.id"
    assert website_link("javascript:alert(1)") == "javascript:alert(1)"  # left for the URL check to refuse


def test_business_form_accepts_at_name_and_refuses_nonsense_keeping_it(client, auth, make_user):
    owner = make_user(role=Role.OWNER, region="35.74")
    auth.login(owner.email)
    data = {"name": "Batik Siti", "region": "35.74", "nib": "1234567890123", "size_class": "mikro",
            "whatsapp": "0812-3456-7890", "instagram": "@batik.siti", "tiktok": "tiktok.com/@batiksiti"}
    assert client.submit("/my/businesses/new", data).status_code == 302
    business = db.session.scalar(db.select(Business).where(Business.name == "Batik Siti"))
    assert business.links == {"instagram": "https://instagram.com/batik.siti", "tiktok": "https://tiktok.com/@batiksiti"}
    response = client.submit("/my/businesses/new?lang=en", {**data, "name": "Batik Dua", "instagram": "bukan akun!"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter the account as @name or as its address" in html
    assert 'value="bukan akun!"' in html


# -- demo data -----------------------------------------------------------------------------------------------------------

def test_every_demo_region_with_businesses_has_a_moderator():
    from marketplace.demo.content import BUSINESSES

    moderated = {region for _e, _n, role, region in DEMO_ACCOUNTS if role is Role.MODERATOR}
    assert {b["region"] for b in BUSINESSES} <= moderated
    assert ("moderator.kabprobolinggo@demo.etalase.id", "35.13") in {(e, r) for e, _n, _ro, r in DEMO_ACCOUNTS}
