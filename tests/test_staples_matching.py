"""Matching offers and needs in the database: the acceptance cases of issue 17 and each rule on its own."""

from datetime import timedelta

import pytest

from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.staples import matching, posts
from marketplace.staples.models import PostKind
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.staples_helpers import content, published


@pytest.fixture
def corn(make_user, make_business):
    """Kopi Siaga's offer of 20 t/month of corn (35.74) and Berkah Telur's need of 10 t/month (35.05)."""
    seller = make_business(region="35.74", name="Kopi Siaga")
    buyer = make_business(region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20, min_lot=5, grade="ka15", price_min=4200, price_max=5000)
    need = published(make_user, buyer, PostKind.NEED, quantity=10, grade="ka17")
    return offer, need


def test_an_offer_of_20_t_matches_a_need_of_10_t_under_the_seed_agreement(corn):
    offer, need = corn
    found = matching.matches(today())
    assert [(m.offer.id, m.need.id) for m in found] == [(offer.id, need.id)]
    assert found[0].share == 1.0
    assert all(held for _rule, _label, held in matching.explain(offer.id, need.id, today()))


def test_the_same_need_from_a_region_without_a_staples_agreement_does_not_match(make_user, make_business, corn):
    offer, _need = corn
    malang = make_business(region="35.07", name="Koperasi Desa Merah Putih")
    need = published(make_user, malang, PostKind.NEED, quantity=10)
    assert need.id not in {m.need.id for m in matching.matches(today())}
    failed = [rule for rule, _label, held in matching.explain(offer.id, need.id, today()) if not held]
    assert failed == ["regions"]


def test_an_agreement_without_the_staples_scope_is_not_enough(make_user, make_business, corn):
    offer, need = corn
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
    with unit_of_work():
        agreement.scopes = [s for s in agreement.scopes if s.scope.value != "staples"]
        # the cooperatives' own trade agreement names the same two regions: drop it too
        db.session.delete(db.session.scalar(db.select(Agreement).where(Agreement.key == "trade-kopi-siaga-berkah-telur-2025")))
    assert not matching.matches(today())
    assert [r for r, _l, held in matching.explain(offer.id, need.id, today()) if not held] == ["regions"]


def test_an_expired_post_stops_matching(make_user, make_business, corn):
    offer, need = corn
    with unit_of_work():
        need.starts_on, need.ends_on = today() - timedelta(days=30), today() - timedelta(days=1)
        offer.starts_on = today() - timedelta(days=60)
    assert not matching.matches(today())
    assert [r for r, _l, held in matching.explain(offer.id, need.id, today()) if not held] == ["need_open"]
    assert matching.matches(today() - timedelta(days=2))  # the day before it ended, it did match


@pytest.mark.parametrize(("offer_fields", "need_fields", "rule"), [
    ({"grade": "ka17"}, {"grade": "ka15"}, "grade"),
    ({"min_lot": 15}, {"quantity": 10}, "lot"),
    ({"starts": 200}, {}, "window"),
    ({"price_min": 5500, "price_max": 6000}, {"price_min": 4000, "price_max": 5000}, "price"),
])
def test_each_rule_fails_alone(make_user, make_business, offer_fields, need_fields, rule):
    seller, buyer = make_business(region="35.74"), make_business(region="35.05")
    offer = published(make_user, seller, PostKind.OFFER, **{"quantity": 20, **offer_fields})
    need = published(make_user, buyer, PostKind.NEED, **{"quantity": 10, **need_fields})
    assert not matching.matches(today())
    assert [r for r, _l, held in matching.explain(offer.id, need.id, today()) if not held] == [rule]


def test_price_per_unit_is_compared_per_base_unit(make_user, make_business):
    """Rp 4.500.000 a tonne is Rp 4.500 a kilo: it meets a need paying up to Rp 4.600/kg."""
    offer = published(make_user, make_business(region="35.74"), PostKind.OFFER, price_min=4_500_000, unit="ton")
    published(make_user, make_business(region="35.05"), PostKind.NEED, unit="kg", quantity=10_000, price_min=4000,
              price_max=4600)
    assert [m.offer.id for m in matching.matches(today())] == [offer.id]


def test_weekly_needs_are_compared_per_month(make_user, make_business):
    """3 t a week is about 13 t a month: it reaches a 12 t minimum lot."""
    published(make_user, make_business(region="35.74"), PostKind.OFFER, quantity=20, min_lot=12)
    published(make_user, make_business(region="35.05"), PostKind.NEED, quantity=3, period=posts.Period.WEEK)
    assert len(matching.matches(today())) == 1


def test_many_to_many_and_ranked(make_user, make_business):
    seller_a, seller_b = make_business(region="35.74"), make_business(region="35.74")
    offer_a = published(make_user, seller_a, PostKind.OFFER, quantity=20)
    offer_b = published(make_user, seller_b, PostKind.OFFER, quantity=4)
    need_1 = published(make_user, make_business(region="35.05"), PostKind.NEED, quantity=10)
    need_2 = published(make_user, make_business(region="35.74"), PostKind.NEED, quantity=8)
    found = [(m.offer.id, m.need.id) for m in matching.matches(today())]
    assert set(found) == {(offer_a.id, need_1.id), (offer_a.id, need_2.id), (offer_b.id, need_1.id), (offer_b.id, need_2.id)}
    assert found[0] == (offer_a.id, need_1.id)  # the whole need covered, under an agreement
    assert found[-1] == (offer_b.id, need_1.id) or found[-1] == (offer_b.id, need_2.id)
    assert matching.count_matches(today()) == 4


def test_a_pending_post_does_not_match(make_user, make_business):
    published(make_user, make_business(region="35.74"), PostKind.OFFER)
    with unit_of_work():
        posts.create_post(make_business(region="35.05"), PostKind.NEED, content(quantity=10))
    assert not matching.matches(today())


def test_the_demo_trade_matches_as_the_design_says(make_user):
    """seed-demo: corn Probolinggo -> Blitar and eggs Blitar -> Probolinggo match; the village cooperative in Kabupaten
    Malang, with no staples agreement with Blitar, matches nothing; the deal has two confirmed deliveries."""
    from marketplace.accounts.models import Role
    from marketplace.demo.staples import seed_staples
    from marketplace.staples.models import Deal

    for region in ("35.74", "35.05"):
        make_user(role=Role.MODERATOR, region=region)
    with unit_of_work():
        seed_staples("demo-umkm-2025")
        seed_staples("demo-umkm-2025")  # again: nothing twice
    pairs = {(m.offer.business.slug, m.need.business.slug, m.offer.commodity.code) for m in matching.matches(today())}
    assert pairs == {("kopi-siaga", "koperasi-berkah-telur", "jagung-pipilan-kering"),
                     ("koperasi-berkah-telur", "kopi-siaga", "telur-ayam-ras")}
    deal = db.session.scalar(db.select(Deal))
    assert deal.volume - deal.remaining == 30_000 and len(deal.deliveries) == 2
