"""Category attributes as data: what an admin defines for a category appears in the product form, on the product page,
in search and as a facet within the category, without a code change; typed values are checked against their kind and
format (refused with a message, nothing typed lost); required ones are needed for review; edits of published products
show attribute changes to the moderator; the catalogue's facets count right in a constant number of queries."""

import re

import pytest
from sqlalchemy import event

from marketplace.accounts.models import Role
from marketplace.catalog.attributes.definitions import attributes_of, required_attributes_filled
from marketplace.catalog.attributes.models import CategoryAttribute
from marketplace.catalog.attributes.services import AttributeValueRefused, set_values
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.catalog.services import review_product, submit_product, update_product
from marketplace.catalog.status import TransitionRefused
from marketplace.extensions import db
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes
from tests.test_products import new_url


def category(slug: str) -> Category:
    return db.session.scalar(db.select(Category).where(Category.slug == slug))


def field(slug: str, code: str) -> str:
    return f"attr_{next(a.id for a in attributes_of(category(slug)) if a.code == code)}"


@pytest.fixture
def tenun(client, auth, make_user):
    """An admin defines a new category, Tenun ikat under Kerajinan tangan, and its attributes, all through /admin/."""
    admin = make_user(role=Role.ADMIN, email="admin@example.id")
    auth.login(admin.email)
    parent = category("kerajinan-tangan")
    assert client.submit("/admin/categories/new", {"name_id": "Tenun ikat", "name_en": "Ikat weaving",
                                                   "parent": str(parent.id)}).status_code == 302
    tenun = category("tenun-ikat")
    base = f"/admin/categories/{tenun.id}/attributes/new"
    for data in ({"name_id": "Benang", "name_en": "Yarn", "kind": "choice", "required": "y"},
                 {"name_id": "Panjang kain", "name_en": "Cloth length", "kind": "number", "unit_id": "cm", "unit_en": "cm"},
                 {"name_id": "Nomor HKI", "name_en": "IP registration", "kind": "identifier", "pattern": r"IDM\d{9}",
                  "example": "IDM000123456"},
                 {"name_id": "Selesai ditenun", "name_en": "Woven on", "kind": "date"}):
        assert client.submit(base, data).status_code == 302
    yarn = db.session.scalar(db.select(CategoryAttribute).where(CategoryAttribute.code == "yarn"))
    for label_id, label_en in (("Katun", "Cotton"), ("Sutra", "Silk")):
        assert client.submit(f"/admin/attributes/{yarn.id}/options", {"label_id": label_id, "label_en": label_en},
                             page=f"/admin/attributes/{yarn.id}").status_code == 302
    auth.logout()
    return tenun


@pytest.fixture
def owner_business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


def tenun_form(tenun, **attributes) -> dict:
    data = {"category": str(tenun.id), "name": "Tenun Ikat Sutra Bromo", "description": "Kain tenun ikat.",
            "price_mode": "fixed", "price": "1.250.000", "price_max": "", "unit": "lembar", "min_order": "1",
            "availability": "ready", "staged": ""}
    for code, value in attributes.items():
        data[field("tenun-ikat", code)] = value
    return data


