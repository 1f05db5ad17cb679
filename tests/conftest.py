"""Fixtures: app on a real database (SQLite or TEST_DATABASE_URL), client with CSRF on, factories, live server."""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from config import TestingConfig
from marketplace import create_app
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.catalog.visibility import bump_generation
from marketplace.extensions import db, limiter
from marketplace.seeding import seed_reference
from marketplace.unit_of_work import commit, unit_of_work

REFERENCE_TABLES = {"region", "agreement", "agreement_party", "agreement_scope", "category", "alembic_version",
                    "catalogue_state"}
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "rahasia-uji-2025"
# what a view passes to send_inquiry (services build no URLs)
INQUIRY_LINKS = {"link_for": lambda inquiry_id: f"/my/inquiries/{inquiry_id}", "inbox_url": "http://localhost/my/notifications"}


def database_url(tmp_dir: Path) -> str:
    """The suite's database: SQLite in the session's temporary folder, or TEST_DATABASE_URL; with pytest-xdist each
    worker gets a PostgreSQL database of its own (<name>_gw0, ...), made here, so workers never share tables."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_postgres_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_config(tmp_dir: Path, url: str, **overrides) -> type[TestingConfig]:
    attrs = {
        "SQLALCHEMY_DATABASE_URI": url,
        "UPLOAD_DIR": str(tmp_dir / "uploads"),
        "MAIL_OUTBOX_DIR": str(tmp_dir / "outbox"),
        **overrides,
    }
    return type("TestConfig", (TestingConfig,), attrs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp_dir = tmp_path_factory.mktemp("app")
    url = database_url(tmp_dir)
    if url.startswith("postgresql"):
        reset_postgres_schema(url)
    app = create_app(make_config(tmp_dir, url))
    with app.app_context():
        upgrade()
        with unit_of_work():
            seed_reference()
    app.test_client_class = Client
    return app


@pytest.fixture(autouse=True)
def _clean_state(app):
    """Each test starts with reference data only, no uploads, an empty outbox and fresh rate limits."""
    with app.app_context():
        limiter.reset()
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                db.session.execute(table.delete())
        from marketplace.catalog.search.index import clear as clear_search_index  # search tables are not models

        clear_search_index(db.session.connection())
        _restore_reference_data()
        bump_generation(db.session)  # the bulk deletes above skip the ORM: cached catalogue counts must go
        db.session.commit()
        db.session.remove()
    for message in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"):
        message.unlink()
    shutil.rmtree(app.config["UPLOAD_DIR"], ignore_errors=True)


def _restore_reference_data() -> None:
    """Undo what a test did to agreements and categories (admins may change them), then reload the shipped data."""
    from marketplace.catalog.models import Category
    from marketplace.catalog.reference import CATEGORIES
    from marketplace.regions.models import Agreement, Region
    from marketplace.regions.services import OFFICE_FIELDS

    db.session.execute(db.update(Region).values(dict.fromkeys(OFFICE_FIELDS)))  # an admin's edit of an office
    shipped = {slug for slug, *_rest, children in CATEGORIES} | {
        child[0] for *_top, children in CATEGORIES for child in children}
    db.session.execute(db.delete(Agreement))
    extra = db.select(Category.id).where(Category.slug.not_in(shipped))
    db.session.execute(db.delete(Category).where(Category.parent_id.in_(extra)))
    db.session.execute(db.delete(Category).where(Category.slug.not_in(shipped)))
    db.session.commit()
    seed_reference()


class Client(FlaskClient):
    """A test client that sends forms the way a browser does: with the page's CSRF token.

    Each request gets its own app context (fresh `g`, fresh database session), as in production,
    even though the test itself holds one open for its factories and assertions. What the test changed through
    services before the request is committed first, as a request of its own would have (services only flush).
    """

    def open(self, *args, **kwargs):
        commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self, page: str = "/") -> str:
        html = self.get(page).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, page: str | None = None, **kwargs):
        """GET the form page (default: url), then POST data with its CSRF token."""
        token = self.csrf_token(page or url)
        return self.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Factory: make_user(role=Role.OWNER, region="35.74", email=...) with the password PASSWORD."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.BUYER, region: str | None = "35.74", email: str | None = None, **kwargs):
        email = email or f"{role.value}{next(counter)}@example.id"
        if role is Role.ADMIN and region == "35.74":
            region = None
        with unit_of_work():
            return accounts.create_user(
                email=email, password=kwargs.pop("password", PASSWORD), name=kwargs.pop("name", "Pengguna Uji"),
                role=role, region_code=region, **kwargs,
            )

    return make


@pytest.fixture
def moderator(make_user):
    """The moderator of Kota Probolinggo (35.74), where the factories put businesses by default."""
    return make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id")


@pytest.fixture
def as_moderator(auth, moderator):
    """That moderator, logged in."""
    auth.login(moderator.email)
    return moderator


class Auth:
    def __init__(self, client: Client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD, **kwargs):
        return self.client.submit("/auth/login", {"email": email, "password": password}, **kwargs)

    def logout(self):
        return self.client.submit("/auth/logout", page="/")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def queue(app):
    """A real (in-memory) queue that holds jobs until the test runs them, instead of the tests' immediate mode."""
    from marketplace.jobs import Jobs

    before = app.extensions["jobs"]
    app.extensions["jobs"] = Jobs(app, "memory")
    yield app.extensions["jobs"]
    app.extensions["jobs"] = before


