"""Admins edit categories' attributes in /admin/: who may (only admins), adding, editing, reordering, retiring an
attribute and its options, each audited, with clear messages and nothing typed lost."""

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.catalog.attributes.definitions import attributes_of
from marketplace.catalog.attributes.models import AttributeKind, AttributeOption, CategoryAttribute
from marketplace.catalog.models import Category
from marketplace.extensions import db


def category(slug: str) -> Category:
    return db.session.scalar(db.select(Category).where(Category.slug == slug))


def attribute(slug: str, code: str) -> CategoryAttribute:
    return next(a for a in attributes_of(category(slug), retired=True) if a.code == code)


@pytest.fixture
def admin(auth, make_user):
    user = make_user(role=Role.ADMIN, email="admin@example.id", name="Admin Utama")
    auth.login(user.email)
    return user


def _routes() -> list[tuple[str, str, dict]]:
    batik, technique = category("batik"), attribute("batik", "technique")
    option = technique.options[0]
    return [
        ("GET", f"/admin/categories/{batik.id}/attributes", {}),
        ("GET", f"/admin/categories/{batik.id}/attributes/new", {}),
        ("POST", f"/admin/categories/{batik.id}/attributes/new", {"name_id": "Warna", "name_en": "Colour", "kind": "text"}),
        ("GET", f"/admin/attributes/{technique.id}", {}),
        ("POST", f"/admin/attributes/{technique.id}", {"name_id": "Teknik", "name_en": "Technique"}),
        ("POST", f"/admin/attributes/{technique.id}/move", {"direction": "down"}),
        ("POST", f"/admin/attributes/{technique.id}/retire", {"retire": "1"}),
        ("POST", f"/admin/attributes/{technique.id}/options", {"label_id": "Lukis", "label_en": "Painted"}),
        ("GET", f"/admin/attribute-options/{option.id}", {}),
        ("POST", f"/admin/attribute-options/{option.id}", {"label_id": "Tulis", "label_en": "Hand-drawn"}),
        ("POST", f"/admin/attribute-options/{option.id}/move", {"direction": "down"}),
        ("POST", f"/admin/attribute-options/{option.id}/retire", {"retire": "1"}),
    ]


@pytest.mark.parametrize(("role", "expected"), [(None, 302), (Role.BUYER, 403), (Role.OWNER, 403), (Role.MODERATOR, 403)],
                         ids=["visitor", "buyer", "owner", "moderator"])
def test_only_admins_reach_the_attribute_routes(client, auth, make_user, role, expected):
    page = "/auth/login"
    if role is not None:
        auth.login(make_user(role=role).email)
        page = "/my/"
    for method, path, data in _routes():
        response = client.get(path) if method == "GET" else client.submit(path, data, page=page)
        assert response.status_code == expected, (method, path)
        if role is None:
            assert "/auth/login" in response.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action.like("attribute%"))) == 0
    assert attribute("batik", "technique").name_id == "Teknik batik"


def test_admins_reach_every_attribute_route(client, admin):
    for method, path, data in _routes():
        response = client.get(path) if method == "GET" else client.submit(path, data, page="/admin/")
        assert response.status_code == (200 if method == "GET" else 302), (method, path)


@pytest.mark.parametrize("path", ["/admin/categories/99999/attributes", "/admin/attributes/99999",
                                  "/admin/attribute-options/99999", "/admin/categories/99999/attributes/new"])
def test_unknown_ids_are_404(client, admin, path):
    assert client.get(path).status_code == 404


def test_the_list_shows_inherited_attributes_first_and_links_to_their_category(client, admin):
    tulis, batik = category("batik-tulis"), category("batik")
    html = client.get(f"/admin/categories/{tulis.id}/attributes?lang=en").get_data(as_text=True)
    assert html.index("Teknik batik") < html.index("Ukuran")
    assert "inherited from Batik" in html and f"/admin/categories/{batik.id}/attributes" in html
    # the admin index links every category's attributes
    assert f"/admin/categories/{tulis.id}/attributes" in client.get("/admin/").get_data(as_text=True)


