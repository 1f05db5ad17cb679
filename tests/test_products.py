"""The owner's products: the form with photos, the status machine, review of edits, ownership, deletion."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from marketplace.accounts.models import Role
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.catalog.queries import newest_products
from marketplace.catalog.services import change_status, review_product, submit_product
from marketplace.catalog.status import TransitionRefused
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.unit_of_work import commit
from tests.conftest import jpeg_bytes


def category_id(slug: str) -> int:
    return db.session.scalar(db.select(Category.id).where(Category.slug == slug))


def attribute_field(code: str, category: int | None) -> str | None:
    """The product form's field (attr_<id>) of the attribute with this code that the category has, its own or
    inherited; else of the first attribute of that code anywhere (a value left in a group the category hides)."""
    from marketplace.catalog.attributes.definitions import attributes_of
    from marketplace.catalog.attributes.models import CategoryAttribute

    found = next((a for a in attributes_of(category) if a.code == code), None) or db.session.scalar(
        db.select(CategoryAttribute).where(CategoryAttribute.code == code).order_by(CategoryAttribute.id).limit(1))
    return f"attr_{found.id}" if found else None


FORM_FIELDS = {"category", "name", "description", "price_mode", "price", "price_max", "unit", "min_order", "availability",
               "staged", "photos"}


def product_form(**changes) -> dict:
    """The product form's data; attributes by code (technique="tulis"), sent as the chosen category's fields."""
    data = {
        "category": str(category_id("batik-tulis")), "name": "Batik Tulis Manggur", "description": "Katun primisima, pewarna alami.",
        "price_mode": "fixed", "price": "Rp 650.000", "price_max": "", "unit": "lembar", "min_order": "1",
        "availability": "ready", "technique": "tulis", "motif": "Manggur", "fabric": "katun", "dye": "alami", "size": "200 x 115 cm",
        "staged": "", **changes,
    }
    category = int(data["category"]) if str(data["category"]).isdigit() else None
    form = {}
    for key, value in data.items():
        field = None if key in FORM_FIELDS else attribute_field(key, category)
        form[field or key] = value
    return form


def upload(data: bytes, name: str):
    return (BytesIO(data), name)


@pytest.fixture
def business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


def new_url(business, lang="en"):
    return f"/my/businesses/{business.id}/products/new?lang={lang}"


def test_create_product_with_photos(client, business, app):
    data = product_form(photos=[upload(jpeg_bytes(), "satu.jpg"), upload(jpeg_bytes(color=(1, 2, 3)), "dua.jpg")])
    response = client.submit(new_url(business), data, content_type="multipart/form-data")
    assert response.status_code == 302
    product = db.session.scalar(db.select(Product))
    assert (product.name, product.price_min, product.price_max, product.unit) == ("Batik Tulis Manggur", 650000, None, "lembar")
    assert product.status is ProductStatus.DRAFT
    assert product.attributes == {"technique": "tulis", "motif": "Manggur", "fabric": "katun", "dye": "alami",
                                  "size": "200 x 115 cm"}
    assert [p.position for p in product.photos] == [0, 1]
    assert all(not p.approved for p in product.photos)
    for photo in product.photos:
        for name in photo.filenames:
            assert (Path(app.config["UPLOAD_DIR"]) / name).is_file()


def test_attributes_of_other_groups_are_dropped(client, business):
    data = product_form(category=str(category_id("telur")), grade="A", supply_capacity="2 ton per minggu")
    data.update({attribute_field(code, category_id("batik-tulis")): value for code, value in (("technique", "tulis"), ("motif", "x"))})
    client.submit(new_url(business), data)
    assert db.session.scalar(db.select(Product)).attributes == {"grade": "a", "supply_capacity": "2 ton per minggu"}


@pytest.mark.parametrize(("mode", "price", "price_max", "expected"), [
    ("fixed", "150.000", "", (150000, None)),
    ("range", "Rp 175.000", "225000", (175000, 225000)),
    ("request", "", "", (None, None)),
])
def test_price_modes(client, business, mode, price, price_max, expected):
    client.submit(new_url(business), product_form(price_mode=mode, price=price, price_max=price_max))
    product = db.session.scalar(db.select(Product))
    assert (product.price_min, product.price_max) == expected


@pytest.mark.parametrize(("changes", "message"), [
    ({"price": "seratus ribu"}, "Enter a price in whole Rupiah"),
    ({"price": ""}, "Enter the price, or choose"),
    ({"price_mode": "range", "price": "200.000", "price_max": "100.000"}, "The highest price must be more than the lowest."),
    ({"category": "99999"}, "Choose a category from the list."),
    ({"min_order": "0"}, "At least 1."),
    ({"category": "", "name": ""}, "Enter the product name."),
])
def test_bad_product_input_is_explained_and_kept(client, business, changes, message):
    html = client.submit(new_url(business), product_form(**changes)).get_data(as_text=True)
    assert message in html
    assert "Katun primisima, pewarna alami." in html and 'value="Manggur"' in html
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def truncated_jpeg() -> bytes:
    data = jpeg_bytes((800, 600))
    return data[: len(data) // 2]


def bomb_png() -> bytes:
    """A PNG header claiming 30000 x 30000 pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


