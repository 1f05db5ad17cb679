"""Database connections cut by a restart: the pool replaces them, and a page made before the cut is still delivered.

On PostgreSQL the server really ends the connections (pg_terminate_backend), as a restart does; SQLite has no server,
so there the driver connections are closed underneath SQLAlchemy, which is what a lost connection looks like to it."""

from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from marketplace import create_app
from marketplace.accounts.models import Role
from marketplace.extensions import db
from tests.conftest import make_config


def cut(engine, connections: list) -> None:
    """End these driver connections the way a database restart would."""
    if engine.dialect.name != "postgresql":
        for connection in connections:
            connection.close()
        return
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for connection in connections:
            # the second argument waits (ms) until the backend is gone
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": connection.info.backend_pid})
    admin.dispose()


def test_pooled_connections_ended_by_the_database_are_replaced(app, client):
    with app.app_context():
        engine = db.engine
    pooled = []

    def remember(dbapi_connection, _record):
        pooled.append(dbapi_connection)

    event.listen(engine, "checkin", remember)
    try:
        assert client.get("/products").status_code == 200
    finally:
        event.remove(engine, "checkin", remember)
    assert pooled
    cut(engine, pooled)

    # pool_pre_ping finds the dead connections on checkout and connects again: no request fails
    response = client.get("/products")
    assert response.status_code == 200 and "</html>" in response.get_data(as_text=True)
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_a_page_made_before_its_connection_is_cut_is_delivered(app, tmp_path):
    """The view's own connection dies after its queries (a restart in between): ending the session fails, the page stands."""
    other = create_app(make_config(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"]))

    @other.route("/_cut-after-query")
    def cut_after_query():
        regions = db.session.scalar(text("SELECT count(*) FROM region"))
        cut(db.engine, [db.session.connection().connection.driver_connection])
        return f"{regions} regions"

    response = other.test_client().get("/_cut-after-query")
    assert response.status_code == 200 and response.get_data(as_text=True) == "38 regions"
    with other.app_context():  # and the next request on the same pool works
        assert db.session.scalar(text("SELECT count(*) FROM region")) == 38
        db.engine.dispose()


def test_a_logged_in_user_gets_the_sites_error_page_while_the_database_is_away(app, client, auth, make_user):
    """With the database away, the error page cannot ask it for the account in the menu or the unread counts: it is
    shown as to a visitor, in the user's language, instead of gunicorn's bare "Internal Server Error"."""
    owner = make_user(Role.OWNER)
    assert auth.login(owner.email).status_code == 302
    with app.app_context():
        engine = db.engine

    def away(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("the database system is shutting down"))

    app.testing, app.config["PROPAGATE_EXCEPTIONS"] = False, False
    event.listen(engine, "before_cursor_execute", away)
    try:
        english, indonesian = client.get("/my/?lang=en"), client.get("/my/?lang=id")
    finally:
        event.remove(engine, "before_cursor_execute", away)
        app.testing, app.config["PROPAGATE_EXCEPTIONS"] = True, None
    for response, title, log_in in ((english, "Something went wrong", "Log in"), (indonesian, "Terjadi kesalahan", "Masuk")):
        page = response.get_data(as_text=True)
        assert response.status_code == 500 and "</html>" in page and f"<h1>{title}</h1>" in page
        assert f">{log_in}</a>" in page and "Internal Server Error" not in page
    # the database back: the same browser is still logged in
    assert client.get("/my/").status_code == 200
