"""Backups (backup → wipe → restore gives back the same rows and files; hostile archives are refused) and
`flask check-config`."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from marketplace import create_app
from marketplace.accounts.models import Role, User
from marketplace.catalog import search
from marketplace.catalog.models import Product
from marketplace.catalog.queries import public_products
from marketplace.catalog.search.index import clear as clear_search_index
from marketplace.certifications.models import CertType
from marketplace.certifications.services import claim_certification
from marketplace.extensions import db
from marketplace.ops import checks, databases
from marketplace.ops.backup import BackupError, check_archive, create_backup, restore_backup
from marketplace.ops.databases import code_heads
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes, make_config

# --- helpers ---------------------------------------------------------------------------------------


def table_rows() -> dict[str, list[tuple]]:
    """Every row of every model table, plus alembic_version, in a comparable order."""
    rows = {table.name: sorted((tuple(row) for row in db.session.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables}
    rows["alembic_version"] = list(db.session.execute(text("SELECT version_num FROM alembic_version")))
    return rows


def files_of(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under folder."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in folder.rglob("*") if path.is_file()}


def wipe(upload_dir: Path) -> None:
    """Lose everything: every row (reference data and alembic_version too), the search index and every file. On the
    session's connection, beneath the session's listeners: a delete from a watched table run through the session
    bumps the catalogue generation (catalog/visibility.py), which would write catalogue_state again."""
    connection = db.session.connection()
    for table in reversed(db.metadata.sorted_tables):
        connection.execute(table.delete())
    clear_search_index(db.session.connection())
    db.session.execute(text("DELETE FROM alembic_version"))
    db.session.commit()
    shutil.rmtree(upload_dir)
    upload_dir.mkdir()


def rewrite_archive(source: Path, target: Path, change=None, extra: list[tuple[tarfile.TarInfo, bytes]] = ()) -> Path:
    """Copy an archive member by member; change(name, data) may return new bytes for a member."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            data = change(member.name, data) if change else data
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
        for info, data in extra:
            new.addfile(info, io.BytesIO(data) if data is not None else None)
    return target


@pytest.fixture
def site(make_user, make_business, make_product):
    """Real data through the services: owners, businesses, products with photos, a certificate document."""
    owner = make_user(role=Role.OWNER, name="Bu Sri")
    business = make_business(owner=owner, name="Batik Sekar Jagad")
    published = make_product(business=business, status="published", photos=2, name="Batik Tulis Sekar Jagad")
    make_product(business=business, status="pending", name="Bordir Bangil", category="batik-tulis")
    make_product(business=make_business(region="35.14", name="Opak Mangga Pasuruan"), status="draft")
    make_user(role=Role.BUYER, region="35.05")
    make_user(role=Role.MODERATOR, region="35.74")
    with unit_of_work():
        claim_certification(business, cert_type=CertType.SNI, number="SNI 8302:2016", issuer="BSN", valid_until=None,
                            document=jpeg_bytes(color=(20, 200, 20)))
    return published.id


@pytest.fixture
def archive(app, site, tmp_path) -> Path:
    return create_backup(app, tmp_path / "site.tar.gz")


# --- backup → wipe → restore ------------------------------------------------------------------------