BAD_FILES = {
    "truncated.jpg": (truncated_jpeg, "damaged"),
    "page.jpg": (lambda: b"<!doctype html><html><body><script>alert(1)</script></body></html>", "not a photo we can read"),
    "shell.jpg": (lambda: b"<?php system($_GET['c']); ?>", "not a photo we can read"),
    "logo.svg": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a photo we can read"),
    "empty.jpg": (lambda: b"", "empty"),
    "huge.jpg": (lambda: b"\xff\xd8\xff" + b"\0" * (12 * 1024 * 1024), "larger than 10 MB"),
    "bomb.png": (bomb_png, "megapixels"),
}


@pytest.mark.parametrize("bad_name", BAD_FILES)
def test_one_bad_file_is_refused_while_good_files_and_typed_data_are_kept(client, business, bad_name):
    make_bad, message = BAD_FILES[bad_name]
    data = product_form(photos=[upload(jpeg_bytes(), "bagus-1.jpg"), upload(make_bad(), bad_name),
                                upload(jpeg_bytes(color=(9, 9, 9)), "bagus-2.jpg")])
    response = client.submit(new_url(business), data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert bad_name in html and message in html
    assert "bagus-1.jpg" not in html and "bagus-2.jpg" not in html  # the good ones have no error
    assert 'value="Batik Tulis Manggur"' in html and "Katun primisima, pewarna alami." in html
    staged = re.search(r'name="staged" type="hidden" value="([\d,]+)"', html) or \
        re.search(r'id="staged" name="staged" type="hidden" value="([\d,]+)"', html)
    assert staged, "the good photos are carried over"
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0
    # sending the form again without the bad file creates the product with the two good photos
    response = client.submit(new_url(business), product_form(staged=staged.group(1)))
    assert response.status_code == 302
    assert len(db.session.scalar(db.select(Product)).photos) == 2


def test_bad_file_message_in_indonesian(client, business):
    data = product_form(photos=[upload(b"", "kosong.jpg")])
    html = client.submit(new_url(business, lang="id"), data, content_type="multipart/form-data").get_data(as_text=True)
    assert "kosong.jpg" in html and "kosong" in html.lower()
    assert '<html lang="id">' in html


def test_staged_photos_of_someone_else_cannot_be_taken(client, business, make_user):
    from marketplace.media.services import stage_photo

    stranger = make_user(role=Role.OWNER)
    theirs = stage_photo(stranger, jpeg_bytes())
    client.submit(new_url(business), product_form(staged=str(theirs.id)))
    product = db.session.scalar(db.select(Product))
    assert product.photos == []
    db.session.refresh(theirs)
    assert theirs.product_id is None


def test_at_most_eight_photos(client, business):
    files = [upload(jpeg_bytes(color=(i, i, i)), f"f{i}.jpg") for i in range(9)]
    html = client.submit(new_url(business), product_form(photos=files), content_type="multipart/form-data").get_data(as_text=True)
    assert "at most 8 photos" in html
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


# --- ownership -------------------------------------------------------------------------------------

OWNER_ACTIONS = [
    ("get", "/my/products/{id}/edit"),
    ("post", "/my/products/{id}/edit"),
    ("get", "/my/products/{id}/photos"),
    ("post", "/my/products/{id}/photos"),
    ("post", "/my/products/{id}/submit"),
    ("post", "/my/products/{id}/archive"),
    ("post", "/my/products/{id}/restore"),
    ("get", "/my/products/{id}/delete"),
    ("post", "/my/products/{id}/delete"),
]


@pytest.mark.parametrize("which_id", ["theirs", "missing", "theirs_published"])
@pytest.mark.parametrize(("method", "path"), OWNER_ACTIONS)
def test_another_owner_gets_404_for_every_action(client, auth, make_user, make_product, method, path, which_id):
    draft = make_product()
    published = make_product(status="published")
    target = {"theirs": draft.id, "missing": published.id + 100, "theirs_published": published.id}[which_id]
    auth.login(make_user(role=Role.OWNER).email)
    url = path.format(id=target)
    response = client.get(url) if method == "get" else client.submit(url, product_form(), page="/my/products")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Product, draft.id).status is ProductStatus.DRAFT
    assert db.session.get(Product, published.id).name == "Batik Tulis Manggur"


# --- status machine ----------------------------------------------------------------------------------