def test_a_category_defined_in_admin_reaches_the_form_the_page_search_and_the_facets(client, tenun, auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    html = client.get(new_url(business)).get_data(as_text=True)
    # the form: the new category's group with its own fields, and the parent's (Kerajinan tangan) inherited
    assert '<fieldset class="group" data-attribute-group="tenun-ikat"' in html
    for label in ("Yarn", "Cloth length", "IP registration", "Woven on", "Material", "Dimensions (l × w × h)"):
        assert f">{label}</label>" in html
    assert "e.g. IDM000123456" in html and "In cm; a number only." in html and "Required before review." in html
    assert '<option value="sutra">Silk</option>' in html
    data = tenun_form(tenun, yarn="sutra", cloth_length="200,5", ip_registration="IDM000123456", woven_on="17-08-2026")
    data[field("tenun-ikat", "material")] = "sutra alam"
    data["photos"] = [(__import__("io").BytesIO(jpeg_bytes()), "tenun.jpg")]
    response = client.submit(new_url(business), data, content_type="multipart/form-data")
    assert response.status_code == 302
    product = db.session.scalar(db.select(Product))
    assert product.attributes == {"material": "sutra alam", "yarn": "sutra", "cloth_length": "200.5",
                                  "ip_registration": "IDM000123456", "woven_on": "2026-08-17"}
    with unit_of_work():
        submit_product(product)
        review_product(product, "approve", Role.MODERATOR)
    auth.logout()
    # the product page, in both languages, inherited attributes first
    page = f"/products/{product.id}-{product.slug}"
    html = client.get(page + "?lang=en").get_data(as_text=True)
    rows = re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html)
    assert rows[-5:] == [("Material", "sutra alam"), ("Yarn", "Silk"), ("Cloth length", "200.5 cm"),
                         ("IP registration", "IDM000123456"), ("Woven on", "August 17, 2026")]
    html = client.get(page + "?lang=id").get_data(as_text=True)
    assert "<dt>Benang</dt><dd>Sutra</dd>" in html and "<dd>200,5 cm</dd>" in html and "<dd>17 Agustus 2026</dd>" in html
    # search: the option's label in either language finds it
    for words in ("silk", "sutra", "IDM000123456"):
        assert product.name in client.get(f"/products?q={words}&lang=en").get_data(as_text=True), words
    # a facet within the category, and only there
    html = client.get("/products?category=tenun-ikat&lang=en").get_data(as_text=True)
    assert '<h2 id="facet-attr-yarn">Yarn</h2>' in html
    assert re.search(r'attr.yarn=sutra"\s*>Silk</a> <span class="muted">\(1\)</span>', html)
    assert "Cotton" not in html  # nothing to count
    assert "facet-attr-" not in client.get("/products?lang=en").get_data(as_text=True)
    assert "facet-attr-yarn" in client.get("/products?category=kerajinan-tangan&lang=en").get_data(as_text=True)
    html = client.get("/products?category=tenun-ikat&attr.yarn=sutra&lang=en").get_data(as_text=True)
    assert product.name in html and "Yarn: Silk" in html  # the chip that removes it
    html = client.get("/products?category=tenun-ikat&attr.yarn=katun&lang=en").get_data(as_text=True)
    assert "No products match." in html
    # without a category an attribute argument is no filter
    assert product.name in client.get("/products?attr.yarn=katun").get_data(as_text=True)


