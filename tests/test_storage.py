"""The uploads' storage: one contract for the folder and the S3 bucket (moto's S3 server on 127.0.0.1), atomic
writes that a SIGKILL cannot leave half-done, a full disk that gives a clear message, and the whole site on S3."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
from io import BytesIO
from pathlib import Path

import pytest
from flask import current_app
from moto.server import ThreadedMotoServer

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.media.pipeline import process_image
from marketplace.media.services import store_renditions
from marketplace.media.storage import FilesystemStorage, S3Storage, StorageError, StorageFull, check_name, storage_from_config
from marketplace.ops.backup import create_backup, restore_backup
from tests.conftest import jpeg_bytes
from tests.test_products import new_url, product_form, upload

BUCKET = "etalase-test"


@pytest.fixture
def business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3-compatible server (moto's server mode) on 127.0.0.1, for this module."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_credentials(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def bucket(s3_endpoint, s3_credentials):
    """A fresh, empty bucket; the storage keeps its objects under a prefix, as a shared bucket would."""
    files = S3Storage(BUCKET, prefix="site/", endpoint_url=s3_endpoint, region="us-east-1")
    existing = {b["Name"] for b in files.client.list_buckets()["Buckets"]}
    if BUCKET not in existing:
        files.client.create_bucket(Bucket=BUCKET)
    files.delete(list(files.names()))
    return files


@pytest.fixture(params=["filesystem", "s3"])
def files(request, tmp_path):
    if request.param == "filesystem":
        return FilesystemStorage(tmp_path / "uploads")
    return request.getfixturevalue("bucket")


# --- the contract, for both -----------------------------------------------------------------------------------

def test_put_get_exists_and_never_overwrite(files):
    assert files.put("abc-320.webp", b"first") is True
    assert files.put("abc-320.webp", b"other") is False  # content-hashed: the name is taken, the file kept
    assert files.get("abc-320.webp") == b"first"
    assert files.exists("abc-320.webp") and not files.exists("abc-800.webp")
    with pytest.raises(FileNotFoundError):
        files.get("abc-800.webp")


def test_names_lists_both_parts_sorted_and_delete_ignores_missing(files):
    for name in ("b-320.jpg", "documents/c.pdf", "a-320.webp"):
        files.put(name, name.encode())
    assert list(files.names()) == ["a-320.webp", "b-320.jpg", "documents/c.pdf"]
    files.delete(["a-320.webp", "documents/c.pdf", "gone-320.jpg"])
    assert list(files.names()) == ["b-320.jpg"]


@pytest.mark.parametrize("bad", ["../config.py", "..", "a/b/c.webp", "/etc/passwd", "..\\x.jpg", "", ".", ".hidden",
                                 "documents/../x", "a//b"])
def test_names_that_could_leave_the_storage_are_refused(files, bad, tmp_path):
    files.put("keep-320.jpg", b"x")
    for action in (lambda: files.put(bad, b"x"), lambda: files.get(bad), lambda: files.delete(["keep-320.jpg", bad])):
        with pytest.raises(ValueError, match="refusing"):
            action()
    assert files.exists("keep-320.jpg")  # a bad list deletes nothing


def test_replace_all_makes_the_storage_hold_exactly_the_folder(files, tmp_path):
    files.put("old-320.jpg", b"old")
    files.put("keep-320.jpg", b"before")
    staged = tmp_path / "staged"
    (staged / "documents").mkdir(parents=True)
    (staged / "keep-320.jpg").write_bytes(b"restored")
    (staged / "documents" / "d.pdf").write_bytes(b"%PDF")
    files.replace_all(staged)
    assert list(files.names()) == ["documents/d.pdf", "keep-320.jpg"]
    assert files.get("keep-320.jpg") == b"restored"


def test_store_renditions_writes_each_once_and_reports_what_it_wrote(app, files):
    processed = process_image(jpeg_bytes(size=(1000, 700)))
    with app.app_context():
        app.extensions["storage"], before = files, app.extensions["storage"]
        try:
            names = store_renditions(processed)
            assert names == [processed.filename(r) for r in processed.renditions]
            assert store_renditions(processed) == []
            files.delete(names[:1])
            assert store_renditions(processed) == names[:1]
        finally:
            app.extensions["storage"] = before
    assert all(files.get(processed.filename(r)) == r.data for r in processed.renditions)


def test_check_name_accepts_exactly_one_or_two_plain_parts():
    assert check_name("documents/a.pdf").parts == ("documents", "a.pdf")
    assert check_name("0123-320.webp").parts == ("0123-320.webp",)


def test_the_settings_choose_the_storage(tmp_path, s3_endpoint, s3_credentials):
    assert isinstance(storage_from_config({"UPLOAD_DIR": str(tmp_path)}), FilesystemStorage)
    s3 = storage_from_config({"STORAGE": "s3", "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_endpoint, "UPLOAD_DIR": ""})
    assert isinstance(s3, S3Storage) and s3.describe() == f"bucket s3://{BUCKET}/ at {s3_endpoint}"
    with pytest.raises(RuntimeError, match="S3_BUCKET"):
        storage_from_config({"STORAGE": "s3", "UPLOAD_DIR": ""})
    with pytest.raises(RuntimeError, match="filesystem' or 's3'"):
        storage_from_config({"STORAGE": "ftp", "UPLOAD_DIR": ""})


def test_an_unreachable_bucket_is_a_storage_error_with_a_message(s3_credentials):
    files = S3Storage(BUCKET, endpoint_url=f"http://127.0.0.1:{free_port()}", region="us-east-1")
    files.client.meta.config.retries = {"max_attempts": 1}
    with pytest.raises(StorageError) as raised:
        files.put("abc-320.jpg", b"x")
    assert "coba lagi" in str(raised.value.message)  # the app's language: Indonesian
    with pytest.raises(StorageError):
        files.probe()


# --- the folder: atomic, even under SIGKILL; a full disk -----------------------------------------------------

WRITER = textwrap.dedent("""
    import os, sys
    from marketplace.media import storage
    real_write = os.write
    def slow_write(fd, data):  # the bytes go out in small steps, so the kill lands in the middle of the file
        sys.stdout.write("writing\\n"); sys.stdout.flush()
        import time; time.sleep(0.05)
        return real_write(fd, bytes(data[:4096]))
    storage.os.write = slow_write
    storage.FilesystemStorage(sys.argv[1]).put("abc-1600.webp", b"x" * 400_000)
