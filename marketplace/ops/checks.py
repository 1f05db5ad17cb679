"""`flask check-config`: what is missing or unsafe for production, one finding per line (OK, WARN or FAIL).

`config_checks` needs only the settings (a dict will do); `run_checks` adds the upload folder and the database.
A production requirement is a FAIL when checking for production and a WARN otherwise.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from marketplace.extensions import db
from marketplace.hosts import parse_base_url
from marketplace.media.services import MAX_PHOTOS
from marketplace.ops import databases
from marketplace.ops.archive import BackupError

OK, WARN, FAIL = "OK", "WARN", "FAIL"
# The fallback secrets written in config.py: a site running on one of them signs cookies with a public key.
DEVELOPMENT_SECRETS = frozenset({"dev-only-not-secret", "testing-secret"})
MIN_SECRET_LENGTH = 32
MAIL_BACKENDS = ("outbox", "log", "smtp")
_HTTPS_ORIGIN = re.compile(r"https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")
_HTTP_ORIGIN = re.compile(r"http://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")


class Finding(NamedTuple):
    level: str
    message: str


def run_checks(app: Flask, *, production: bool) -> list[Finding]:
    """Every check: the settings, the upload folder, the database and its migrations."""
    return [*config_checks(app.config, production=production), *storage_checks(app), *database_checks(app)]


def config_checks(config: Mapping[str, Any], *, production: bool) -> list[Finding]:
    """Checks of the settings alone."""
    strict = FAIL if production else WARN
    findings = [Finding(OK, "APP_ENV=production") if production else
                Finding(WARN, "not checking with APP_ENV=production: production requirements are shown as WARN")]
    findings += _secret_key(config.get("SECRET_KEY"), strict)
    findings += _base_url(config.get("BASE_URL"), production, strict)
    findings += _database_url(config.get("SQLALCHEMY_DATABASE_URI"), production)
    findings += _rate_limit_storage(config.get("RATELIMIT_STORAGE_URI", ""), production)
    findings += _mail(config, production, strict)
    findings += _jobs(config.get("JOBS_URL") or "sqlite:///instance/jobs.sqlite3", production)
    findings += _cache(config.get("CACHE_TYPE") or "SimpleCache", production)
    findings += _cookies_and_debug(config, production)
    findings += _request_sizes(config.get("MAX_CONTENT_LENGTH"), config.get("MAX_PHOTO_BYTES"))
    findings += _embed_origins(config.get("SHOWCASE_EMBED_ORIGINS") or [], strict)
    return findings


def _secret_key(secret: str | bytes | None, strict: str) -> list[Finding]:
    if not secret:
        return [Finding(FAIL, "SECRET_KEY is not set")]
    if secret in DEVELOPMENT_SECRETS or (isinstance(secret, bytes) and secret.decode(errors="replace") in DEVELOPMENT_SECRETS):
        return [Finding(strict, "SECRET_KEY is the development default from config.py: set a random one")]
    if len(secret) < MIN_SECRET_LENGTH:
        return [Finding(strict, f"SECRET_KEY has only {len(secret)} characters; use at least {MIN_SECRET_LENGTH} "
                                "(python3 -c 'import secrets; print(secrets.token_hex(32))')")]
    return [Finding(OK, f"SECRET_KEY is set ({len(secret)} characters)")]


def _base_url(base_url: str | None, production: bool, strict: str) -> list[Finding]:
    if not base_url:
        return [Finding(strict, "BASE_URL is not set: links in mail, the sitemap and the API would use the Host header "
                                "of each request; set the site's address, e.g. https://etalase.example.id")]
    try:
        scheme, server_name, _host = parse_base_url(base_url)
    except ValueError as error:
        return [Finding(FAIL, str(error))]
    if scheme != "https" and production:
        return [Finding(FAIL, f"BASE_URL {base_url} is not https://: links would lead to plain HTTP, where the Secure "
                              "cookies are not sent")]
    return [Finding(OK, f"BASE_URL {scheme}://{server_name}: links are built for it and other Host headers refused")]


def _database_url(uri: str | None, production: bool) -> list[Finding]:
    if not uri or uri.startswith("sqlite"):
        if production:
            return [Finding(FAIL, "DATABASE_URL is unset or SQLite: production runs on PostgreSQL")]
        return [Finding(OK, "database: SQLite (development)")]
    return [Finding(OK, f"database: {uri.split(':', 1)[0]}")]


def _rate_limit_storage(uri: str, production: bool) -> list[Finding]:
    if uri.startswith("memory://") and production:
        return [Finding(FAIL, "RATELIMIT_STORAGE_URI is memory://: every worker counts on its own and forgets on restart; "
                              "use redis://")]
    return [Finding(OK, f"rate limits stored in {uri.split('://', 1)[0]}://")]


def _mail(config: Mapping[str, Any], production: bool, strict: str) -> list[Finding]:
    backend = config.get("MAIL_BACKEND")
    if backend not in MAIL_BACKENDS:
        return [Finding(strict, f"MAIL_BACKEND {backend!r} is unknown (one of {', '.join(MAIL_BACKENDS)}); mail goes to the outbox")]
    if backend != "smtp":
        if production:
            return [Finding(WARN, f"MAIL_BACKEND is {backend}: owners receive no email (set MAIL_BACKEND=smtp)")]
        return [Finding(OK, f"mail: {backend} (development)")]
    if not config.get("MAIL_SERVER"):
        return [Finding(FAIL, "MAIL_BACKEND is smtp but MAIL_SERVER is not set")]
    if config.get("MAIL_USERNAME") and not config.get("MAIL_USE_TLS"):
        return [Finding(strict, "MAIL_USERNAME is set but MAIL_USE_TLS is off: the SMTP password would travel in clear text")]
    return [Finding(OK, f"mail: SMTP via {config['MAIL_SERVER']}:{config.get('MAIL_PORT')}")]


def _jobs(url: str, production: bool) -> list[Finding]:
    if url in ("immediate", "memory"):
        return [Finding(FAIL if production else WARN, f"JOBS_URL is {url}: for tests only (jobs run inside web requests "
                                                      "or never)")]
    if url.startswith("sqlite") and production:
        return [Finding(WARN, "JOBS_URL is SQLite: the queue works only when the site and `flask jobs` share one "
                              "machine; use redis://")]
    return [Finding(OK, f"job queue in {url.split(':', 1)[0]} (run `flask --app wsgi jobs` beside the site)")]


def _cache(kind: str, production: bool) -> list[Finding]:
    if production and kind != "RedisCache":
        return [Finding(WARN, f"CACHE_TYPE is {kind}: each worker counts the catalogue on its own; use RedisCache")]
    return [Finding(OK, f"catalogue counts cached in {kind}")]


def storage_checks(app: Flask) -> list[Finding]:
    """The uploads' storage: a writable folder, or a bucket that answers."""
    from marketplace.media.storage import FilesystemStorage, S3Storage, StorageError

    files = app.extensions["storage"]
    if isinstance(files, FilesystemStorage):
        return upload_dir_checks(files.root)
    if isinstance(files, S3Storage):
        try:
            files.probe()
        except StorageError as error:
            return [Finding(FAIL, str(error))]
        return [Finding(OK, f"uploads in the {files.describe()}")]
    return [Finding(WARN, f"uploads in an unknown storage: {files.describe()}")]