@pytest.mark.parametrize(("lang", "code", "typed", "message"), [
    ("en", "cloth_length", "dua meter", "Enter a number, e.g. 250 or 2,5 (without the unit)."),
    ("id", "cloth_length", "dua meter", "Masukkan angka, misalnya 250 atau 2,5 (tanpa satuan)."),
    ("en", "ip_registration", "12345", "This is not in the right format; it should look like IDM000123456."),
    ("id", "ip_registration", "12345", "Formatnya tidak sesuai; seharusnya seperti IDM000123456."),
    ("en", "woven_on", "31-02-2026", "Enter a date, e.g. 17-08-2026."),
    ("en", "yarn", "wol", "Choose one of the options in the list."),
])
def test_a_value_that_breaks_its_kind_or_format_is_refused_and_kept(client, tenun, owner_business, lang, code, typed,
                                                                     message):
    data = tenun_form(tenun, **{"yarn": "sutra", "cloth_length": "200", "ip_registration": "IDM000123456", code: typed})
    response = client.submit(new_url(owner_business, lang=lang), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert f'id="{field("tenun-ikat", code)}-error"' in html
    if code != "yarn":
        assert f'value="{typed}"' in html
    assert 'value="Tenun Ikat Sutra Bromo"' in html and 'value="1.250.000"' in html  # nothing else lost either
    assert db.session.scalar(db.select(Product)) is None


def test_the_pirt_number_is_checked_against_its_format(client, owner_business):
    keripik = category("keripik")
    data = {"category": str(keripik.id), "name": "Keripik Pisang", "price_mode": "fixed", "price": "15.000",
            "unit": "paket", "min_order": "1", "availability": "ready", field("keripik", "pirt"): "2113574",
            field("keripik", "net_weight"): "250"}
    html = client.submit(new_url(owner_business), data).get_data(as_text=True)
    assert "it should look like 1234567890123-45" in html and 'value="2113574"' in html
    data[field("keripik", "pirt")] = "2113574010123-27"
    assert client.submit(new_url(owner_business), data).status_code == 302
    assert db.session.scalar(db.select(Product)).attributes == {"net_weight": "250", "pirt": "2113574010123-27"}


def test_services_refuse_bad_values_too(make_product):
    product = make_product()
    with pytest.raises(AttributeValueRefused), unit_of_work():
        set_values(product, {"technique": "lukis"})
    assert product.attributes == {}


def test_required_attributes_wait_for_review_not_for_drafts(client, tenun, owner_business, make_product):
    # a draft may be incomplete
    data = tenun_form(tenun, cloth_length="150")
    data["photos"] = [(__import__("io").BytesIO(jpeg_bytes()), "tenun.jpg")]
    assert client.submit(new_url(owner_business, lang="en"), data, content_type="multipart/form-data").status_code == 302
    product = db.session.scalar(db.select(Product))
    assert not required_attributes_filled(product)
    response = client.submit(f"/my/products/{product.id}/submit?lang=en", {}, page="/my/products?lang=en")
    assert response.status_code == 409
    assert "Fill in what the category requires, then send it for review: Yarn." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.DRAFT
    with unit_of_work():
        set_values(product, {"yarn": "katun", "cloth_length": "150"})
    assert required_attributes_filled(product)
    with unit_of_work():
        submit_product(product)
    assert product.status is ProductStatus.PENDING


def test_a_published_products_edit_must_keep_required_attributes(client, tenun, owner_business, make_product):
    product = make_product(business=owner_business, category="tenun-ikat", status="pending", attributes={"yarn": "katun"})
    with unit_of_work():
        review_product(product, "approve", Role.MODERATOR)
    data = tenun_form(tenun, yarn="")
    html = client.submit(f"/my/products/{product.id}/edit?lang=en", data).get_data(as_text=True)
    assert "Yarn is required: fill it in before the product goes to review." in html
    db.session.expire_all()
    assert db.session.get(Product, product.id).revision is None


def test_submitting_without_a_required_value_is_refused_by_the_service(tenun, make_product):
    product = make_product(category="tenun-ikat")
    with pytest.raises(TransitionRefused), unit_of_work():
        submit_product(product)


def test_the_moderator_sees_attribute_changes_of_an_edit(client, auth, make_product, make_user):
    product = make_product(status="published", attributes={"technique": "cap", "motif": "Manggur"})
    content = {"name": product.name, "description": product.description, "category_id": product.category_id,
               "unit": product.unit, "min_order": product.min_order,
               "attributes": {"technique": "tulis", "motif": "Manggur", "dye": "alami"}}
    with unit_of_work():
        update_product(product, content=content, price_min=product.price_min, price_max=None,
                       availability=product.availability)
    assert product.attributes == {"technique": "cap", "motif": "Manggur"}  # the approved version stays
    auth.login(make_user(role=Role.MODERATOR, region="35.74").email)
    html = client.get(f"/moderation/products/{product.id}?lang=en").get_data(as_text=True)
    assert re.search(r"<th[^>]*>Batik technique</th>\s*<td><del>Cap \(stamped\)</del></td>\s*<td><ins>Tulis \(hand-drawn\)</ins>",
                     html)
    assert re.search(r"<th[^>]*>Dye</th>\s*<td><del></del></td>\s*<td><ins>Natural dye</ins>", html)
    assert ">Motif</th>" not in html.split("Proposed changes")[1].split("</table>")[0]
    with unit_of_work():
        review_product(product, "approve", Role.MODERATOR)
    assert product.attributes == {"technique": "tulis", "motif": "Manggur", "dye": "alami"}


def test_a_retired_attribute_keeps_its_values_readable(client, auth, make_product, make_user):
    product = make_product(status="published", attributes={"technique": "cap", "motif": "Manggur"})
    motif = next(a for a in attributes_of(product.category) if a.code == "motif")
    admin = make_user(role=Role.ADMIN, email="admin@example.id")
    auth.login(admin.email)
    client.submit(f"/admin/attributes/{motif.id}/retire", {"retire": "1"}, page="/admin/")
    auth.logout()
    assert "<dt>Motif</dt><dd>Manggur</dd>" in client.get(f"/products/{product.id}-{product.slug}?lang=en").get_data(as_text=True)
    # the form no longer asks for it, and saving the product keeps it
    auth.login(product.business.owner.email)
    html = client.get(f"/my/products/{product.id}/edit?lang=en").get_data(as_text=True)
    assert f'name="attr_{motif.id}"' not in html
    with unit_of_work():
        update_product(product, content={"name": product.name, "description": "Baru.", "category_id": product.category_id,
                                         "unit": product.unit, "min_order": 1,
                                         "attributes": {"technique": "cap", "motif": "Manggur"}},
                       price_min=product.price_min, price_max=None, availability=product.availability)
        review_product(product, "approve", Role.MODERATOR)
    assert product.attributes["motif"] == "Manggur"


@pytest.fixture
def batik_shop(make_business, make_product):
    business = make_business()

    def add(technique: str, dye: str | None, region_business=None):
        attributes = {"technique": technique} | ({"dye": dye} if dye else {})
        return make_product(business=region_business or business, status="published", attributes=attributes, photos=1)

    return add


def facet_counts(html: str, code: str) -> dict[str, int]:
    section = html.split(f'id="facet-attr-{code}"')[1].split("</section>")[0]
    return {option: int(count) for option, count in re.findall(
        rf'attr\.{code}=([\w-]+)[^"]*"[^>]*>[^<]+</a> <span class="muted">\((\d+)\)</span>', section.replace("&amp;", "&"))}


def test_facet_counts_leave_out_only_their_own_attribute(client, batik_shop, make_business):
    batik_shop("tulis", "alami")
    batik_shop("tulis", "sintetis")
    batik_shop("cap", "sintetis")
    batik_shop("cap", None)
    batik_shop("tulis", "alami", region_business=make_business(region="35.05", name="Batik Blitar"))
    html = client.get("/products?category=batik").get_data(as_text=True)
    assert facet_counts(html, "technique") == {"tulis": 3, "cap": 2}
    assert facet_counts(html, "dye") == {"alami": 2, "sintetis": 2}
    html = client.get("/products?category=batik&attr.technique=tulis").get_data(as_text=True)
    assert facet_counts(html, "technique") == {"tulis": 3, "cap": 2}  # choosing cap instead gives 2
    assert facet_counts(html, "dye") == {"alami": 2, "sintetis": 1}
    assert "3 products" in client.get("/products?category=batik&attr.technique=tulis&lang=en").get_data(as_text=True)
    html = client.get("/products?category=batik&attr.technique=tulis&attr.dye=sintetis&lang=en").get_data(as_text=True)
    assert "1 product<" in html
    assert facet_counts(html, "technique") == {"tulis": 1, "cap": 1}
    assert facet_counts(html, "dye") == {"alami": 2, "sintetis": 1}
    # with a region: the counts follow it
    html = client.get("/products?category=batik&region=35.05").get_data(as_text=True)
    assert facet_counts(html, "technique") == {"tulis": 1}
    # an unknown attribute or option is no filter
    assert "5 products" in client.get("/products?category=batik&attr.nothing=x&attr.technique=lukis&lang=en").get_data(as_text=True)


def test_the_catalogue_with_facets_runs_a_constant_number_of_queries(client, batik_shop):
    def statements(path: str) -> int:
        executed = []
        listener = lambda *args: executed.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(executed)

    path = "/products?category=batik&attr.technique=tulis&attr.dye=alami"
    batik_shop("tulis", "alami")
    few = statements(path)  # cold: every count computed
    for n in range(7):
        batik_shop("tulis", "alami" if n % 2 else "sintetis")
    assert statements(path) == few  # cold again (the catalogue changed), with more products and values
    assert statements(path) < few  # warm: the counts come from the cache
