"""The offline product form's server side: a queued submission replayed with its idempotency key saves one product
(twice in a row, and twice at the same moment); a fresh CSRF token for a replay; one photo uploaded on its own, a
retry of it never staged twice, a refused one costing that photo only; the service worker's script."""

import re
import threading
import uuid
from io import BytesIO

import pytest

from marketplace.accounts.models import Role
from marketplace.catalog.models import Category, Product
from marketplace.catalog.services import create_product
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.offline import services as offline
from marketplace.offline.models import SubmissionKey
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes
from tests.test_products import product_form


@pytest.fixture
def business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


def new_url(business) -> str:
    return f"/my/businesses/{business.id}/products/new?lang=en"


def fresh_token(client) -> str:
    response = client.get("/my/csrf-token")
    assert response.status_code == 200 and response.is_json
    return response.get_json()["csrf_token"]


def replay(client, business, key: str, **changes):
    """A queued submission as offline-form.js sends it: the form's fields, its key and a token fetched just before."""
    data = {**product_form(**changes), "idempotency_key": key, "csrf_token": fresh_token(client)}
    return client.post(new_url(business), data=data)


def products() -> list[Product]:
    db.session.expire_all()
    return db.session.scalars(db.select(Product)).all()


def upload_photo(client, key: str, data: bytes | None = None, name: str = "foto.jpg"):
    return client.post("/my/photos", data={"key": key, "photo": (BytesIO(data or jpeg_bytes()), name)},
                       headers={"X-CSRFToken": fresh_token(client)}, content_type="multipart/form-data")


def test_the_csrf_token_endpoint_gives_a_token_of_the_session_and_the_user(client, business):
    response = client.get("/my/csrf-token")
    assert response.get_json()["user_id"] == business.owner.id
    assert "no-store" in response.headers["Cache-Control"]
    token = response.get_json()["csrf_token"]
    assert client.post(new_url(business), data={**product_form(), "csrf_token": token}).status_code == 302
    assert len(products()) == 1


def test_a_replay_with_a_stale_token_is_refused_and_a_fresh_one_works(client, business):
    data = {**product_form(), "idempotency_key": str(uuid.uuid4())}
    assert client.post(new_url(business), data={**data, "csrf_token": "expired"}).status_code == 400
    assert products() == []
    assert client.post(new_url(business), data={**data, "csrf_token": fresh_token(client)}).status_code == 302
    assert len(products()) == 1


def test_a_replayed_submission_saves_one_product(client, business):
    key = str(uuid.uuid4())
    first = replay(client, business, key)
    assert first.status_code == 302
    [product] = products()
    second = replay(client, business, key)
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"] == f"/my/products/{product.id}/edit"
    assert len(products()) == 1
    assert "already received" in client.get(second.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert db.session.scalar(db.select(SubmissionKey.product_id).where(SubmissionKey.key == key)) == product.id


def test_another_key_or_no_key_is_another_product(client, business):
    replay(client, business, str(uuid.uuid4()))
    replay(client, business, str(uuid.uuid4()))
    client.submit(new_url(business), product_form())
    client.post(new_url(business), data={**product_form(), "idempotency_key": "not-a-uuid",
                                         "csrf_token": fresh_token(client)})
    assert len(products()) == 4


def test_keys_are_unique_per_owner_not_across_owners(client, auth, business, make_business):
    key = str(uuid.uuid4())
    replay(client, business, key)
    other = make_business(name="Batik Lain")
    auth.logout()
    auth.login(other.owner.email)
    assert replay(client, other, key).status_code == 302
    assert {p.business_id for p in products()} == {business.id, other.id}


def test_a_replay_refused_by_validation_shows_the_errors_and_keeps_the_key_free(client, business):
    key = str(uuid.uuid4())
    refused = replay(client, business, key, name="", price="")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="name-error"' in html
    assert "Katun primisima, pewarna alami." in html  # what was sent is on the page, beside the messages
    assert products() == [] and db.session.scalars(db.select(SubmissionKey)).all() == []
    assert replay(client, business, key).status_code == 302
    assert len(products()) == 1


def test_a_replayed_edit_is_applied_once(client, business, make_product):
    product = make_product(business=business, name="Batik Lama")
    key = str(uuid.uuid4())
    url = f"/my/products/{product.id}/edit?lang=en"
    data = {**product_form(name="Batik Baru"), "idempotency_key": key}
    assert client.post(url, data={**data, "csrf_token": fresh_token(client)}).status_code == 302
    client.submit(url, product_form(name="Batik Terbaru"))  # the owner edits again, online
    again = client.post(url, data={**data, "csrf_token": fresh_token(client)})  # the old queued edit comes back
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).name == "Batik Terbaru"


def test_one_photo_uploads_on_its_own_and_a_retry_stages_it_once(client, business):
    key = str(uuid.uuid4())
    first = upload_photo(client, key)
    assert first.status_code == 201
    photo_id = first.get_json()["id"]
    retry = upload_photo(client, key)  # the answer was lost on the way: the phone sends it again
    assert retry.status_code == 200 and retry.get_json()["id"] == photo_id
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 1
    response = replay(client, business, str(uuid.uuid4()), staged=str(photo_id))
    assert response.status_code == 302
    [product] = products()
    assert [photo.id for photo in product.photos] == [photo_id]


