"""Configuration classes: the one place environment variables are read."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    """Settings shared by every environment; each reads the environment with a safe default."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    # The site's address (https://host[:port]): every absolute URL (mail, sitemap, feeds, API, embeds) is built from
    # it and requests for any other host are refused (400); unset, links use the request's host (development only).
    BASE_URL = os.environ.get("BASE_URL") or None
    # Other names the site answers to besides BASE_URL's host (separated by spaces); their links still use BASE_URL.
    TRUSTED_HOSTS = os.environ.get("TRUSTED_HOSTS", "").split() or None
    # None means "SQLite file in the instance folder", resolved in create_app.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Uploads: STORAGE=filesystem keeps them in UPLOAD_DIR; STORAGE=s3 in an S3-compatible bucket
    # (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as boto3 reads them).
    STORAGE = os.environ.get("STORAGE", "filesystem")
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "uploads"))
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # e.g. http://127.0.0.1:9000 for MinIO; empty for AWS
    S3_REGION = os.environ.get("S3_REGION")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    # Background jobs (renditions beyond the first, mail): sqlite:///<file> (default: instance/jobs.sqlite3),
    # redis://... in production; `flask --app wsgi jobs` is the worker.
    JOBS_URL = os.environ.get("JOBS_URL")
    PRUNE_UPLOADS_AFTER_HOURS = _int("PRUNE_UPLOADS_AFTER_HOURS", 24)
    # One request may carry 8 photos of up to MAX_PHOTO_BYTES each, plus the form.
    MAX_PHOTO_BYTES = _int("MAX_PHOTO_BYTES", 10 * 1024 * 1024)
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 85 * 1024 * 1024)
    # Product photos an owner may have uploaded and not yet saved with a product (two full forms of 8), and photos an
    # owner may upload in one day (Asia/Jakarta); the next upload is refused with a message.
    STAGED_UPLOADS_MAX = _int("STAGED_UPLOADS_MAX", 16)
    UPLOADS_PER_DAY = _int("UPLOADS_PER_DAY", 100)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Redis away: each process counts in its own memory until it is back (limits loosen, never a 500; issue 22)
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per 5 minutes")
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per 15 minutes")
    # Sign-ups that sent a mail, per client address (each mails an address the visitor typed)
    SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "10 per hour")
    REPORT_RATE_LIMIT = os.environ.get("REPORT_RATE_LIMIT", "10 per hour")
    INQUIRY_RATE_LIMIT = os.environ.get("INQUIRY_RATE_LIMIT", "10 per hour")
    MESSAGE_RATE_LIMIT = os.environ.get("MESSAGE_RATE_LIMIT", "30 per minute;300 per day")  # per account
    # Requests carrying files (photos, logos, covers, documents), all upload forms together: per account, and per
    # client address (higher: owners at a DKUPP workshop, or on a mobile carrier's shared address, share one).
    UPLOAD_RATE_LIMIT = os.environ.get("UPLOAD_RATE_LIMIT", "60 per hour")
    UPLOAD_CLIENT_RATE_LIMIT = os.environ.get("UPLOAD_CLIENT_RATE_LIMIT", "300 per hour")
    # Cache of the catalogue's counts (exact: keyed by the catalogue generation). SimpleCache is per process;
    # production shares one in Redis, so a count made by one worker serves them all.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "redis://127.0.0.1:6379/2")
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "etalase:")
    CACHE_DEFAULT_TIMEOUT = _int("CACHE_DEFAULT_TIMEOUT", 3600)
    CACHE_THRESHOLD = 512
    REPORTS_CACHE_SECONDS = _int("REPORTS_CACHE_SECONDS", 600)  # reports' figures kept this long (0: always fresh)
    # A search whose matches (after its filters) are more than this ranks only its newest this-many matches, best
    # first, and lists the rest after them newest first: ranking every match of a common word cost 0.4-1.5 s a page
    # at a million products (catalog/browse.py; 1000 rather than 2000 for the filtered searches' sake, figures in
    # docs/PERFORMANCE.md). 0 always ranks every match.
    SEARCH_RANK_CANDIDATES = _int("SEARCH_RANK_CANDIDATES", 1000)
    # The catalogue's rendered body kept per catalogue generation (catalog/page_cache.py); 0 turns it off (benchmarks
    # of the pages' own queries: scripts/bench_http.py --no-page-cache)
    CATALOGUE_PAGE_CACHE = os.environ.get("CATALOGUE_PAGE_CACHE", "1") != "0"

    # Mail: "outbox" writes .eml files to MAIL_OUTBOX_DIR, "log" logs them, "smtp" sends.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR")  # default: instance/outbox
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Etalase UMKM <noreply@etalase-umkm.local>")

    # Origins allowed to frame /showcases/<slug>/embed (partner regions' own sites), separated by spaces
    SHOWCASE_EMBED_ORIGINS = os.environ.get(
        "SHOWCASE_EMBED_ORIGINS", "https://probolinggokota.go.id https://pasuruankab.go.id https://blitarkab.go.id"
    ).split()

    # Origins whose pages may read the API from a browser (CORS, GET only; partner regions' sites), separated by spaces
    API_CORS_ORIGINS = os.environ.get(
        "API_CORS_ORIGINS", "https://probolinggokota.go.id https://pasuruankab.go.id https://blitarkab.go.id"
    ).split()
    # Requests to /api/v1 per client address (a partner's server fetching for its pages is one client)
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per minute")

    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)
    # Seconds the emailed link of a sign-up stays valid (a day: the mail may be read in the evening)
    SIGNUP_CONFIRM_MAX_AGE = _int("SIGNUP_CONFIRM_MAX_AGE", 24 * 3600)
    # Seconds the emailed link of a staff invitation stays valid (three days: staff may be invited before a weekend)
    STAFF_INVITATION_MAX_AGE = _int("STAFF_INVITATION_MAX_AGE", 72 * 3600)
    # Seconds the links a field officer sends an assisted owner stay valid: the consent confirmation and the claim of
    # the account (a week: the owner may read the message after the next market day)
    ASSISTED_LINK_MAX_AGE = _int("ASSISTED_LINK_MAX_AGE", 7 * 24 * 3600)
    # Sessions end after an idle time and an absolute lifetime (NIST 800-63B): staff (moderators, admins) as AAL2
    # asks, 30 minutes idle and 12 hours in all; owners and buyers as AAL1, 7 days idle (a phone left unused for a
    # week) and 30 days in all. The remember cookie lasts no longer than the session.
    SESSION_IDLE_MINUTES_STAFF = _int("SESSION_IDLE_MINUTES_STAFF", 30)
    SESSION_MAX_HOURS_STAFF = _int("SESSION_MAX_HOURS_STAFF", 12)
    SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 7 * 24 * 60)
    SESSION_MAX_DAYS = _int("SESSION_MAX_DAYS", 30)
    REMEMBER_COOKIE_DURATION = timedelta(days=SESSION_MAX_DAYS)
    # argon2id parameters (argon2-cffi defaults: time 3, memory 64 MiB).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so slow phones don't lose forms

    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    """Local development: SQLite, outbox mail, debug off unless FLASK_DEBUG says so."""