def test_backup_wipe_restore_gives_back_the_same_rows_and_files(app, client, runner, site, tmp_path):
    upload_dir = Path(app.config["UPLOAD_DIR"])
    result = runner.invoke(args=["backup", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    archive = next(tmp_path.glob("backup-*.tar.gz"))
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds password hashes and private documents
    rows, files = table_rows(), files_of(upload_dir)
    assert rows["product"] and rows["photo"] and rows["certification"] and rows["region"]
    assert any(name.startswith("documents/") for name in files) and any(name.endswith(".webp") for name in files)

    wipe(upload_dir)
    assert not any(table_rows().values()) and files_of(upload_dir) == {}

    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored." in result.output and "db upgrade" not in result.output

    restored = table_rows()
    # the one intended difference: the catalogue generation moves on, so no cached count from before survives
    [(_, generation_before)], [(_, generation_after)] = rows.pop("catalogue_state"), restored.pop("catalogue_state")
    assert generation_after == generation_before + 1
    assert restored == rows
    assert files_of(upload_dir) == files
    # the restored site works: search index, catalogue, product page and its photos
    product = db.session.get(Product, site)
    assert db.session.scalars(public_products()).all() == [product]
    m = search.match("sekar jagad")
    assert [row.product_id for row in db.session.execute(db.select(m.c.product_id))] == [site]
    page = client.get(f"/products/{product.id}-{product.slug}")
    assert page.status_code == 200
    assert client.get(f"/media/{product.photos[0].content_hash}-320.webp").status_code == 200


def test_manifest_describes_the_archive(app, archive):
    manifest = check_archive(app, archive)
    with app.app_context():
        assert manifest.dialect == db.engine.dialect.name
    assert (manifest.alembic_revision,) == code_heads(app)
    names = {entry.path for entry in manifest.files}
    assert names == set(files_of(Path(app.config["UPLOAD_DIR"])))
    with tarfile.open(archive) as tar:
        assert tar.getnames()[-1] == "manifest.json"
        assert json.load(tar.extractfile("manifest.json"))["format"] == "etalase-umkm-backup"


def test_backup_refuses_to_overwrite(app, archive):
    with pytest.raises(BackupError, match="already exists"):
        create_backup(app, archive)


def test_backup_is_never_written_inside_upload_dir(app, runner):
    result = runner.invoke(args=["backup", "--output", str(Path(app.config["UPLOAD_DIR"]) / "documents" / "b.tar.gz")])
    assert result.exit_code == 1 and "outside UPLOAD_DIR" in result.output
    assert not list(Path(app.config["UPLOAD_DIR"]).rglob("*.tar.gz"))


def test_restore_needs_yes_and_changes_nothing_without_it(app, runner, archive, make_user):
    later = make_user(email="sesudah@example.id").id
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 1
    assert "--yes" in result.output and app.config["UPLOAD_DIR"] in result.output
    assert db.session.get(User, later) is not None


def test_a_restore_blocked_by_another_connection_fails_and_changes_nothing(app, archive, make_user, monkeypatch):
    monkeypatch.setattr(databases, "LOCK_TIMEOUT", 1)
    witness = make_user().id
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database, isolation_level=None)
        other.execute("BEGIN")
    else:
        other = psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password, dbname=url.database)
    other.execute('SELECT count(*) FROM "user"').fetchall()  # the open transaction keeps a read lock
    try:
        with pytest.raises(BackupError, match="lock"):
            restore_backup(app, archive)
    finally:
        other.close()
    assert db.session.get(User, witness) is not None


# --- archives that must be refused ------------------------------------------------------------------


def _refused(app, runner, path: Path, message: str, make_user) -> None:
    """Restoring path fails with message, through the service and the command, and nothing changes."""
    witness = make_user().id
    files = files_of(Path(app.config["UPLOAD_DIR"]))
    with pytest.raises(BackupError, match=message):
        restore_backup(app, path)
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1 and "Restored." not in result.output
    assert db.session.get(User, witness) is not None
    assert files_of(Path(app.config["UPLOAD_DIR"])) == files


