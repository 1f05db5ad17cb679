"""Migrations build the schema from empty on this suite's database, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from marketplace import create_app
from marketplace.extensions import db
from tests.conftest import make_config


def test_upgrade_from_empty_and_no_drift(fresh_database_url, tmp_path):
    app = create_app(make_config(tmp_path, fresh_database_url))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"region", "agreement", "user", "user_session", "category", "alembic_version"} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ; run `flask --app wsgi db migrate`: {diff}"
        db.engine.dispose()