class TestingConfig(Config):
    """Tests: the database comes from TEST_DATABASE_URL, cheap password hashing."""

    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    BASE_URL = None  # the test client's http://localhost (tests of BASE_URL set their own)
    TRUSTED_HOSTS = None
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8192
    RATELIMIT_STORAGE_URI = "memory://"
    JOBS_URL = "immediate"  # a job runs inline when queued; tests that need a queue use "memory"
    CACHE_TYPE = "SimpleCache"
    REPORTS_CACHE_SECONDS = 0  # every test sees the figures of its own rows (test_reports_pages turns it on)
    STORAGE = "filesystem"


class ProductionConfig(Config):
    """Production: a real secret is required, cookies are Secure (and __Host- prefixed), Redis for rate limits."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    BASE_URL_REQUIRED = True  # create_app refuses to start without BASE_URL
    SESSION_COOKIE_SECURE = True
    # __Host-: the browser keeps the cookie only if it came over HTTPS, for this exact host and path "/"
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_NAME = "__Host-remember"
    PREFERRED_URL_SCHEME = "https"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    JOBS_URL = os.environ.get("JOBS_URL", "redis://127.0.0.1:6379/1")
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "RedisCache")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def app_env() -> str:
    """The environment the app runs in: APP_ENV, default development."""
    return os.environ.get("APP_ENV", "development")


def config_from_env() -> type[Config]:
    """The config class APP_ENV names."""
    return CONFIGS[app_env()]
