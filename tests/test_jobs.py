"""The job queue: an upload answers with its smallest renditions and a job makes the rest; until then pages
name only what exists and /media answers a placeholder; mail goes through the queue; a real Huey consumer
runs the jobs from a SQLite queue, as `make run` does."""

import os
import re
import signal
import time
from datetime import datetime, timedelta

import pytest

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.jobs import Jobs
from marketplace.media.models import Photo, original_name
from marketplace.media.pipeline import ImageRejected, first_renditions, process_image
from marketplace.media.storage import storage
from marketplace.models_base import utcnow
from tests.conftest import jpeg_bytes
from tests.test_products import new_url, product_form, upload


@pytest.fixture
def business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


def add_product_with_photo(client, business, size=(1200, 900)) -> Photo:
    data = product_form(photos=[upload(jpeg_bytes(size=size), "foto.jpg")])
    assert client.submit(new_url(business), data, content_type="multipart/form-data").status_code == 302
    return db.session.scalar(db.select(Product)).photos[0]


def media_urls(page: str) -> set[str]:
    return set(re.findall(r"/media/[0-9a-f]{32}-\d+\.(?:webp|jpg)", page))


def test_first_renditions_checks_like_process_image_and_makes_only_the_smallest():
    data = jpeg_bytes(size=(2000, 1500))
    first, widths = first_renditions(data)
    full = process_image(data)
    assert widths == [320, 800, 1600]
    assert [(r.width, r.format) for r in first.renditions] == [(320, "webp"), (320, "jpeg")]
    assert (first.width, first.height, first.content_hash) == (full.width, full.height, full.content_hash)
    with pytest.raises(ImageRejected):
        first_renditions(b"<html>not a photo</html>")


def png_bytes(size, noise=False) -> bytes:
    from io import BytesIO

    from PIL import Image

    img = Image.merge("RGB", [Image.effect_noise(size, 60)] * 3) if noise else Image.new("RGB", size, (30, 140, 200))
    buffer = BytesIO()
    img.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_large_photo_that_only_decodes_at_full_size_is_checked_from_its_header_and_left_to_the_job():
    data = png_bytes((1700, 1300))  # 2.2 MP: more than the upload request decodes of a PNG, HEIC or WebP
    first, widths = first_renditions(data)
    full = process_image(data)
    assert first.renditions == [] and widths == [320, 800, 1600]
    assert (first.width, first.height, first.content_hash) == (full.width, full.height, full.content_hash)
    small, _ = first_renditions(png_bytes((1000, 800)))
    assert [r.width for r in small.renditions] == [320, 320]
    big_jpeg, _ = first_renditions(jpeg_bytes(size=(4000, 3000)))  # a JPEG is always decoded, at 1/8 scale
    assert [r.width for r in big_jpeg.renditions] == [320, 320]
    with pytest.raises(ImageRejected) as refused:
        first_renditions(png_bytes((1700, 1300)), max_pixels=2_000_000)  # the header's pixel count still counts
    assert refused.value.code == "too_many_pixels"


def test_a_heic_upload_shows_the_placeholder_until_the_job_makes_every_rendition(client, business, queue, monkeypatch):
    from io import BytesIO

    import pillow_heif
    from PIL import Image

    from marketplace.media import pipeline

    monkeypatch.setattr(pipeline, "SYNC_DECODE_PIXELS", 100_000)  # a small HEIC stands for a 12 MP one
    buffer = BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (1000, 750), (200, 120, 40))).save(buffer, quality=80)
    data = product_form(photos=[upload(buffer.getvalue(), "IMG_0001.HEIC")])
    assert client.submit(new_url(business), data, content_type="multipart/form-data").status_code == 302
    photo = db.session.scalar(db.select(Product)).photos[0]
    assert photo.pending and photo.rendition_widths == [320] and (photo.width, photo.height) == (800, 600)
    assert set(storage().names()) == {original_name(photo.content_hash)}  # nothing decoded while the owner waited
    assert photo.mean_luminance is None

    page = client.get(f"/my/products/{photo.product_id}/photos").get_data(as_text=True)
    named = media_urls(page)
    assert {url.rsplit("/", 1)[1] for url in named} == {f"{photo.content_hash}-320.{ext}" for ext in ("webp", "jpg")}
    for url in named:  # the page shows "being processed", never a broken image
        waiting = client.get(url)
        assert (waiting.status_code, waiting.mimetype, waiting.headers["Cache-Control"]) == (200, "image/svg+xml", "no-store")

    assert queue.run_pending() == 1
    db.session.expire_all()
    photo = db.session.get(Photo, photo.id)
    assert not photo.pending and photo.rendition_widths == [320, 800] and photo.mean_luminance is not None
    assert set(storage().names()) == {f"{photo.content_hash}-{w}.{ext}" for w in (320, 800) for ext in ("webp", "jpg")}
    for url in named:
        ready = client.get(url)
        assert ready.status_code == 200 and ready.mimetype in ("image/webp", "image/jpeg")


