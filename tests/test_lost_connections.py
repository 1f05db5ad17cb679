"""Database connections cut by a restart: the pool replaces them, and a page made before the cut is still delivered.

On PostgreSQL the server really ends the connections (pg_terminate_backend), as a restart does; SQLite has no server,
so there the driver connections are closed underneath SQLAlchemy, which is what a lost connection looks like to it."""

from sqlalchemy import create_engine, event, text

from marketplace import create_app
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