def test_a_tampered_file_is_refused(app, runner, archive, make_user, tmp_path):
    def flip(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("uploads/documents/") else data

    _refused(app, runner, rewrite_archive(archive, tmp_path / "tampered.tar.gz", flip), "does not match", make_user)


def test_a_tampered_database_is_refused(app, runner, archive, make_user, tmp_path):
    def grow(name, data):
        return data + b"\0" if name.startswith("database.") else data

    _refused(app, runner, rewrite_archive(archive, tmp_path / "grown.tar.gz", grow), "size differs", make_user)


def test_a_file_missing_from_the_manifest_is_refused(app, runner, archive, make_user, tmp_path):
    info = tarfile.TarInfo("uploads/extra.jpg")
    info.size = 3
    path = rewrite_archive(archive, tmp_path / "extra.tar.gz", extra=[(info, b"abc")])
    _refused(app, runner, path, "do not match the manifest", make_user)


@pytest.mark.parametrize("name", ["../evil", "uploads/../../evil", "/etc/evil", "uploads/./x", "uploads//x"])
def test_unsafe_member_names_are_refused(app, runner, archive, make_user, tmp_path, name):
    info = tarfile.TarInfo(name)
    info.size = 4
    path = rewrite_archive(archive, tmp_path / "evil.tar.gz", extra=[(info, b"evil")])
    _refused(app, runner, path, "unsafe path", make_user)
    assert not (tmp_path.parent / "evil").exists()


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE])
def test_links_and_folders_are_refused(app, runner, archive, make_user, tmp_path, kind):
    info = tarfile.TarInfo("uploads/link")
    info.type, info.linkname = kind, "/etc/passwd"
    path = rewrite_archive(archive, tmp_path / "link.tar.gz", extra=[(info, None)])
    _refused(app, runner, path, "only regular files", make_user)


def test_unknown_archives_are_refused(app, runner, make_user, tmp_path):
    not_tar = tmp_path / "notes.tar.gz"
    not_tar.write_text("not an archive")
    _refused(app, runner, not_tar, "not a backup archive", make_user)

    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.add(__file__, arcname="test_ops.py")
    _refused(app, runner, other, "no manifest.json", make_user)


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "something-else"}, "not an Etalase UMKM backup"),
    ({"version": 99}, "unsupported backup format version 99"),
    ({"dialect": "mysql"}, "unknown database dialect"),
    ({"files": [{"path": "../evil", "size": 1, "sha256": "0" * 64}]}, "unsafe path"),
])
def test_bad_manifests_are_refused(app, runner, archive, make_user, tmp_path, change, message):
    def edit(name, data):
        return json.dumps({**json.loads(data), **change}).encode() if name == "manifest.json" else data

    _refused(app, runner, rewrite_archive(archive, tmp_path / "bad.tar.gz", edit), message, make_user)