def test_owner_cannot_publish_own_product(make_product):
    product = make_product(status="pending")
    with pytest.raises(TransitionRefused):
        change_status(product, ProductStatus.PUBLISHED, Role.OWNER)
    with pytest.raises(TransitionRefused):
        review_product(product, "approve", Role.OWNER)


def test_rejected_product_goes_back_through_review(make_product):
    product = make_product(status="pending")
    review_product(product, "reject", Role.MODERATOR, reason="Foto bukan produk asli")
    assert product.status is ProductStatus.REJECTED and product.review_reason == "Foto bukan produk asli"
    with pytest.raises(TransitionRefused):
        change_status(product, ProductStatus.PUBLISHED, Role.OWNER)
    submit_product(product)
    assert product.status is ProductStatus.PENDING


@pytest.mark.parametrize("action", ["reject", "request_changes"])
def test_reject_and_request_changes_need_a_reason(make_product, action):
    product = make_product(status="pending")
    with pytest.raises(TransitionRefused):
        review_product(product, action, Role.MODERATOR, reason="  ")


def test_submit_needs_a_photo(client, business, make_product):
    product = make_product(business=business, photos=0)
    client.submit(f"/my/products/{product.id}/submit?lang=en", page="/my/products")
    db.session.refresh(product)
    assert product.status is ProductStatus.DRAFT


def test_owner_submits_archives_and_restores(client, business, make_product):
    product = make_product(business=business)
    client.submit(f"/my/products/{product.id}/submit", page="/my/products")
    db.session.refresh(product)
    assert product.status is ProductStatus.PENDING and product.submitted_at is not None
    client.submit(f"/my/products/{product.id}/submit", page="/my/products")  # twice: refused, stays pending
    db.session.refresh(product)
    assert product.status is ProductStatus.PENDING
    review_product(product, "approve", Role.MODERATOR)
    client.submit(f"/my/products/{product.id}/archive", page="/my/products")
    db.session.refresh(product)
    assert product.status is ProductStatus.ARCHIVED
    assert product not in newest_products()
    client.submit(f"/my/products/{product.id}/restore", page="/my/products")
    db.session.refresh(product)
    assert product.status is ProductStatus.DRAFT


def test_owner_sees_status_reason_and_next_step(client, business, make_product):
    product = make_product(business=business, status="pending")
    review_product(product, "request_changes", Role.MODERATOR, reason="Tambahkan ukuran kain")
    html = client.get("/my/products?lang=en").get_data(as_text=True)
    assert "changes requested" in html and "Tambahkan ukuran kain" in html
    assert "Make the changes the DKUPP asked for" in html


# --- editing a published product ------------------------------------------------------------------

def test_editing_a_published_product_keeps_the_approved_version_public(client, business, make_product):
    product = make_product(business=business, status="published", description="Deskripsi lama.")
    page = f"/my/products/{product.id}/edit?lang=en"
    response = client.submit(page, product_form(name="Batik Tulis Manggur Baru", description="Deskripsi baru."),
                             follow_redirects=True)
    assert "wait for the DKUPP" in response.get_data(as_text=True)
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.status is ProductStatus.PUBLISHED
    assert (product.name, product.description) == ("Batik Tulis Manggur", "Deskripsi lama.")
    assert [p.name for p in newest_products()] == ["Batik Tulis Manggur"]
    assert product.revision.data["description"] == "Deskripsi baru."
    # the owner's form shows the pending edit
    assert "Deskripsi baru." in client.get(page).get_data(as_text=True)
    review_product(product, "approve", Role.MODERATOR)
    assert (product.name, product.description) == ("Batik Tulis Manggur Baru", "Deskripsi baru.")
    assert product.revision is None and product.slug == "batik-tulis-manggur-baru"


def test_price_and_availability_change_without_review(client, business, make_product):
    product = make_product(business=business, status="published")
    same_content = {"unit": "pcs", "technique": "", "motif": "", "fabric": "", "dye": "", "size": "",
                    "description": product.description}
    response = client.submit(f"/my/products/{product.id}/edit", product_form(price="175.000", availability="out_of_stock", **same_content))
    assert response.status_code == 302
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.price_min == 175000 and product.availability.value == "out_of_stock"
    assert product.revision is None


def test_new_photo_on_a_published_product_waits_for_review(client, business, make_product):
    product = make_product(business=business, status="published")
    client.submit(f"/my/products/{product.id}/photos", {"photos": [upload(jpeg_bytes(color=(5, 5, 5)), "baru.jpg")]},
                  content_type="multipart/form-data")
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert len(product.photos) == 2 and len(product.public_photos) == 1
    assert product.revision is not None
    review_product(product, "approve", Role.MODERATOR)
    assert len(product.public_photos) == 2