def _cookies_and_debug(config: Mapping[str, Any], production: bool) -> list[Finding]:
    if not production:
        return [Finding(OK, "cookies without Secure (development over plain HTTP)")]
    findings = []
    insecure = [name for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE") if not config.get(name)]
    if insecure:
        findings.append(Finding(FAIL, f"{' and '.join(insecure)} false: login cookies would also travel over plain HTTP"))
    else:
        findings.append(Finding(OK, "session and remember-me cookies are Secure"))
    if config.get("DEBUG") or config.get("TESTING"):
        findings.append(Finding(FAIL, "DEBUG or TESTING is on in production"))
    return findings


def _request_sizes(request_limit: int | None, photo_limit: int | None) -> list[Finding]:
    if not isinstance(photo_limit, int) or photo_limit <= 0:
        return [Finding(FAIL, f"MAX_PHOTO_BYTES must be a positive number of bytes, not {photo_limit!r}")]
    if request_limit is None:
        return [Finding(WARN, "MAX_CONTENT_LENGTH is unset: requests of any size are read")]
    if not isinstance(request_limit, int) or request_limit <= 0:
        return [Finding(FAIL, f"MAX_CONTENT_LENGTH must be a positive number of bytes, not {request_limit!r}")]
    if request_limit < photo_limit:
        return [Finding(FAIL, f"MAX_CONTENT_LENGTH ({request_limit}) is below MAX_PHOTO_BYTES ({photo_limit}): "
                              "an allowed photo is refused with 413")]
    if request_limit < MAX_PHOTOS * photo_limit:
        return [Finding(WARN, f"MAX_CONTENT_LENGTH ({request_limit}) is below {MAX_PHOTOS} × MAX_PHOTO_BYTES "
                              f"({MAX_PHOTOS * photo_limit}): a product form with {MAX_PHOTOS} large photos is refused")]
    return [Finding(OK, f"MAX_CONTENT_LENGTH allows {MAX_PHOTOS} photos of MAX_PHOTO_BYTES")]


def _embed_origins(origins: list[str] | str, strict: str) -> list[Finding]:
    if isinstance(origins, str):
        origins = origins.split()
    findings = []
    for origin in origins:
        if _HTTP_ORIGIN.fullmatch(origin.lower()):
            findings.append(Finding(strict, f"SHOWCASE_EMBED_ORIGINS: {origin} is not https://"))
        elif not _HTTPS_ORIGIN.fullmatch(origin.lower()):
            # it goes into the Content-Security-Policy as is: '*', a path or a quote would widen or break it
            findings.append(Finding(FAIL, f"SHOWCASE_EMBED_ORIGINS: {origin!r} is not an origin like https://example.go.id"))
    if not findings:
        findings.append(Finding(OK, f"SHOWCASE_EMBED_ORIGINS: {len(origins)} https origins"))
    return findings


def upload_dir_checks(upload_dir: str | Path) -> list[Finding]:
    """UPLOAD_DIR (and its documents/ folder, if there) must be folders the app can write to."""
    path = Path(upload_dir)
    if not path.exists():
        ancestor = next(parent for parent in path.parents if parent.exists())
        if _writable(ancestor):
            return [Finding(WARN, f"UPLOAD_DIR {path} does not exist yet (it is created at the first upload)")]
        return [Finding(FAIL, f"UPLOAD_DIR {path} does not exist and {ancestor} is not writable")]
    findings = []
    for folder in (path, path / "documents"):
        if folder == path or folder.exists():
            if not folder.is_dir():
                findings.append(Finding(FAIL, f"{folder} is not a folder"))
            elif not _writable(folder):
                findings.append(Finding(FAIL, f"{folder} is not writable"))
    return findings or [Finding(OK, f"UPLOAD_DIR {path} is writable")]


def _writable(folder: Path) -> bool:
    """Try it: os.access says yes to root even on a read-only mount."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def database_checks(app: Flask) -> list[Finding]:
    """The database answers and its schema is at the migrations' head."""
    with app.app_context():
        engine = db.engine
        shown = engine.url.render_as_string(hide_password=True)
        if engine.dialect.name == "sqlite":
            try:
                if not databases.sqlite_path(engine.url).exists():  # connecting would create an empty file
                    return [Finding(FAIL, f"database {shown} does not exist: run `flask --app wsgi db upgrade`")]
            except BackupError:
                pass  # an in-memory database: nothing to look for
        try:
            current = databases.current_heads(engine)
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            return [Finding(FAIL, f"database {shown} is unreachable: {reason}")]
        findings = [Finding(OK, f"database {shown} is reachable")]
        heads = databases.code_heads(app)
        if not current:
            findings.append(Finding(FAIL, "the database has no schema yet: run `flask --app wsgi db upgrade`"))
        elif current != heads:
            findings.append(Finding(FAIL, f"the database is at revision {', '.join(current)}, the code at {', '.join(heads)}: "
                                          "run `flask --app wsgi db upgrade`"))
        else:
            findings.append(Finding(OK, f"migrations at head ({', '.join(heads)})"))
        return findings