""")


def test_a_writer_killed_with_sigkill_leaves_no_file_at_all(tmp_path):
    """The real kill of a real process in the middle of writing: no half file, and no temporary either."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True,  # noqa: S603
                              cwd=Path(__file__).resolve().parents[1])
    for _ in range(5):  # several chunks written, most still to come
        assert writer.stdout.readline() == "writing\n"
    os.kill(writer.pid, signal.SIGKILL)
    assert writer.wait(timeout=10) == -signal.SIGKILL
    assert sorted(os.listdir(folder)) == []
    files = FilesystemStorage(folder)
    assert files.put("abc-1600.webp", b"complete") is True  # the name was never taken
    assert files.get("abc-1600.webp") == b"complete"


def mount_tmpfs(target: Path, size: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    command = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)]
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        # a failure, never a skip: the full-disk case must run wherever the suite runs (CI runs as root)
        pytest.fail(f"the full-disk tests mount a small tmpfs, which needs root: {result.stderr.strip()}")


@pytest.fixture
def full_disk(tmp_path):
    """A real, tiny file system that a photo does not fit on."""
    target = tmp_path / "small"
    mount_tmpfs(target, "256k")
    (target / "filler").write_bytes(b"\0" * 200_000)
    yield target
    subprocess.run(["umount", "-l", str(target)], check=False)  # noqa: S603, S607


def test_a_full_disk_is_storage_full_and_leaves_nothing(full_disk):
    files = FilesystemStorage(full_disk / "uploads")
    with pytest.raises(StorageFull) as raised:
        files.put("abc-1600.webp", os.urandom(300_000))
    assert "tidak punya ruang" in str(raised.value.message)
    assert list(files.names()) == []
    assert files.put("abc-320.webp", b"small") is True  # what fits is still stored