def test_rejecting_an_edit_keeps_the_approved_version(make_product):
    from marketplace.catalog.services import update_product

    product = make_product(status="published")
    content = {"name": "Nama Baru", "description": "x", "category_id": product.category_id, "unit": "pcs",
               "min_order": 1, "attributes": {}}
    assert update_product(product, content=content, price_min=1, price_max=None, availability=product.availability)
    review_product(product, "reject", Role.MODERATOR, reason="Nama menyesatkan")
    assert product.name == "Batik Tulis Manggur" and product.status is ProductStatus.PUBLISHED
    assert product.revision.reason == "Nama menyesatkan"
    with pytest.raises(TransitionRefused):
        review_product(product, "approve", Role.MODERATOR)  # already decided: the owner must edit again


# --- photos and files --------------------------------------------------------------------------------

def test_manage_photos_reorder_cover_alt_and_delete(client, business, make_product, app):
    product = make_product(business=business, photos=3)
    first, second, third = product.photos
    third_files = list(third.filenames)
    client.submit(f"/my/products/{product.id}/photos", {
        f"alt-{second.id}": "Batik dilipat", "cover": str(second.id), f"delete-{third.id}": "1",
        f"position-{first.id}": "1", f"position-{second.id}": "2", f"position-{third.id}": "3",
    })
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert [p.id for p in product.photos] == [second.id, first.id]
    assert product.photos[0].alt_text == "Batik dilipat"
    for name in third_files:
        assert not (Path(app.config["UPLOAD_DIR"]) / name).exists()


def test_new_photos_beyond_eight_are_refused_and_deleted(client, business, make_product):
    product = make_product(business=business, photos=7)
    files = [upload(jpeg_bytes(color=(i, 7, 7)), f"n{i}.jpg") for i in range(3)]
    html = client.submit(f"/my/products/{product.id}/photos?lang=en", {"photos": files},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "at most 8 photos" in html
    db.session.expire_all()
    assert len(db.session.get(Product, product.id).photos) == 8
    assert db.session.scalar(db.select(db.func.count(Photo.id)).where(Photo.product_id.is_(None))) == 0


def test_deleting_a_product_removes_its_files(client, business, make_product, app):
    product = make_product(business=business, photos=2)
    files = [Path(app.config["UPLOAD_DIR"]) / n for photo in product.photos for n in photo.filenames]
    assert files and all(f.exists() for f in files)
    assert "Delete for good" in client.get(f"/my/products/{product.id}/delete?lang=en").get_data(as_text=True)
    assert all(f.exists() for f in files)  # asking is not deleting
    assert client.submit(f"/my/products/{product.id}/delete").status_code == 302
    assert not any(f.exists() for f in files)
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0


def test_files_shared_by_an_identical_upload_survive_deleting_one_product(make_product, app):
    from marketplace.catalog.services import delete_product

    one, two = make_product(), make_product()  # same generated picture: same content hash
    assert one.photos[0].content_hash == two.photos[0].content_hash
    delete_product(one)
    commit()  # files go only once the deletion is committed
    assert all((Path(app.config["UPLOAD_DIR"]) / n).exists() for n in two.photos[0].filenames)


def test_served_photos_have_long_cache_headers_and_no_metadata(client, make_product):
    product = make_product(status="published")
    name = product.photos[0].filename(320, "jpg")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
    assert not Image.open(BytesIO(response.data)).getexif()
    assert client.get("/media/..%2Fconfig.py").status_code == 404
    assert client.get("/media/notahash-320.jpg").status_code == 404


def test_abandoned_uploads_are_pruned(runner, make_user, make_product, app):
    from datetime import timedelta

    from marketplace.media.services import stage_photo
    from marketplace.models_base import utcnow

    kept = make_product()
    owner = make_user(role=Role.OWNER)
    old, fresh = stage_photo(owner, jpeg_bytes(color=(1, 1, 1))), stage_photo(owner, jpeg_bytes(color=(2, 2, 2)))
    old.created_at = utcnow() - timedelta(hours=30)
    commit()
    old_files = [Path(app.config["UPLOAD_DIR"]) / n for n in old.filenames]
    result = runner.invoke(args=["prune-uploads", "--hours", "24"])
    assert "Deleted 1" in result.output
    assert not any(f.exists() for f in old_files)
    assert db.session.get(Photo, fresh.id) is not None and db.session.get(Photo, kept.photos[0].id) is not None


def test_owner_pages_use_a_fixed_number_of_queries(client, business, make_product):
    from sqlalchemy import event

    def count(path: str) -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    make_product(business=business, photos=2, status="published")
    few = {path: count(path) for path in ("/my/products", "/")}
    for _ in range(5):
        make_product(business=business, photos=2, status="published")
    assert {path: count(path) for path in ("/my/products", "/")} == few
