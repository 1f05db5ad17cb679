"""Fulfilment: an office's month is the sum of its CONFIRMED purchases against headcount × band minimum, computed in
grouped SQL; unconfirmed and disputed purchases never count; a purchase is confirmed once (conditional UPDATE)."""

import threading

import pytest

from marketplace.belabeli import fulfilment, purchases
from marketplace.belabeli.models import Purchase, PurchaseStatus, RankBand
from marketplace.belabeli.queries import month_of
from marketplace.domain import AlreadyDecided, OutsideRegion
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.belabeli_helpers import LINKS, TARGET, confirm, log, make_site


@pytest.fixture
def site(app, make_user, make_business):
    return make_site(make_user, make_business)


def rows(site):
    return {row.office: row for row in fulfilment.by_office(site.programme, month_of(today()))}


def test_fulfilment_is_the_sum_of_confirmed_purchases_against_the_band_minimums(site, make_business):
    second = make_business(region="35.13", name="Bordir Tengger")
    confirm(site, log(site, 120_000))
    confirm(site, log(site, 80_000, business=second, band=RankBand.HEAD), business=second)
    log(site, 500_000)  # not confirmed: does not count
    disputed = log(site, 70_000)
    with unit_of_work():
        purchases.dispute_purchase(site.seller.owner, db.session.get(Purchase, disputed.id), "Tidak ada transaksi", LINKS)
    confirm(site, log(site, 30_000, office=site.other_office))

    row = rows(site)["Kecamatan Sukapura"]
    assert row.target == TARGET == 800_000
    assert row.headcount == 13
    assert row.confirmed == 120_000 + 80_000
    assert row.share == pytest.approx(200_000 / 800_000)
    assert not row.met
    other = rows(site)["Dinas Pariwisata"]
    assert (other.target, other.confirmed) == (4 * 50_000, 30_000)

    by_band = {(r.office, r.band): r for r in fulfilment.by_office_and_band(site.programme, month_of(today()))}
    assert by_band[("Kecamatan Sukapura", RankBand.STAFF)].confirmed == 120_000
    assert by_band[("Kecamatan Sukapura", RankBand.STAFF)].target == 500_000
    assert by_band[("Kecamatan Sukapura", RankBand.HEAD)].confirmed == 80_000
    assert by_band[("Kecamatan Sukapura", RankBand.ESELON_II)].target == 0


def test_an_office_meeting_its_target_is_counted_publicly(site):
    confirm(site, log(site, TARGET))
    month = fulfilment.public_months(site.programme)[0]
    assert month == {"month": month_of(today()), "total": TARGET, "sellers": 1, "offices_met": 1}


def test_the_seller_is_told_and_a_purchase_is_confirmed_once(site):
    purchase = log(site, 50_000)
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == site.seller.owner_id))
    assert note.kind == "purchase.log"
    confirm(site, purchase)
    with pytest.raises(AlreadyDecided), unit_of_work():
        purchases.dispute_purchase(site.seller.owner, db.session.get(Purchase, purchase.id), "salah", LINKS)
    assert db.session.get(Purchase, purchase.id).status is PurchaseStatus.CONFIRMED


def test_only_the_named_seller_confirms(site, make_business):
    purchase = log(site, 50_000)
    stranger = make_business(region="35.13", name="Usaha Lain")
    with pytest.raises(OutsideRegion), unit_of_work():
        purchases.confirm_purchase(stranger.owner, db.session.get(Purchase, purchase.id))


def test_a_seller_outside_the_region_or_unverified_is_refused(site, make_business):
    for business in (make_business(region="35.74", name="Batik Kota"),
                     make_business(region="35.13", name="Belum Terverifikasi", verified=False)):
        with pytest.raises(purchases.BelaBeliRefused):
            log(site, 50_000, business=business)
    assert db.session.scalar(db.select(db.func.count(Purchase.id))) == 0


def test_sellers_most_least_and_none(site, make_business):
    quiet = make_business(region="35.13", name="Anyaman Pandan")
    small = make_business(region="35.13", name="Kopi Tengger")
    confirm(site, log(site, 200_000))
    confirm(site, log(site, 20_000, business=small), business=small)
    figures = fulfilment.sellers(site.programme, month_of(today()))
    assert [s.name for s in figures["most"]][0] == "Keripik Kentang Bromo"
    assert [s.name for s in figures["least"]][0] == "Kopi Tengger"
    assert [s.name for s in figures["none"]] == [quiet.name]


def test_fulfilment_takes_a_fixed_number_of_queries(site, make_business):
    from sqlalchemy import event

    for amount in (10_000, 20_000, 30_000, 40_000):
        confirm(site, log(site, amount))
    programme = db.session.merge(site.programme)
    assert programme.id  # loaded before counting
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fulfilment.by_office(programme, month_of(today()))
        fulfilment.by_office_and_band(programme, month_of(today()))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 2


def test_two_confirmations_at_the_same_moment_confirm_once(app, site):
    """PostgreSQL and SQLite alike: the conditional UPDATE lets exactly one of two sessions move the purchase."""
    purchase = log(site, 50_000)
    owner_id, purchase_id = site.seller.owner_id, purchase.id
    results, barrier = [], threading.Barrier(2)

    def attempt():
        with app.app_context():
            from marketplace.accounts.models import User
            try:
                barrier.wait()
                with unit_of_work():
                    purchases.confirm_purchase(db.session.get(User, owner_id), db.session.get(Purchase, purchase_id))
                results.append("ok")
            except AlreadyDecided:
                results.append("lost")
            except Exception as error:  # SQLite's lock: the second writer waits or fails, never both succeed
                results.append(type(error).__name__)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1
    audit = db.session.scalar(db.text("select count(*) from audit_entry where action = 'bela_beli.purchase_confirm'"))
    assert audit == 1