def test_a_photo_checked_from_its_header_whose_pixels_do_not_decode_is_deleted_by_its_job(client, business, queue,
                                                                                         monkeypatch):
    from marketplace.media import pipeline

    monkeypatch.setattr(pipeline, "SYNC_DECODE_PIXELS", 100_000)
    whole = png_bytes((800, 600), noise=True)
    data = product_form(photos=[upload(whole[: len(whole) * 2 // 3], "foto.png")])  # cut off mid-upload
    assert client.submit(new_url(business), data, content_type="multipart/form-data").status_code == 302
    product = db.session.scalar(db.select(Product))
    assert product.photos[0].pending
    assert queue.run_pending() == 1
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0  # no page will name a picture never made
    assert list(storage().names()) == []


def test_a_photo_whose_job_fails_keeps_the_renditions_it_has(client, business, queue):
    photo = add_product_with_photo(client, business)
    storage().delete([original_name(photo.content_hash)])
    assert queue.run_pending() == 1
    db.session.expire_all()
    photo = db.session.get(Photo, photo.id)
    assert photo is not None and not photo.pending and photo.rendition_widths == [320]


def test_an_upload_is_pending_until_its_job_runs(client, business, queue):
    photo = add_product_with_photo(client, business)
    assert photo.pending and photo.rendition_widths == [320]
    assert queue.pending() == 1
    small = {f"{photo.content_hash}-320.{ext}" for ext in ("webp", "jpg")}
    assert set(storage().names()) == small | {original_name(photo.content_hash)}

    # every picture the owner's pages name exists; the larger ones are not named yet
    page = client.get(f"/my/products/{photo.product_id}/photos").get_data(as_text=True)
    assert {url.rsplit("/", 1)[1] for url in media_urls(page)} == small
    for url in media_urls(page):
        assert client.get(url).status_code == 200

    # a link to a rendition that is not there yet (a feed, a cached page) gets the placeholder, never a 404
    waiting = client.get(f"/media/{photo.content_hash}-800.webp")
    assert (waiting.status_code, waiting.mimetype) == (200, "image/svg+xml")
    assert waiting.headers["Cache-Control"] == "no-store"
    assert client.get(f"/media/{'0' * 32}-800.webp").status_code == 404  # no such photo at all

    assert queue.run_pending() == 1
    db.session.expire_all()
    photo = db.session.get(Photo, photo.id)
    assert not photo.pending and photo.rendition_widths == [320, 800]
    assert set(storage().names()) == {f"{photo.content_hash}-{w}.{ext}" for w in (320, 800) for ext in ("webp", "jpg")}
    ready = client.get(f"/media/{photo.content_hash}-800.webp")
    assert (ready.status_code, ready.mimetype) == (200, "image/webp") and "immutable" in ready.headers["Cache-Control"]
    page = client.get(f"/my/products/{photo.product_id}/photos").get_data(as_text=True)
    assert f"/media/{photo.content_hash}-800.webp" in page


def test_a_photo_deleted_before_its_job_leaves_no_file(client, business, queue):
    photo = add_product_with_photo(client, business)
    product_id = photo.product_id
    assert client.submit(f"/my/products/{product_id}/delete", page=f"/my/products/{product_id}/delete").status_code == 302
    assert list(storage().names()) == []  # the original and the small renditions went with the row
    assert queue.run_pending() == 1  # the job finds no photo and writes nothing
    assert list(storage().names()) == []


def test_a_small_photo_needs_no_job(client, business, queue):
    photo = add_product_with_photo(client, business, size=(300, 200))
    assert not photo.pending and photo.rendition_widths == [300] and queue.pending() == 0


def test_mail_goes_through_the_queue(client, make_user, queue, outbox):
    user = make_user()
    client.submit("/auth/reset", {"email": user.email})
    assert outbox() == [] and queue.pending() == 1
    assert queue.run_pending() == 1
    [message] = outbox()
    assert message["To"] == user.email and "/auth/reset/" in message.get_content()


def test_the_nightly_job_prunes_abandoned_uploads(app, client, business, queue):
    data = product_form(name="", photos=[upload(jpeg_bytes(), "foto.jpg")])  # refused form: the photo stays staged
    client.submit(new_url(business), data, content_type="multipart/form-data")
    photo = db.session.scalar(db.select(Photo))
    assert photo.product_id is None
    queue.prune_uploads.call_local()
    assert db.session.get(Photo, photo.id) is not None  # still fresh
    photo.created_at = utcnow() - timedelta(hours=app.config["PRUNE_UPLOADS_AFTER_HOURS"] + 1)
    db.session.commit()
    queue.prune_uploads.call_local()
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0
    assert list(storage().names()) == []
    due = [task.name for task in queue.huey.read_periodic(datetime(2026, 11, 25, 3, 17))]
    assert due == ["prune_uploads"] and queue.huey.read_periodic(datetime(2026, 11, 25, 3, 18)) == []  # nightly


def test_a_real_consumer_runs_jobs_from_a_sqlite_queue(app, client, business, tmp_path):
    """What `make run` does: jobs queued in a SQLite file, run by a Huey consumer's worker thread."""
    before = app.extensions["jobs"]
    app.extensions["jobs"] = queue = Jobs(app, f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = queue.huey.create_consumer(workers=1, worker_type="thread", periodic=False, initial_delay=0.05)
    try:
        photo = add_product_with_photo(client, business)
        assert photo.pending
        consumer.start()
        for _ in range(200):
            db.session.expire_all()
            if not db.session.get(Photo, photo.id).pending:
                break
            time.sleep(0.05)
        assert db.session.get(Photo, photo.id).rendition_widths == [320, 800]
        assert queue.pending() == 0
    finally:
        consumer.stop(graceful=True)
        for number, handler in handlers.items():
            signal.signal(number, handler)
        app.extensions["jobs"] = before


def test_the_worker_command_drains_the_queue(app, runner, client, business, queue):
    add_product_with_photo(client, business)
    result = runner.invoke(args=["jobs", "--drain"])
    assert result.exit_code == 0 and "Ran 1 jobs" in result.output
    assert not db.session.scalar(db.select(Photo)).pending


def test_files_no_row_refers_to_are_pruned_once_old(app, client, business, runner):
    from marketplace.businesses.services import update_business

    photo = add_product_with_photo(client, business)
    update_business(business, logo=jpeg_bytes(color=(9, 9, 9)))
    kept = set(storage().names())
    orphans = {f"{'ab' * 16}-320.webp", f"{'ab' * 16}-320.jpg", f"documents/{'cd' * 16}.pdf", f"originals/{'ef' * 16}"}
    for name in orphans:
        storage().put(name, b"left by a worker killed before its commit")
    two_days_ago = time.time() - 2 * 24 * 3600
    for name in kept | orphans:
        os.utime(storage().path(name), (two_days_ago, two_days_ago))
    young = f"{'12' * 16}-320.webp"  # an upload that may be about to commit its row
    storage().put(young, b"just written")

    result = runner.invoke(args=["prune-uploads", "--hours", "24"])
    assert result.exit_code == 0 and "and 4 files no row refers to" in result.output
    assert set(storage().names()) == kept | {young}
    assert all(storage().exists(name) for name in photo.filenames)