@pytest.fixture
def outbox(app):
    """The messages the mail backend wrote in this test."""
    from marketplace.mail import outbox_messages

    return lambda: outbox_messages(app.config["MAIL_OUTBOX_DIR"])


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database of the same kind as the suite's, dropped afterwards."""
    url = database_url(tmp_path)
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    base = make_url(url)
    name = f"{base.database}_fresh"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# --- browser tests -------------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# A page that sends photos waits for the server to decode and re-encode them; with two workers on two cores (and CI
# beside other work) that can pass Playwright's default 5 s without anything being wrong. A real failure still fails,
# only later.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright's own browser downloads are not possible here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium` (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over real HTTP on 127.0.0.1 in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


# --- business, product and image factories -----------------------------------------------------

def jpeg_bytes(size=(640, 480), color=(180, 90, 40), **save_kwargs) -> bytes:
    """A real JPEG made with Pillow."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save_kwargs)
    return buffer.getvalue()


@pytest.fixture
def make_business(make_user):
    """Factory: make_business(owner=None, region="35.74", verified=True, **fields)."""
    from marketplace.businesses.models import Verification
    from marketplace.businesses.services import create_business, set_verification

    def make(owner=None, region: str = "35.74", verified: bool = True, **fields):
        owner = owner or make_user(role=Role.OWNER, region=region)
        fields.setdefault("name", "Batik Manggur Uji")
        fields.setdefault("whatsapp", "6281234567890")
        fields.setdefault("nib", "1234567890123")
        with unit_of_work():
            business = create_business(owner, region_code=region, **fields)
            if verified:
                set_verification(business, Verification.VERIFIED)
        return business

    return make


@pytest.fixture
def make_product(make_business):
    """Factory: make_product(business=None, status="draft"|"pending"|"published", photos=1, photo_size=(640, 480), **fields)."""
    from marketplace.accounts.models import Role as R
    from marketplace.catalog.models import Category
    from marketplace.catalog.services import create_product, review_product, submit_product
    from marketplace.media.services import stage_photo

    def make(business=None, status: str = "draft", photos: int = 1, category: str = "batik-tulis", photo_size=(640, 480), **fields):
        business = business or make_business()
        fields.setdefault("name", "Batik Tulis Manggur")
        fields.setdefault("description", "Kain batik tulis katun.")
        fields.setdefault("price_min", 150000)
        with unit_of_work():
            cat = db.session.scalar(db.select(Category).where(Category.slug == category))
            staged = [stage_photo(business.owner, jpeg_bytes(size=photo_size, color=(10 * i, 90, 40)), alt_text=f"foto {i}")
                      for i in range(photos)]
            product = create_product(business, category=cat, new_photos=staged, **fields)
            if status in ("pending", "published"):
                submit_product(product)
            if status == "published":
                review_product(product, "approve", R.MODERATOR)
        return product

    return make


def revision_before(revision: str) -> str:
    """The migration a data migration follows, read from the scripts: the branches of one wave are chained in the
    order they land, so a test names its own migration, not the head it was written on."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(Path(__file__).resolve().parent.parent / "migrations")).get_revision(revision).down_revision
