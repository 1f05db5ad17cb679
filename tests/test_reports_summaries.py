"""The reports' summary tables (InquiryMonth, InquiryReplyMonth, DecisionWeek): kept by the inquiry and moderation
services in the same transaction, equal to what `flask reports-rebuild-summaries` counts from the source rows, exact
under concurrent inquiries on PostgreSQL, and the buckets of elapsed time the same in Python and in SQL."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import literal, select

from marketplace import counting
from marketplace.accounts.models import Role, User
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.inquiries import services as inquiries
from marketplace.inquiries.models import Inquiry, InquiryMonth, InquiryReplyMonth, InquiryStatus
from marketplace.models_base import UTCDateTime
from marketplace.moderation import services as moderation
from marketplace.moderation.models import DecisionWeek
from marketplace.regions.models import Region
from marketplace.reports import summaries
from marketplace.reports.figures import inquiries as inquiry_figures
from marketplace.reports.figures import moderation as moderation_figures
from marketplace.reports.figures.scope import region_scope
from marketplace.reports.period import Period
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS

LINKS = {"link": "/my/products", "inbox_url": "http://127.0.0.1/my/notifications"}
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
# elapsed time -> bucket (its upper bound in minutes): to the minute up to an hour, 15 minutes up to a day, the hour
# up to 60 days, the day beyond; a time on a bound is its own bucket
EDGES = [(timedelta(0), 0), (timedelta(seconds=59), 1), (timedelta(minutes=1), 1), (timedelta(seconds=61), 2),
         (timedelta(minutes=60), 60), (timedelta(minutes=61), 75), (timedelta(hours=2), 120),
         (timedelta(hours=2, seconds=1), 135), (timedelta(hours=24), 1440), (timedelta(hours=24, seconds=1), 1500),
         (timedelta(hours=72), 4320), (timedelta(days=60), 86400), (timedelta(days=60, seconds=1), 87840)]


def snapshot() -> dict:
    db.session.flush()
    return {model.__tablename__: sorted(tuple(row) for row in db.session.execute(select(*model.__table__.columns)))
            for model in (InquiryMonth, InquiryReplyMonth, DecisionWeek)}


@pytest.mark.parametrize(("elapsed", "expected"), EDGES)
def test_a_bucket_is_the_same_in_python_and_in_sql(app, elapsed, expected):
    later = START + elapsed
    assert counting.bucket(later, START) == expected
    sql = counting.bucket_sql(literal(later, UTCDateTime()), literal(START, UTCDateTime()))
    assert db.session.scalar(select(sql)) == expected


def _ask(product, buyer_region, buyer=None):
    return inquiries.send_inquiry(product, buyer=buyer, name="Budi", contact="6281234567890", quantity=2, message="Ada?",
                                  buyer_region_code=buyer_region, **INQUIRY_LINKS)


def test_services_keep_the_summaries_as_a_rebuild_counts_them(app, make_user, make_product, monkeypatch):
    seller = make_product(status="published")  # Kota Probolinggo; published by the factory: no decision recorded
    pending = [make_product(business=seller.business, status="pending", name=f"Batik {i}") for i in range(3)]
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    buyer = make_user(role=Role.BUYER, region="35.14")
    with unit_of_work():
        asked = [_ask(seller, "35.14", buyer)] + [_ask(seller, region) for region in ("35.14", "35.05", None)]
    later = datetime.now(UTC) + timedelta(hours=2, minutes=7)
    monkeypatch.setattr(inquiries, "utcnow", lambda: later)  # the owner answers 2 h 7 min after the inquiry
    owner = db.session.get(User, seller.business.owner_id)
    with unit_of_work():
        inquiries.reply(asked[0], owner, "Ada, silakan.", link="/my/inquiries", inbox_url="http://127.0.0.1/n")
        inquiries.reply(asked[0], owner, "Kirim besok.", link="/my/inquiries", inbox_url="http://127.0.0.1/n")  # not first
        inquiries.set_status(asked[2], InquiryStatus.REPLIED)
        inquiries.set_status(asked[2], InquiryStatus.CLOSED)
    with unit_of_work():
        for product, hours in zip(pending, (2, 26, 80), strict=True):
            product = db.session.get(Product, product.id)
            product.submitted_at = datetime.now(UTC) - timedelta(hours=hours, seconds=-30)  # the decision follows
            db.session.flush()
            action, reason = ("reject", "Foto buram") if hours == 80 else ("approve", "")
            moderation.decide_product(moderator, product, action, reason, **LINKS)
    kept = snapshot()
    month = counting.local_month(asked[0].created_at)
    assert [row for row in kept["inquiry_month"] if row[0] == "35.74"] == [
        ("35.74", month, "", 1, 0), ("35.74", month, "35.05", 1, 1), ("35.74", month, "35.14", 2, 1)]
    assert [row[2:] for row in kept["inquiry_reply_month"]] == [(135, 2)]  # 127 minutes: the bucket up to 135
    assert sorted((row[3], row[4]) for row in kept["decision_week"]) == [(120, 1), (1560, 1), (4800, 1)]
    with unit_of_work():
        summaries.rebuild()
    assert snapshot() == kept
    # the figures read the summaries: at once, without a rebuild
    period = Period.from_args({})
    found = inquiry_figures.received(region_scope(db.session.get(Region, "35.74")), period)
    assert [row[3:5] for row in found[0].rows] == [[2, 1], [1, 1], [1, 0]]
    assert [row[1] for row in found[1].rows] == [4, 75.0, 50.0, 2.2, 2.2]  # 135 minutes: 2.25 hours, shown 2.2
    latency = moderation_figures.latency(region_scope(db.session.get(Region, "35.74")), period)[0].rows
    assert sum(row[1] for row in latency) == 3


def test_the_rebuild_command_counts_the_summaries_again(app, runner, make_product):
    product = make_product(status="published")
    with unit_of_work():
        _ask(product, "35.14")
    kept = snapshot()
    db.session.execute(db.delete(InquiryMonth))  # a summary gone wrong
    db.session.commit()
    result = runner.invoke(args=["reports-rebuild-summaries"])
    assert result.exit_code == 0, result.output
    assert "inquiry_month: 1 rows" in result.output
    db.session.expire_all()
    assert snapshot() == kept


def test_concurrent_inquiries_are_all_counted(app, make_product, monkeypatch):
    """Each inquiry in its own connection and transaction, both adding to the same summary row at once: the second
    INSERT ... ON CONFLICT waits for the first to commit, then adds (a read-then-write would lose one)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time: the race needs PostgreSQL")
    product_id = make_product(status="published").id
    db.session.commit()
    senders = 4
    barrier, outcomes = threading.Barrier(senders), []
    real = counting.add

    def add_together(*args, **kwargs):
        barrier.wait(timeout=10)  # every inquiry is stored, none committed: now all count at once
        real(*args, **kwargs)

    monkeypatch.setattr(counting, "add", add_together)

    def send(i):
        with app.app_context():
            try:
                with unit_of_work():
                    _ask(db.session.get(Product, product_id), "35.14")
                outcomes.append("sent")
            except Exception as error:  # the test reports what failed
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == ["sent"] * senders
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Inquiry.id))) == senders
    assert db.session.execute(select(InquiryMonth.inquiries, InquiryMonth.answered)
                              .where(InquiryMonth.buyer_region_code == "35.14")).all() == [(senders, 0)]