def test_a_refused_photo_costs_that_photo_only_and_its_key_can_be_tried_again(client, business):
    good, bad = str(uuid.uuid4()), str(uuid.uuid4())
    kept = upload_photo(client, good).get_json()["id"]
    refused = upload_photo(client, bad, data=b"not an image", name="rusak.jpg")
    assert refused.status_code == 422 and refused.get_json()["error"]
    assert db.session.scalars(db.select(SubmissionKey).where(SubmissionKey.key == bad)).all() == []
    again = upload_photo(client, bad, data=jpeg_bytes(color=(5, 5, 5)))
    assert again.status_code == 201
    replay(client, business, str(uuid.uuid4()), staged=f"{kept},{again.get_json()['id']}")
    assert len(products()[0].photos) == 2


def test_a_photo_upload_needs_a_key_and_a_file(client, business):
    token = fresh_token(client)
    assert client.post("/my/photos", data={"photo": (BytesIO(jpeg_bytes()), "a.jpg")}, headers={"X-CSRFToken": token},
                       content_type="multipart/form-data").status_code == 400
    assert client.post("/my/photos", data={"key": str(uuid.uuid4())}, headers={"X-CSRFToken": token}).status_code == 400
    assert db.session.scalars(db.select(Photo)).all() == []


def test_the_database_refuses_a_key_twice_for_one_owner(make_user):
    from sqlalchemy.exc import IntegrityError

    owner = make_user(role=Role.OWNER)
    db.session.add_all([SubmissionKey(owner_id=owner.id, key="k"), SubmissionKey(owner_id=owner.id, key="k")])
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_two_replays_at_the_same_moment_save_one_product(app, make_business):
    """Both replays looked and found no product for the key, then both claim it, each in its own connection and
    transaction: the database lets one claim it (on PostgreSQL the other's INSERT waits for that commit and then
    does nothing), and the other answers with the first one's product."""
    business = make_business()
    owner_id, business_id = business.owner.id, business.id
    category_id = db.session.scalar(db.select(Category.id).where(Category.slug == "batik-tulis"))
    db.session.commit()
    key, barrier, outcomes = str(uuid.uuid4()), threading.Barrier(2), []

    def replay_once():
        with app.app_context():
            try:
                with unit_of_work():
                    from marketplace.accounts.models import User
                    from marketplace.businesses.models import Business

                    owner = db.session.get(User, owner_id)
                    assert offline.earlier(owner, key) is None
                    barrier.wait(timeout=10)
                    claimed = offline.claim(owner, key)
                    if claimed is None:
                        outcomes.append(("replayed", offline.earlier(owner, key).product_id))
                    else:
                        product = create_product(db.session.get(Business, business_id), name="Batik Kembar",
                                                 description="", category=db.session.get(Category, category_id),
                                                 price_min=100000)
                        offline.made(claimed, product_id=product.id)
                        outcomes.append(("saved", product.id))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=replay_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    [product] = products()
    assert sorted(outcomes) == [("replayed", product.id), ("saved", product.id)]


def test_the_service_worker_is_served_from_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert re.search(r'importScripts\("/static/vendor/idb-keyval-6\.3\.0/umd\.js\?v=[0-9a-f]+", '
                     r'"/static/js/offline-queue\.js\?v=[0-9a-f]+"\)', body)
    assert '"/auth/logout"' in body and "cdn" not in body.lower()


def test_the_form_page_names_what_is_saved_where_in_the_page_language(client, business):
    html = client.get(f"/my/businesses/{business.id}/products/new?lang=id").get_data(as_text=True)
    assert 'data-text-saved="Draf tersimpan di perangkat ini."' in html
    assert 'data-text-waiting="Menunggu dikirim"' in html
    assert 'id="product-form"' in html and "offline-form.js" in html
    assert '<div class="offline-box" hidden' in html  # without JavaScript nothing of it shows; the form posts as before
    english = client.get(new_url(business)).get_data(as_text=True)
    assert 'data-text-saved="Draft saved on this device."' in english


def test_a_heic_sent_on_its_own_is_staged_from_its_header_and_its_job_makes_the_renditions(client, business, queue,
                                                                                           monkeypatch):
    import pillow_heif
    from PIL import Image

    from marketplace.media import pipeline
    from marketplace.media.models import original_name
    from marketplace.media.storage import storage

    monkeypatch.setattr(pipeline, "SYNC_DECODE_PIXELS", 100_000)  # a small HEIC stands for a 12 MP one
    buffer = BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (900, 600), (90, 160, 60))).save(buffer, quality=80)
    key = str(uuid.uuid4())
    response = upload_photo(client, key, buffer.getvalue(), "IMG_0002.HEIC")
    assert response.status_code == 201
    photo = db.session.get(Photo, response.get_json()["id"])
    assert photo.pending and photo.rendition_widths == [320]
    assert set(storage().names()) == {original_name(photo.content_hash)}
    assert upload_photo(client, key, buffer.getvalue(), "IMG_0002.HEIC").status_code == 200  # a retry: the same photo
    assert queue.run_pending() == 1
    db.session.expire_all()
    photo = db.session.get(Photo, photo.id)
    assert not photo.pending and photo.rendition_widths == [320, 800]
    assert client.get(f"/media/{photo.content_hash}-320.webp").mimetype == "image/webp"
