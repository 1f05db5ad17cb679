"""Etalase UMKM: the application factory."""

from pathlib import Path

from flask import Flask

from config import Config, config_from_env
from marketplace import hosts
from marketplace.extensions import babel, cache, compress, csrf, db, limiter, login, migrate


def create_app(config: type[Config] | None = None) -> Flask:
    """Build the app for the given config class (default: from APP_ENV)."""
    app = hosts.Site(__name__, instance_relative_config=True)
    app.config.from_object(config or config_from_env())
    _check_config(app)
    register_extensions(app)
    register_input(app)
    register_blueprints(app)
    register_jobs(app)
    register_unit_of_work(app)
    register_templating(app)
    register_assets(app)
    register_security(app)
    register_errors(app)
    register_cli(app)
    return app


def _check_config(app: Flask) -> None:
    """Refuse to start without the settings production cannot do without."""
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in the environment (production refuses to start without it).")
    hosts.configure(app)  # BASE_URL: required in production; absolute URLs and the allowed Host headers come from it
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'etalase.db'}"
    if not app.config.get("MAIL_OUTBOX_DIR"):
        app.config["MAIL_OUTBOX_DIR"] = str(Path(app.instance_path) / "outbox")


def register_extensions(app: Flask) -> None:
    from marketplace import (  # noqa: F401  (models: the whole schema for Alembic)
        i18n,
        models,
    )
    from marketplace.accounts import sessions  # noqa: F401  (registers the user loader)
    from marketplace.catalog import (  # noqa: F401
        search,  # keeps the search index in step with every commit
        visibility,  # keeps Product.public true on every flush
    )
    from marketplace.staples import (
        generation,  # noqa: F401  (bumps the staples board's generation on every flush)
        match_store,  # noqa: F401  (keeps the stored staples matches in step on every flush)
    )

    _plan_every_query(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    login.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    cache.init_app(app)
    from marketplace.media import storage

    storage.init_app(app)
    # Registered before the app's own after_request hooks (assets, security headers), so it runs after them and
    # compresses the finished response.
    compress.init_app(app)
    _keep_pages_made_before_a_lost_connection(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _enable_sqlite_foreign_keys(app)


def _plan_every_query(app: Flask) -> None:
    """psycopg prepares a statement on the server after its fifth run, and PostgreSQL then switches to a generic plan,
    made without the parameters' values: for a search (whose words decide how many rows match) that plan took a page
    from 50 ms to 0.7-2 s at a million products (docs/PERFORMANCE.md). Unprepared, every query is planned for its
    values, as EXPLAIN shows them; planning costs well under a millisecond here. It also lets PgBouncer's
    transaction pooling sit in front."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql+psycopg:"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _keep_pages_made_before_a_lost_connection(app: Flask) -> None:
    """A database restart can cut a connection after the page is made: ending the request's session then fails on
    its ROLLBACK, and gunicorn would answer a bare 500 instead of the finished page. The server has already rolled
    back what was open, and SQLAlchemy has invalidated the connection (the pool opens a new one), so nothing is lost
    by delivering the page. Registered after Flask-SQLAlchemy's teardown, so it runs first."""
    from sqlalchemy.exc import DBAPIError

    @app.teardown_appcontext
    def _remove_session(_error):
        try:
            db.session.remove()
        except DBAPIError as error:
            db.session.registry.clear()
            if not error.connection_invalidated:
                raise
            app.logger.warning("Database connection lost while ending a request: %s", error.orig)


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    from sqlalchemy import event

    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def _pragma(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()


def register_input(app: Flask) -> None:
    """How requests are read (hostile input made harmless: security.py); before the blueprints add their rules."""
    from marketplace import security

    security.register_input(app)


def register_blueprints(app: Flask) -> None:
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.admin.views import bp as admin_bp
    from marketplace.api import views as api_views
    from marketplace.belabeli.views import bp as belabeli_bp
    from marketplace.businesses.views import bp as businesses_bp
    from marketplace.catalog.views import bp as catalog_bp
    from marketplace.certifications.views import bp as certifications_bp
    from marketplace.coach.views import bp as coach_bp
    from marketplace.cooperatives.views import bp as cooperatives_bp
    from marketplace.events.views import bp as events_bp
    from marketplace.favourites.views import bp as favourites_bp
    from marketplace.fieldofficers.views import bp as fieldofficers_bp
    from marketplace.inquiries.views import bp as inquiries_bp
    from marketplace.institutions.views import bp as institutions_bp
    from marketplace.main.views import bp as main_bp
    from marketplace.media.views import bp as media_bp
    from marketplace.moderation.views import bp as moderation_bp
    from marketplace.notifications.views import bp as notifications_bp
    from marketplace.offline.views import bp as offline_bp
    from marketplace.regions.views import bp as regions_bp
    from marketplace.reports.views import bp as reports_bp
    from marketplace.showcases.views import bp as showcases_bp
    from marketplace.staples.views import bp as staples_bp

    for bp in (main_bp, media_bp, accounts_bp, businesses_bp, catalog_bp, certifications_bp, cooperatives_bp, inquiries_bp,
               notifications_bp, regions_bp, showcases_bp, events_bp, staples_bp, institutions_bp, moderation_bp, coach_bp,
               admin_bp, favourites_bp, belabeli_bp, fieldofficers_bp, offline_bp, reports_bp):
        app.register_blueprint(bp)
    api_views.register(app)  # the API's blueprint, its OpenAPI document and CORS


def register_jobs(app: Flask) -> None:
    """The job queue, with the jobs every feature declared (their modules are imported by now)."""
    from marketplace import jobs, mail  # noqa: F401  (mail declares the mail job)
    from marketplace.belabeli import flags  # noqa: F401  (declares the daily flag of purchases waiting for their seller)
    from marketplace.coach import services as coach  # noqa: F401  (declares the nightly dormancy snapshot)
    from marketplace.events import tasks  # noqa: F401  (declares the job that settles lapsed booth offers)
    from marketplace.favourites import watch  # noqa: F401  (declares the saved-product check, hooks the catalogue's signal)
    from marketplace.institutions import reminders  # noqa: F401  (declares the renewal reminders)
    from marketplace.media import services  # noqa: F401  (declares the photo and clean-up jobs)
    from marketplace.staples import match_store  # noqa: F401  (declares the nightly clean-up of expired matches)

    jobs.init_app(app)


def register_unit_of_work(app: Flask) -> None:
    """Every view one unit of work: committed once when it returns, rolled back whole when it raises."""
    from marketplace import unit_of_work

    unit_of_work.register(app)


def register_templating(app: Flask) -> None:
    from marketplace import header, i18n
    from marketplace.media.urls import media_url

    i18n.register_template_helpers(app)
    header.register(app)
    app.add_template_global(media_url)


def register_assets(app: Flask) -> None:
    from marketplace import assets

    assets.register(app)


def register_security(app: Flask) -> None:
    from marketplace import security

    security.register(app)


def register_errors(app: Flask) -> None:
    from marketplace import errors

    errors.register(app)


def register_cli(app: Flask) -> None:
    from marketplace import cli

    cli.register(app)
