"""Counters that every request of a public page adds to (a showcase's or an event's views) are added as the request
commits (counting.add_at_commit): their row is locked for the commit only, never while the page renders."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from marketplace import counting
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.showcases import services
from marketplace.showcases.models import ShowcaseReach
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work

DAY = date(2026, 11, 24)


@pytest.fixture
def showcase(app, make_user):
    host = make_user(role=Role.MODERATOR, region="35.74", email="tuan.rumah.hitung@example.id")
    with unit_of_work():
        mou = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
        return services.create_showcase(host, agreement=mou, host_region_code="35.74", title="Etalase Hitung",
                                        on=today(), published=True, starts_on=today() - timedelta(days=1))


def views(showcase_id: int, day: date) -> int | None:
    db.session.expire_all()
    return db.session.scalar(db.select(ShowcaseReach.count).where(ShowcaseReach.showcase_id == showcase_id,
                                                                   ShowcaseReach.product_id == 0, ShowcaseReach.day == day))


def statements_of(block) -> list[str]:
    statements = []
    listener = lambda _conn, _cursor, statement, *_args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        block()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return statements


def test_a_count_is_added_when_the_transaction_commits_and_not_when_it_rolls_back(app, showcase):
    counting.add_at_commit(ShowcaseReach, {"showcase_id": showcase.id, "product_id": 0, "day": DAY}, count=1)
    assert db.session.scalar(db.select(db.func.count(ShowcaseReach.id))) == 0  # nothing yet, not even flushed
    db.session.commit()
    assert views(showcase.id, DAY) == 1
    with pytest.raises(RuntimeError), unit_of_work():
        counting.add_at_commit(ShowcaseReach, {"showcase_id": showcase.id, "product_id": 0, "day": DAY}, count=1)
        raise RuntimeError("the request failed")
    db.session.commit()  # the next transaction does not add the rolled-back count
    assert views(showcase.id, DAY) == 1


def test_a_showcase_page_adds_its_view_as_the_last_statement_before_the_commit(client, showcase):
    statements = statements_of(lambda: client.get(f"/showcases/{showcase.slug}"))
    assert "INSERT INTO showcase_reach" in statements[-1] and "ON CONFLICT" in statements[-1]
    assert sum("showcase_reach" in s for s in statements) == 1
    assert views(showcase.id, today()) == 1


def test_an_event_page_adds_its_view_as_the_last_statement_before_the_commit(client, app, make_user):
    from tests.events_helpers import make_event

    published = make_event(make_user)
    statements = statements_of(lambda: client.get(f"/events/{published.slug}"))
    assert "INSERT INTO event_reach" in statements[-1] and "ON CONFLICT" in statements[-1]


def test_views_counted_at_once_are_all_counted(app, showcase):
    """Each view in its own connection and transaction, all committing at once: every one counts."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time: the race needs PostgreSQL")
    showcase_id = showcase.id
    readers = 6
    barrier, outcomes = threading.Barrier(readers), []

    def view():
        with app.app_context():
            try:
                with unit_of_work():
                    services.count_reach(showcase_id, 0, DAY)
                    barrier.wait(timeout=10)  # every view counted, none committed: now all commit at once
                outcomes.append("counted")
            except Exception as error:  # the test reports what failed
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=view) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == ["counted"] * readers
    assert views(showcase_id, DAY) == readers



def test_only_a_transaction_that_just_counts_skips_waiting_for_the_disk(app, client, showcase, make_product):
    """PostgreSQL: a page view's commit does not wait for the WAL flush; a transaction that also wrote anything
    else commits as usual."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    viewed = statements_of(lambda: client.get(f"/showcases/{showcase.slug}"))
    assert "SET LOCAL synchronous_commit TO OFF" in viewed
    product = make_product(status="published")

    def count_and_edit():
        with unit_of_work():
            services.count_reach(showcase.id, 0, DAY)
            db.session.get(type(product), product.id).name = "Batik Diubah Sambil Dihitung"

    assert not any("synchronous_commit" in s for s in statements_of(count_and_edit))
    assert views(showcase.id, DAY) == 1
