"""Uploads without quota (issue 14, finding 4): a form keeps no more photos than a product can use, an owner keeps a
bounded number of unsaved uploads and uploads a bounded number a day, and upload requests are rate limited per
account and per client address on every route that takes files."""

import re
from datetime import timedelta
from io import BytesIO

import pytest

from marketplace.accounts.models import Role
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.media.services import UploadQuotaReached, stage_photo
from marketplace.models_base import utcnow
from marketplace.regions.models import Agreement
from marketplace.showcases.services import create_showcase
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes
from tests.test_products import new_url, product_form


def upload(data: bytes, name: str):
    return (BytesIO(data), name)


def unattached() -> int:
    return db.session.scalar(db.select(db.func.count(Photo.id)).where(Photo.product_id.is_(None)))


@pytest.fixture
def business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


# --- never more than the form can use -------------------------------------------------------------------------

def test_twelve_photos_in_a_refused_form_keep_only_the_eight_a_product_can_use(client, business):
    """The first 8 files are stored and carried (a weak signal should not cost the owner good photos); the other 4
    are refused unread: they are not images at all, and their message is the room's, not a decoding one."""
    files = [upload(jpeg_bytes(color=(i, 40, 40)), f"foto-{i}.jpg") for i in range(8)]
    files += [upload(b"not even an image", f"lebih-{i}.jpg") for i in range(4)]
    html = client.submit(new_url(business), product_form(name="", photos=files),
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "Enter the product name." in html and "Katun primisima, pewarna alami." in html  # refused, typed kept
    assert unattached() == 8
    for i in range(4):
        assert f"lebih-{i}.jpg: A product can have at most 8 photos." in html
    assert "not a photo we can read" not in html  # never decoded
    staged = re.search(r'name="staged" type="hidden" value="([\d,]+)"', html).group(1)
    assert len(staged.split(",")) == 8

    # sent again with the 8 carried and one more file: no room, the file is refused unread, nothing more is stored
    again = product_form(staged=staged, photos=[upload(jpeg_bytes(color=(1, 1, 1)), "kesembilan.jpg")])
    html = client.submit(new_url(business), again, content_type="multipart/form-data").get_data(as_text=True)
    assert "kesembilan.jpg: A product can have at most 8 photos." in html
    assert unattached() == 8 and db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_photos_page_takes_only_the_room_left(client, business, make_product):
    product = make_product(business=business, photos=6)
    files = [upload(jpeg_bytes(color=(i, 9, 9)), f"n{i}.jpg") for i in range(3)]
    files.append(upload(b"junk", "n3.jpg"))
    html = client.submit(f"/my/products/{product.id}/photos?lang=en", {"photos": files},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "n2.jpg: A product can have at most 8 photos." in html and "n3.jpg: A product" in html
    db.session.expire_all()
    assert len(db.session.get(Product, product.id).photos) == 8
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 8  # nothing stored beyond them


def test_deleting_photos_in_the_same_request_makes_room(client, business, make_product):
    product = make_product(business=business, photos=8)
    first = product.photos[0].id
    client.submit(f"/my/products/{product.id}/photos?lang=en",
                  {f"delete-{first}": "1", "photos": [upload(jpeg_bytes(color=(3, 3, 3)), "ganti.jpg")]},
                  content_type="multipart/form-data")
    db.session.expire_all()
    photos = db.session.get(Product, product.id).photos
    assert len(photos) == 8 and first not in {p.id for p in photos}


# --- quotas of the media service ------------------------------------------------------------------------------

def test_unsaved_uploads_are_capped_per_owner(app, client, business, monkeypatch):
    monkeypatch.setitem(app.config, "STAGED_UPLOADS_MAX", 3)
    files = [upload(jpeg_bytes(color=(i, 70, 70)), f"foto-{i}.jpg") for i in range(5)]
    html = client.submit(new_url(business), product_form(photos=files), content_type="multipart/form-data").get_data(as_text=True)
    assert unattached() == 3
    assert "foto-3.jpg, foto-4.jpg: You have 3 photos in forms not yet saved, the most allowed." in html
    assert 'value="Batik Tulis Manggur"' in html and "Katun primisima, pewarna alami." in html
    staged = re.search(r'name="staged" type="hidden" value="([\d,]+)"', html).group(1)
    # the three are not lost: saving the product with them frees the room
    assert client.submit(new_url(business), product_form(staged=staged)).status_code == 302
    assert unattached() == 0
    with unit_of_work():
        stage_photo(business.owner, jpeg_bytes(color=(5, 5, 5)))


def test_the_daily_quota_refuses_the_next_photo_with_its_message(app, client, business, make_product, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOADS_PER_DAY", 3)
    product = make_product(business=business, photos=2)
    with unit_of_work():  # an upload of yesterday does not count
        old = stage_photo(business.owner, jpeg_bytes(color=(8, 8, 8)))
        old.created_at = utcnow() - timedelta(days=2)
    files = [upload(jpeg_bytes(color=(i, 20, 20)), f"hari-ini-{i}.jpg") for i in range(2)]
    html = client.submit(f"/my/products/{product.id}/photos?lang=en", {"photos": files},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert ("hari-ini-1.jpg: You have uploaded 3 photos today, the most allowed in one day. Please add more photos "
            "tomorrow.") in html
    db.session.expire_all()
    assert len(db.session.get(Product, product.id).photos) == 3
    with pytest.raises(UploadQuotaReached) as refused, unit_of_work():
        stage_photo(business.owner, jpeg_bytes(color=(7, 7, 7)))
    assert refused.value.status == 429


def test_quota_message_in_indonesian(app, client, business, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOADS_PER_DAY", 0)
    html = client.submit(new_url(business, lang="id"), product_form(photos=[upload(jpeg_bytes(), "satu.jpg")]),
                         content_type="multipart/form-data").get_data(as_text=True)
    assert '<html lang="id">' in html and "satu.jpg: " in html
    assert "You have uploaded" not in html  # translated (the catalogue must hold the message)
    assert unattached() == 0


# --- rate limit on the routes that take files -----------------------------------------------------------------

def photo() -> dict:
    return {"photos": [upload(jpeg_bytes(), "foto.jpg")]}


@pytest.fixture
def upload_routes(make_business, make_product, make_user):
    """Route name -> (user, URL, a function making a form with a file) for every route that accepts files."""
    business = make_business()
    owner = business.owner
    product = make_product(business=business, photos=1)
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    with unit_of_work():
        mou = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
        showcase = create_showcase(moderator, agreement=mou, host_region_code="35.74", title="Etalase Uji", on=today())
    return {
        "product-new": (owner, f"/my/businesses/{business.id}/products/new", lambda: {**product_form(), **photo()}),
        "product-edit": (owner, f"/my/products/{product.id}/edit", lambda: {**product_form(), **photo()}),
        "photos": (owner, f"/my/products/{product.id}/photos", photo),
        "business-new": (owner, "/my/businesses/new", lambda: {"logo": upload(jpeg_bytes(), "logo.jpg")}),
        "business-edit": (owner, f"/my/businesses/{business.id}/edit", lambda: {"logo": upload(jpeg_bytes(), "logo.jpg")}),
        "certification": (owner, f"/my/businesses/{business.id}/certifications/new",
                          lambda: {"document": upload(jpeg_bytes(), "pirt.jpg")}),
        "showcase-new": (moderator, "/moderation/showcases/new", lambda: {"cover": upload(jpeg_bytes(), "sampul.jpg")}),
        "showcase-edit": (moderator, f"/moderation/showcases/{showcase.id}",
                          lambda: {"cover": upload(jpeg_bytes(), "sampul.jpg")}),
    }


def send(client, url: str, form: dict):
    return client.submit(f"{url}?lang=en", form, content_type="multipart/form-data")


def assert_site_429(response) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many attempts" in html and 'href="/static/' in html  # the site's own page, not Flask-Limiter's text


@pytest.mark.parametrize("route", ["product-new", "product-edit", "photos", "business-new", "business-edit",
                                   "certification", "showcase-new", "showcase-edit"])
def test_every_upload_route_is_rate_limited(app, client, auth, upload_routes, monkeypatch, route):
    monkeypatch.setitem(app.config, "UPLOAD_RATE_LIMIT", "1 per hour")
    user, url, form = upload_routes[route]
    auth.login(user.email)
    assert send(client, url, form()).status_code != 429
    assert_site_429(send(client, url, form()))


def test_the_limit_is_per_account_and_shared_by_every_upload_route(app, client, auth, upload_routes, make_business,
                                                                    monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_RATE_LIMIT", "2 per hour")
    owner, photos_url, _form = upload_routes["photos"]
    auth.login(owner.email)
    assert send(client, photos_url, photo()).status_code == 302
    _, cert_url, cert_form = upload_routes["certification"]
    assert send(client, cert_url, cert_form()).status_code == 200  # refused form (fields missing), counted all the same
    assert_site_429(send(client, photos_url, photo()))  # the certificate counted with the photos
    for _ in range(3):  # saving without a file (a price, alt texts) is not an upload and is not counted
        assert send(client, photos_url, {"photos": [upload(b"", "")]}).status_code == 302
    elsewhere = app.test_client()  # the same account from another address is still held back
    elsewhere.environ_base["REMOTE_ADDR"] = "127.0.0.9"
    elsewhere.submit("/auth/login", {"email": owner.email, "password": "rahasia-uji-2025"})
    assert_site_429(send(elsewhere, photos_url, photo()))
    other = make_business()  # another owner from the first address is not
    auth.logout()
    auth.login(other.owner.email)
    assert send(client, f"/my/businesses/{other.id}/edit", {"logo": upload(jpeg_bytes(), "logo.jpg")}).status_code != 429


def test_the_limit_per_client_address_holds_many_accounts(app, client, auth, make_business, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_CLIENT_RATE_LIMIT", "2 per hour")
    for number in range(3):
        business = make_business()
        auth.login(business.owner.email)
        response = send(client, f"/my/businesses/{business.id}/edit", {"logo": upload(jpeg_bytes(), "logo.jpg")})
        if number < 2:
            assert response.status_code != 429
        else:
            assert_site_429(response)
        auth.logout()


def test_a_request_over_the_size_limit_is_still_the_413_page(app, client, auth, upload_routes, monkeypatch):
    """The limit looks at the files before the view does: a body over MAX_CONTENT_LENGTH must stay a 413, not a 500."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    owner, url, _form = upload_routes["photos"]
    auth.login(owner.email)
    response = send(client, url, {"photos": [upload(b"\xff\xd8\xff" + b"\0" * 100_000, "besar.jpg")]})
    assert response.status_code == 413 and "File too large" in response.get_data(as_text=True)
