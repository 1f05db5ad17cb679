"""What the phone-first pages render, without a browser (issue 15): the product form's attribute groups without
JavaScript, the labels of a draft's photos, the catalogue's facets and removable filter chips, the header's menu.
The layout itself is checked in Chromium at 360x740 in tests/test_phone_layout.py."""

import re
from datetime import date, timedelta

import pytest

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.unit_of_work import unit_of_work
from tests.test_products import category_id, new_url, product_form


@pytest.fixture
def business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


def attribute_groups(html: str) -> dict[str, bool]:
    """Attribute group -> whether the page shows it (no `hidden` attribute)."""
    return {name: "hidden" not in attrs
            for name, attrs in re.findall(r'<fieldset class="group" data-attribute-group="([\w-]+)"([^>]*)>', html)}


GROUPS = ("batik", "bordir", "kerajinan-tangan", "makanan-olahan", "minuman", "hasil-pertanian", "hasil-peternakan",
          "hasil-perikanan")


def shown(*names: str) -> dict[str, bool]:
    return {name: name in names for name in GROUPS}


def test_a_new_product_form_shows_every_attribute_group_with_its_heading(client, business):
    html = client.get(new_url(business)).get_data(as_text=True)
    assert attribute_groups(html) == shown(*GROUPS)
    for heading in ("For Batik", "For Processed food", "For Beverages", "For Farm produce", "For Handicrafts"):
        assert f"<legend>{heading}</legend>" in html


def test_the_form_shows_only_the_group_of_the_category_it_is_sent_with(client, business, make_product):
    batik = make_product(business=business, category="batik-tulis")
    html = client.get(f"/my/products/{batik.id}/edit?lang=en").get_data(as_text=True)
    assert attribute_groups(html) == shown("batik")
    # refused (no name) with a food category: the food group comes back
    html = client.submit(new_url(business), product_form(category=str(category_id("kopi")), name="")).get_data(as_text=True)
    assert "Enter the product name." in html
    assert attribute_groups(html) == shown("minuman")
    # a category without attributes: none
    html = client.submit(new_url(business), product_form(category=str(category_id("kosmetik-perawatan")), name="")
                         ).get_data(as_text=True)
    assert attribute_groups(html) == shown()


def test_the_category_select_tells_the_script_which_group_each_category_uses(client, business):
    html = client.get(new_url(business)).get_data(as_text=True)
    mapping = re.search(r'data-attribute-groups="([^"]+)"', html).group(1).replace("&#34;", '"').replace("&quot;", '"')
    assert f'"{category_id("batik-tulis")}":["batik"]' in mapping
    assert f'"{category_id("telur")}":["hasil-peternakan"]' in mapping and f'"{category_id("kopi")}":["minuman"]' in mapping
    assert f'"{category_id("kosmetik-perawatan")}"' not in mapping
    assert 'src="/static/js/product-form.js?v=' in html and 'src="/static/js/uploads.js?v=' in html


def test_fields_of_a_group_the_category_does_not_use_are_not_checked(client, business):
    """A hidden group cannot refuse the form: an eggs product with a bad P-IRT number and a long motif left in the
    batik and food groups is saved, with its own group's attributes only."""
    data = product_form(category=str(category_id("telur")), grade="A", pirt="123", motif="x" * 200)
    assert client.submit(new_url(business), data).status_code == 302
    assert db.session.scalar(db.select(Product)).attributes == {"grade": "a"}


def test_fields_of_the_chosen_group_are_still_checked(client, business):
    html = client.submit(new_url(business), product_form(category=str(category_id("kopi")), pirt="123")
                         ).get_data(as_text=True)
    assert "This is not in the right format; it should look like 1234567890123-45." in html
    assert db.session.scalar(db.select(Product)) is None


@pytest.mark.parametrize("lang", ["id", "en"])
def test_photos_of_a_draft_never_sent_do_not_wait_for_review(client, business, make_product, lang):
    awaiting = {"id": "menunggu ditinjau", "en": "awaiting review"}[lang]
    draft = make_product(business=business, status="draft", photos=2)
    pending = make_product(business=business, status="pending", photos=1)
    assert awaiting not in client.get(f"/my/products/{draft.id}/photos?lang={lang}").get_data(as_text=True)
    assert awaiting in client.get(f"/my/products/{pending.id}/photos?lang={lang}").get_data(as_text=True)


def test_a_new_photo_of_a_published_product_is_marked_not_public_until_its_edit_is_sent(client, business, make_product):
    from marketplace.catalog.services import update_photos
    from marketplace.media.services import stage_photo
    from tests.conftest import jpeg_bytes

    product = make_product(business=business, status="published", photos=1)
    with unit_of_work():
        update_photos(product, alt_texts={}, order=[p.id for p in product.photos], delete=[],
                      new=[stage_photo(business.owner, jpeg_bytes(color=(9, 9, 9)))])
    html = client.get(f"/my/products/{product.id}/photos?lang=en").get_data(as_text=True)
    assert html.count("awaiting review") == 1  # the edit holding the new photo is in review


def test_the_catalogue_leaves_out_a_facet_with_nothing_to_offer(client, make_product):
    from marketplace.certifications.models import Certification, CertStatus, CertType

    product = make_product(status="published")
    html = client.get("/products?lang=en").get_data(as_text=True)
    assert 'id="facet-region"' in html and 'id="facet-category"' in html
    assert 'id="facet-cert"' not in html  # no product shows a badge
    with unit_of_work():
        db.session.add(Certification(business=product.business, product=product, cert_type=CertType.SNI,
                                     number="SNI 8302:2016", issuer="LSPr-025-IDN", document="x.pdf",
                                     status=CertStatus.VERIFIED, valid_until=date.today() + timedelta(days=365)))
    html = client.get("/products?lang=en").get_data(as_text=True)
    assert 'id="facet-cert"' in html and "SNI (Indonesian National Standard)" in html


def test_active_filters_are_chips_each_linking_to_the_catalogue_without_it(client, make_product):
    make_product(status="published")
    html = client.get("/products?lang=en&q=batik&region=35.74&category=batik&min_price=1000&max_price=900000"
                      ).get_data(as_text=True)
    chips = dict((label.strip(), href.replace("&amp;", "&")) for href, label in re.findall(
        r'<a class="chip" href="([^"]+)"><span class="visually-hidden">Remove the filter</span>([^<]+)<', html))
    assert chips == {
        "“batik”": "/products?region=35.74&category=batik&min_price=1000&max_price=900000",
        "Kota Probolinggo": "/products?q=batik&category=batik&min_price=1000&max_price=900000",
        "Batik": "/products?q=batik&region=35.74&min_price=1000&max_price=900000",
        "from Rp 1.000": "/products?q=batik&region=35.74&category=batik&max_price=900000",
        "up to Rp 900.000": "/products?q=batik&region=35.74&category=batik&min_price=1000",
    }
    assert 'href="/products">Clear all</a>' in html
    assert "Remove the filter" not in client.get("/products?lang=en").get_data(as_text=True)


def test_the_header_folds_its_links_into_one_menu(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    menu = header.split('<details class="menu">', 1)[1]
    assert "<summary>Menu" in menu
    for link in ('href="/products"', 'href="/auth/login"', 'href="/auth/register"', 'hreflang="en"'):
        assert link in menu