def test_an_archive_of_the_other_database_kind_is_refused(app, runner, archive, make_user, tmp_path):
    with app.app_context():
        other = "postgresql" if db.engine.dialect.name == "sqlite" else "sqlite"

    def edit(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["dialect"] = other
        manifest["database"]["path"] = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[other]
        return json.dumps(manifest).encode()

    _refused(app, runner, rewrite_archive(archive, tmp_path / "other.tar.gz", edit), f"holds a {other} database", make_user)


# --- check-config -----------------------------------------------------------------------------------

GOOD = {
    "SECRET_KEY": "k" * 64, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://etalase@127.0.0.1/etalase",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "MAIL_BACKEND": "smtp", "MAIL_SERVER": "smtp.example.id",
    "MAIL_PORT": 587, "MAIL_USE_TLS": True, "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True,
    "MAX_CONTENT_LENGTH": 85 * 1024 * 1024, "MAX_PHOTO_BYTES": 10 * 1024 * 1024,
    "JOBS_URL": "redis://127.0.0.1:6379/1", "CACHE_TYPE": "RedisCache",
    "SHOWCASE_EMBED_ORIGINS": ["https://probolinggokota.go.id", "https://blitarkab.go.id:8443"],
    "BASE_URL": "https://etalase.example.id",
}


def levels(findings, level):
    return [message for found, message in findings if found == level]


def test_a_good_production_config_has_no_failures_or_warnings():
    findings = checks.config_checks(GOOD, production=True)
    assert levels(findings, checks.FAIL) == [] and levels(findings, checks.WARN) == []


@pytest.mark.parametrize(("change", "level", "fragment"), [
    ({"SECRET_KEY": None}, "FAIL", "SECRET_KEY is not set"),
    ({"SECRET_KEY": "short"}, "FAIL", "only 5 characters"),
    ({"SECRET_KEY": "dev-only-not-secret"}, "FAIL", "development default"),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/etalase.db"}, "FAIL", "SQLite"),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "FAIL", "memory://"),
    ({"MAIL_BACKEND": "outbox"}, "WARN", "owners receive no email"),
    ({"MAIL_SERVER": ""}, "FAIL", "MAIL_SERVER is not set"),
    ({"MAIL_USERNAME": "etalase", "MAIL_USE_TLS": False}, "FAIL", "clear text"),
    ({"SESSION_COOKIE_SECURE": False}, "FAIL", "SESSION_COOKIE_SECURE"),
    ({"DEBUG": True}, "FAIL", "DEBUG"),
    ({"MAX_CONTENT_LENGTH": 1024}, "FAIL", "below MAX_PHOTO_BYTES"),
    ({"MAX_CONTENT_LENGTH": 30 * 1024 * 1024}, "WARN", "8 large photos"),
    ({"SHOWCASE_EMBED_ORIGINS": ["http://blitarkab.go.id"]}, "FAIL", "is not https://"),
    ({"SHOWCASE_EMBED_ORIGINS": ["*"]}, "FAIL", "is not an origin"),
    ({"SHOWCASE_EMBED_ORIGINS": ["https://blitarkab.go.id/embed"]}, "FAIL", "is not an origin"),
    ({"SHOWCASE_EMBED_ORIGINS": ["https://a.go.id; script-src *"]}, "FAIL", "is not an origin"),
])
def test_each_production_problem_is_reported(change, level, fragment):
    findings = checks.config_checks({**GOOD, **change}, production=True)
    assert any(fragment in message for message in levels(findings, level)), findings


def test_outside_production_the_same_problems_are_warnings():
    findings = checks.config_checks({**GOOD, "SECRET_KEY": "short", "SESSION_COOKIE_SECURE": False,
                                     "SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"}, production=False)
    assert levels(findings, checks.FAIL) == []
    assert any("only 5 characters" in message for message in levels(findings, checks.WARN))


def test_upload_dir_must_be_writable(tmp_path):
    assert levels(checks.upload_dir_checks(tmp_path), checks.OK)
    (tmp_path / "file").write_text("x")
    assert levels(checks.upload_dir_checks(tmp_path / "file"), checks.FAIL) == [f"{tmp_path / 'file'} is not a folder"]
    assert levels(checks.upload_dir_checks(tmp_path / "later"), checks.WARN)


def test_the_suites_database_is_reachable_and_at_head(app):
    findings = checks.database_checks(app)
    assert [level for level, _message in findings] == ["OK", "OK"]
    assert "migrations at head" in findings[1].message


def test_an_unmigrated_database_fails(fresh_database_url, tmp_path):
    if fresh_database_url.startswith("sqlite"):
        Path(fresh_database_url.removeprefix("sqlite:///")).touch()  # exists, but empty
    fresh = create_app(make_config(tmp_path, fresh_database_url))
    findings = checks.database_checks(fresh)
    with fresh.app_context():
        db.engine.dispose()
    assert findings[-1] == (checks.FAIL, "the database has no schema yet: run `flask --app wsgi db upgrade`")


def test_a_missing_sqlite_file_fails(tmp_path):
    fresh = create_app(make_config(tmp_path, f"sqlite:///{tmp_path / 'missing.db'}"))
    assert "does not exist" in checks.database_checks(fresh)[0].message
    assert not (tmp_path / "missing.db").exists()


def test_check_config_command(runner):
    development = runner.invoke(args=["check-config", "--env", "testing"])
    assert development.exit_code == 0, development.output
    assert "OK   migrations at head" in development.output
    production = runner.invoke(args=["check-config", "--env", "production"])
    assert production.exit_code == 1
    assert "FAIL SECRET_KEY is the development default" in production.output
    assert runner.invoke(args=["check-config", "--env", "staging"]).exit_code == 2