def test_a_full_disk_during_a_product_upload_says_so_and_keeps_the_form(app, client, business, full_disk):
    before = app.extensions["storage"]
    app.extensions["storage"] = FilesystemStorage(full_disk / "uploads")
    try:
        data = product_form(name="Batik Tulis Penuh", photos=[upload(noisy_jpeg(), "batik.jpg")])
        response = client.submit(new_url(business, "id"), data, content_type="multipart/form-data")
    finally:
        app.extensions["storage"] = before
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "batik.jpg: Server sedang tidak punya ruang untuk berkas" in page
    assert 'value="Batik Tulis Penuh"' in page and "Katun primisima" in page  # nothing typed is lost
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0
    assert [path for path in (full_disk / "uploads").rglob("*") if path.is_file()] == []  # not even the original


def noisy_jpeg(size=(1600, 1200)) -> bytes:
    """A photo whose renditions do not compress to nothing (random pixels)."""
    from PIL import Image

    buffer = BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- the whole site on S3 ------------------------------------------------------------------------------------

def test_the_site_on_s3_stores_serves_deletes_and_backs_up(app, client, business, bucket, tmp_path):
    before = app.extensions["storage"]
    app.extensions["storage"] = bucket
    try:
        data = product_form(photos=[upload(jpeg_bytes(size=(1200, 900)), "foto.jpg")])
        assert client.submit(new_url(business), data, content_type="multipart/form-data").status_code == 302
        product = db.session.scalar(db.select(Product))
        product_id = product.id  # the restore below ends the test's session, with product in it
        photo = product.photos[0]
        assert not photo.pending and photo.rendition_widths == [320, 800]  # tests run jobs at once
        names = set(bucket.names())
        assert names == {f"{photo.content_hash}-{w}.{ext}" for w in (320, 800) for ext in ("webp", "jpg")}  # no original left
        assert not list(Path(current_app.config["UPLOAD_DIR"]).glob(f"{photo.content_hash}*"))  # nothing on disk

        served = client.get(f"/media/{photo.content_hash}-800.webp")
        assert served.status_code == 200 and served.mimetype == "image/webp"
        assert served.data == bucket.get(f"{photo.content_hash}-800.webp")
        assert "immutable" in served.headers["Cache-Control"]
        again = client.get(f"/media/{photo.content_hash}-800.webp", headers={"If-None-Match": served.headers["ETag"]})
        assert again.status_code == 304

        archive = create_backup(app, tmp_path / "backup.tar.gz")
        bucket.delete(list(bucket.names()))
        restore_backup(app, archive)
        assert set(bucket.names()) == names

        auth_again = client.submit(f"/my/products/{product_id}/delete", page=f"/my/products/{product_id}/delete")
        assert auth_again.status_code == 302
        assert list(bucket.names()) == []
    finally:
        app.extensions["storage"] = before


def test_check_config_probes_the_bucket(app, bucket, s3_credentials):
    from marketplace.ops.checks import OK, storage_checks

    before = app.extensions["storage"]
    app.extensions["storage"] = bucket
    try:
        assert storage_checks(app) == [(OK, f"uploads in the {bucket.describe()}")]
    finally:
        app.extensions["storage"] = before


def test_an_upload_that_fails_half_way_takes_back_what_it_wrote(app, files, monkeypatch):
    processed = process_image(jpeg_bytes(size=(1000, 700)))
    real_put, calls = files.put, []

    def put_then_fail(name, data):
        calls.append(name)
        if len(calls) == 3:
            raise StorageError("the bucket went away")
        return real_put(name, data)

    monkeypatch.setattr(files, "put", put_then_fail)
    with app.app_context():
        app.extensions["storage"], before = files, app.extensions["storage"]
        try:
            with pytest.raises(StorageError):
                store_renditions(processed)
        finally:
            app.extensions["storage"] = before
    assert list(files.names()) == []


def test_send_with_a_download_name_is_an_attachment(app, files):
    """Private documents are sent as downloads by both storages (the S3 one through Storage.send)."""
    files.put("documents/abc.pdf", b"%PDF-1.4 x")
    with app.test_request_context("/"):
        download = files.send("documents/abc.pdf", cache_control="private, no-store", download_name="abc.pdf")
        inline = files.send("documents/abc.pdf", cache_control="private, no-store")
    assert download.headers["Content-Disposition"] == "attachment; filename=abc.pdf"
    assert download.headers["Cache-Control"] == "private, no-store"
    assert not inline.headers.get("Content-Disposition", "").startswith("attachment")  # photos stay inline