def test_an_admin_adds_a_choice_attribute_with_options_audited(client, admin):
    tulis = category("batik-tulis")
    response = client.submit(f"/admin/categories/{tulis.id}/attributes/new?lang=en",
                             {"name_id": "Asal motif", "name_en": "Motif origin", "kind": "choice", "required": "y"})
    added = db.session.scalar(db.select(CategoryAttribute).where(CategoryAttribute.name_en == "Motif origin"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/attributes/{added.id}")
    assert (added.code, added.kind, added.required, added.category_id) == ("motif_origin", AttributeKind.CHOICE, True, tulis.id)
    for label_id, label_en in (("Probolinggo", "Probolinggo"), ("Madura", "Madura")):
        client.submit(f"/admin/attributes/{added.id}/options", {"label_id": label_id, "label_en": label_en},
                      page=f"/admin/attributes/{added.id}")
    db.session.expire_all()
    assert [o.code for o in added.options] == ["probolinggo", "madura"]
    # reorder: Madura up
    madura = added.options[1]
    client.submit(f"/admin/attribute-options/{madura.id}/move", {"direction": "up"}, page=f"/admin/attributes/{added.id}")
    db.session.expire_all()
    assert [o.code for o in sorted(added.options, key=lambda o: o.position)] == ["madura", "probolinggo"]
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("attribute%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["attribute.create", "attribute_option.create", "attribute_option.create", "attribute_option.move"]
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "attribute.create"))
    assert entry.actor_email == "admin@example.id" and entry.region_code is None


def test_the_attribute_form_refuses_bad_details_in_the_admins_language_and_keeps_them(client, admin):
    batik = category("batik")
    url = f"/admin/categories/{batik.id}/attributes/new"
    data = {"name_id": "Nomor HKI", "name_en": "IP number", "kind": "identifier", "pattern": "[0-9", "example": "12"}
    html = client.submit(url + "?lang=en", data).get_data(as_text=True)
    assert "This is not a valid regular expression." in html and 'value="[0-9"' in html and 'value="Nomor HKI"' in html
    data.update(pattern=r"IDM\d{9}", example="IDM12")
    html = client.submit(url + "?lang=id", data).get_data(as_text=True)
    assert "Contoh tidak cocok dengan format." in html and 'value="IDM12"' in html
    html = client.submit(url + "?lang=en", {"name_id": "Panjang", "name_en": "Length", "kind": "number"}).get_data(as_text=True)
    assert "A number needs its unit." in html
    assert db.session.scalar(db.select(CategoryAttribute).where(CategoryAttribute.category_id == batik.id,
                                                                CategoryAttribute.code.in_(["ip_number", "length"]))) is None
    data.update(example="IDM123456789")
    assert client.submit(url, data).status_code == 302
    added = attribute("batik", "ip_number")
    assert (added.pattern, added.example) == (r"IDM\d{9}", "IDM123456789")


def test_editing_keeps_the_kind_and_code(client, admin):
    technique = attribute("batik", "technique")
    client.submit(f"/admin/attributes/{technique.id}", {"name_id": "Teknik", "name_en": "Technique", "kind": "text"})
    db.session.expire_all()
    technique = attribute("batik", "technique")
    assert (technique.name_id, technique.kind, technique.code) == ("Teknik", AttributeKind.CHOICE, "technique")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "attribute.update"))
    assert entry.changes["name_id"] == ["Teknik batik", "Teknik"]


def test_reordering_and_retiring_an_attribute(client, admin):
    batik = category("batik")
    motif = attribute("batik", "motif")
    client.submit(f"/admin/attributes/{motif.id}/move", {"direction": "up"}, page=f"/admin/categories/{batik.id}/attributes")
    assert [a.code for a in attributes_of(batik)][:2] == ["motif", "technique"]
    response = client.submit(f"/admin/attributes/{motif.id}/retire?lang=en", {"retire": "1"},
                             page=f"/admin/categories/{batik.id}/attributes")
    assert response.status_code == 302
    assert "Attribute retired" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "motif" not in [a.code for a in attributes_of(batik)]
    assert "motif" in [a.code for a in attributes_of(batik, retired=True)]
    client.submit(f"/admin/attributes/{motif.id}/retire", {"retire": "0"}, page=f"/admin/categories/{batik.id}/attributes")
    assert "motif" in [a.code for a in attributes_of(batik)]
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("attribute%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["attribute.move", "attribute.retire", "attribute.restore"]


def test_a_move_without_a_direction_is_refused(client, admin):
    motif = attribute("batik", "motif")
    assert client.submit(f"/admin/attributes/{motif.id}/move", {"direction": "sideways"}, page="/admin/").status_code == 400


def test_options_are_added_only_to_choice_attributes(client, admin):
    motif = attribute("batik", "motif")
    response = client.submit(f"/admin/attributes/{motif.id}/options", {"label_id": "A", "label_en": "A"}, page="/admin/")
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(AttributeOption.id)).where(AttributeOption.attribute_id == motif.id)) == 0


def test_an_empty_option_is_refused_with_a_message(client, admin):
    technique = attribute("batik", "technique")
    response = client.submit(f"/admin/attributes/{technique.id}/options?lang=en", {"label_id": "", "label_en": "Painted"},
                             page=f"/admin/attributes/{technique.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter the label." in html and 'value="Painted"' in html


def test_the_attribute_pages_are_valid_html(client, auth, admin, make_product, tmp_path):
    """The admin's attribute pages, and the buyer's pages that show attributes and facets, pass the Nu validator."""

    from tests.test_html_validity import assert_valid_html, vnu_command

    vnu = vnu_command()
    batik, technique = category("batik"), attribute("batik", "technique")
    pages = {}
    for path in (f"/admin/categories/{batik.id}/attributes", f"/admin/categories/{category('batik-tulis').id}/attributes",
                 f"/admin/categories/{batik.id}/attributes/new", f"/admin/attributes/{technique.id}",
                 f"/admin/attributes/{attribute('batik', 'motif').id}", f"/admin/attribute-options/{technique.options[0].id}"):
        for lang in ("id", "en"):
            response = client.get(f"{path}?lang={lang}")
            assert response.status_code == 200, path
            pages[f"{path}?lang={lang}"] = response.get_data(as_text=True)
    auth.logout()
    product = make_product(status="published", attributes={"technique": "tulis", "dye": "alami", "motif": "Manggur"})
    for path in ("/products?category=batik", "/products?category=batik&attr.technique=tulis",
                 f"/products/{product.id}-{product.slug}"):
        pages[path] = client.get(path).get_data(as_text=True)
    assert_valid_html(vnu, pages, tmp_path)
    assert "facet-attr-technique" in pages["/products?category=batik"]
