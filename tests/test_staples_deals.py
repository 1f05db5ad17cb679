"""Deals and deliveries: both sides confirm, deliveries draw the remaining quantity down and can never exceed it (a
database guarantee: also for two deliveries logged at the same moment, each on its own connection)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from marketplace.domain import AlreadyDecided, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.staples import deals
from marketplace.staples.models import Deal, DealStatus, DeliveryStatus, DeliveryTerms, PostKind, Transport
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.staples_helpers import published


@pytest.fixture
def deal(make_user, make_business):
    """An active deal of 20,000 kg of corn from Kota Probolinggo to Kabupaten Blitar."""
    seller = make_business(region="35.74", name="Kopi Siaga")
    buyer = make_business(region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20)
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    with unit_of_work():
        made = deals.propose_deal(seller.owner, {seller.id}, offer, need, volume=20_000, unit_price=4500,
                                  starts_on=today(), ends_on=today() + timedelta(days=60),
                                  delivery_terms=DeliveryTerms.FRANCO, transport_by=Transport.SELLER, on=today())
    assert made.status is DealStatus.PROPOSED
    with unit_of_work():
        deals.confirm_deal(buyer.owner, {buyer.id}, made)
    assert made.status is DealStatus.ACTIVE
    return made


def _log(deal, side, quantity):
    business = deal.seller if side == "seller" else deal.buyer
    return deals.log_delivery(business.owner, {business.id}, deal, delivered_on=today(), quantity=quantity,
                              quality="kadar air 14,5 %", received_by="Pak Sutrisno")


def test_the_proposer_cannot_confirm_their_own_deal(make_user, make_business):
    seller, buyer = make_business(region="35.74"), make_business(region="35.05")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20)
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    with unit_of_work():
        made = deals.propose_deal(buyer.owner, {buyer.id}, offer, need, volume=10_000, unit_price=4500,
                                  starts_on=today(), ends_on=today(), delivery_terms=DeliveryTerms.LOCO,
                                  transport_by=Transport.BUYER, on=today())
    with pytest.raises(deals.DealRefused), unit_of_work():
        deals.confirm_deal(buyer.owner, {buyer.id}, made)
    with pytest.raises(OutsideRegion), unit_of_work():
        deals.confirm_deal(make_business(region="35.05").owner, {-1}, made)


def test_no_deal_from_posts_that_do_not_match(make_user, make_business):
    seller, buyer = make_business(region="35.74"), make_business(region="35.07")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20)
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    with pytest.raises(deals.DealRefused), unit_of_work():
        deals.propose_deal(seller.owner, {seller.id}, offer, need, volume=10_000, unit_price=4500, starts_on=today(),
                           ends_on=today(), delivery_terms=DeliveryTerms.LOCO, transport_by=Transport.BUYER, on=today())


def test_deliveries_draw_down_and_both_sides_confirm(deal):
    with unit_of_work():
        first = _log(deal, "seller", 8_000)
    assert deal.remaining == 12_000 and first.status is DeliveryStatus.LOGGED and first.seller_confirmed
    with pytest.raises(AlreadyDecided), unit_of_work():
        deals.confirm_delivery(deal.seller.owner, {deal.seller_id}, first)  # the logging side has confirmed already
    with unit_of_work():
        deals.confirm_delivery(deal.buyer.owner, {deal.buyer_id}, first)
    assert first.status is DeliveryStatus.CONFIRMED
    with unit_of_work():
        second = _log(deal, "buyer", 12_000)
        deals.confirm_delivery(deal.seller.owner, {deal.seller_id}, second)
    assert deal.remaining == 0 and deal.status is DealStatus.COMPLETED


def test_a_delivery_cannot_exceed_what_remains(deal):
    with unit_of_work():
        _log(deal, "seller", 15_000)
    with pytest.raises(deals.ExceedsRemaining), unit_of_work():
        _log(deal, "seller", 5_001)
    db.session.refresh(deal)
    assert deal.remaining == 5_000 and len(deal.deliveries) == 1


def test_the_database_refuses_a_remaining_below_zero(deal):
    """The CHECK constraint, whatever code would write."""
    with pytest.raises(IntegrityError):
        db.session.execute(db.update(Deal).where(Deal.id == deal.id).values(remaining=-1))
        db.session.flush()
    db.session.rollback()


def test_a_disputed_delivery_gives_its_quantity_back(deal):
    with unit_of_work():
        delivery = _log(deal, "seller", 5_000)
    with pytest.raises(ReasonRequired), unit_of_work():
        deals.dispute_delivery(deal.buyer.owner, {deal.buyer_id}, delivery, " ")
    with unit_of_work():
        deals.dispute_delivery(deal.buyer.owner, {deal.buyer_id}, delivery, "Kadar air 19 %, ditolak")
    assert deal.remaining == 20_000 and delivery.status is DeliveryStatus.DISPUTED


def test_closing_early_needs_a_reason_and_stops_deliveries(deal):
    with pytest.raises(ReasonRequired), unit_of_work():
        deals.close_deal(deal.buyer.owner, {deal.buyer_id}, deal, "")
    with unit_of_work():
        deals.close_deal(deal.buyer.owner, {deal.buyer_id}, deal, "Gudang penuh sampai panen berikutnya")
    assert deal.status is DealStatus.CLOSED
    with pytest.raises(deals.DealRefused), unit_of_work():
        _log(deal, "seller", 1_000)


def test_two_deliveries_at_the_same_moment_never_exceed_the_volume(app, deal):
    """Two threads, each with its own app context, session and connection, log 12 t each against 20 t: one wins, the
    other is refused, and the database never holds more delivered than the volume."""
    deal_id, seller_id, owner_id = deal.id, deal.seller_id, deal.seller.owner_id
    db.session.commit()
    barrier, outcomes = threading.Barrier(2), []

    def deliver():
        with app.app_context():
            from marketplace.accounts.models import User

            owner = db.session.get(User, owner_id)
            mine = db.session.get(Deal, deal_id)
            barrier.wait()
            try:
                with unit_of_work():
                    deals.log_delivery(owner, {seller_id}, mine, delivered_on=today(), quantity=12_000, quality="",
                                       received_by="Gudang")
                outcomes.append("logged")
            except deals.ExceedsRemaining:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["logged", "refused"]
    db.session.expire_all()
    fresh = db.session.get(Deal, deal_id)
    assert fresh.remaining == 8_000 and sum(d.quantity for d in fresh.deliveries) == 12_000
