"""Purchases waiting for their seller longer than the programme's flag_after_days are told to the region's DKUPP
moderators once (fixed clock): a second run tells nothing more, a confirmed purchase is never told of, and a
moderator of another region hears nothing."""

from datetime import UTC, datetime, timedelta

from marketplace.accounts.models import Role
from marketplace.belabeli import flags
from marketplace.belabeli.models import Purchase
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work
from tests.belabeli_helpers import confirm, log, make_site

NOW = datetime(2026, 3, 20, 2, 0, tzinfo=UTC)


def _age(purchase, days):
    with unit_of_work():
        db.session.get(Purchase, purchase.id).created_at = NOW - timedelta(days=days)


def _told(user) -> list[Notification]:
    return list(db.session.scalars(db.select(Notification).where(Notification.user_id == user.id,
                                                                 Notification.kind == "purchase.flag")))


def test_waiting_purchases_are_told_to_the_regions_dkupp_once(app, make_user, make_business):
    site = make_site(make_user, make_business)
    second = make_user(role=Role.MODERATOR, region="35.13", email="dkupp2@example.id")
    other = make_user(role=Role.MODERATOR, region="35.74", email="dkupp.kota@example.id")
    old, older, fresh, confirmed = (log(site, amount) for amount in (10_000, 20_000, 30_000, 40_000))
    for purchase, days in ((old, 8), (older, 12), (fresh, 6), (confirmed, 9)):
        _age(purchase, days)
    confirm(site, confirmed)

    with app.test_request_context("/"), unit_of_work():
        assert flags.flag_waiting_purchases(NOW) == 2
    for moderator in (site.moderator, second):
        told = _told(moderator)
        assert len(told) == 1 and told[0].params["n"] == 2 and told[0].params["days"] == 7
    assert _told(other) == []
    assert {p.id for p in db.session.scalars(db.select(Purchase).where(Purchase.flagged_at.is_not(None)))} == {
        old.id, older.id}

    with app.test_request_context("/"), unit_of_work():  # the job run again: nothing new to tell
        assert flags.flag_waiting_purchases(NOW) == 0
    assert [len(_told(m)) for m in (site.moderator, second)] == [1, 1]
    with app.test_request_context("/"), unit_of_work():  # two days on, the fresh one has waited too long too
        assert flags.flag_waiting_purchases(NOW + timedelta(days=2)) == 1
    assert [len(_told(m)) for m in (site.moderator, second)] == [2, 2]
    assert _told(site.moderator)[-1].params["n"] == 1


def test_the_claim_is_a_conditional_update(app, make_user, make_business):
    site = make_site(make_user, make_business)
    purchase = log(site, 10_000)
    with unit_of_work():
        assert flags._claim(purchase.id, NOW) is True
        assert flags._claim(purchase.id, NOW) is False  # told once, whoever claims again
