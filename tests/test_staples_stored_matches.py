"""The stored table of current matches: kept equal to the live matching query in the same transaction as every change
that decides a match (approval, an approved edit, withdrawal, a business's verification, an agreement), read with the
windows' end so an expired post stops matching at once, pruned by the nightly job, rebuilt by a command; the pages
that list matches read it with a query count that does not grow with the matches."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from marketplace.accounts.models import Role
from marketplace.businesses.models import Verification
from marketplace.businesses.services import set_verification
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.staples import match_store, matching, posts
from marketplace.staples.match_models import StaplesMatch
from marketplace.staples.models import PostKind
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.staples_helpers import content, published


def stored() -> set[tuple[int, int]]:
    return {(m.offer_id, m.need_id) for m in db.session.scalars(db.select(StaplesMatch))}


def live() -> set[tuple[int, int]]:
    return {(m.offer.id, m.need.id) for m in matching.matches(today(), limit=None)}


@pytest.fixture
def corn(make_user, make_business):
    seller = make_business(region="35.74", name="Kopi Siaga")
    buyer = make_business(region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20, min_lot=5, grade="ka15", price_min=4200,
                      price_max=5000)
    need = published(make_user, buyer, PostKind.NEED, quantity=10, grade="ka17")
    return offer, need


def test_an_approved_post_is_stored_with_its_matches_in_the_same_transaction(corn):
    offer, need = corn
    assert stored() == live() == {(offer.id, need.id)}
    row = db.session.get(StaplesMatch, (offer.id, need.id))
    assert (row.offer_business_id, row.need_business_id) == (offer.business_id, need.business_id)
    assert (row.offer_region_code, row.need_region_code) == ("35.74", "35.05")
    assert row.ends_on == min(offer.ends_on, need.ends_on) and row.share == 1.0


def test_a_post_waiting_for_review_has_no_stored_match(make_user, make_business, corn):
    buyer = make_business(region="35.05", name="Peternak Lain")
    with unit_of_work():
        posts.create_post(buyer, PostKind.NEED, content(quantity=10))
    assert len(stored()) == 1 and stored() == live()


def test_a_withdrawn_post_loses_its_matches(corn):
    offer, _need = corn
    with unit_of_work():
        posts.withdraw_post(offer)
    assert stored() == live() == set()


def test_an_edit_counts_once_approved(make_user, corn):
    offer, need = corn
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    with unit_of_work():
        posts.update_post(offer, content(quantity=20, min_lot=15, grade="ka15"))  # the need's 10 t no longer reach the lot
    assert stored() == {(offer.id, need.id)}  # the approved version still stands
    with unit_of_work():
        posts.review_post(moderator, offer, "approve")
    assert stored() == live() == set()


def test_a_suspended_business_takes_its_matches_away_and_back(corn):
    _offer, need = corn
    with unit_of_work():
        set_verification(need.business, Verification.SUSPENDED)
    assert stored() == live() == set()
    with unit_of_work():
        set_verification(need.business, Verification.VERIFIED)
    assert stored() == live() and len(stored()) == 1


def test_an_agreement_that_loses_its_staples_scope_ends_the_regions_matches(corn):
    with unit_of_work():
        agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
        agreement.scopes = [s for s in agreement.scopes if s.scope.value != "staples"]
        db.session.delete(db.session.scalar(db.select(Agreement).where(Agreement.key == "trade-kopi-siaga-berkah-telur-2025")))
    assert stored() == live() == set()


def test_an_expired_post_stops_matching_at_once_and_the_nightly_job_prunes_it(make_user, client, auth, corn):
    offer, need = corn
    tomorrow = today() + timedelta(days=1)
    with unit_of_work():
        need.starts_on, need.ends_on = today() - timedelta(days=30), today()
    assert [(m.offer.id, m.need.id) for m in match_store.stored_matches(today())] == [(offer.id, need.id)]
    assert match_store.stored_matches(tomorrow) == []  # read with the windows' end: no write needed on the day
    with unit_of_work():
        assert match_store.prune(on=tomorrow) == 1
    assert stored() == set()


def test_the_rebuild_command_makes_the_same_table(app, make_user, make_business, corn):
    for region in ("35.74", "35.05", "35.07"):
        published(make_user, make_business(region=region, name=f"Koperasi {region}"), PostKind.NEED, quantity=8)
    incremental = stored()
    assert incremental == live() and len(incremental) == 3  # the need of 35.07 matches nothing (no agreement)
    with unit_of_work():
        db.session.execute(db.delete(StaplesMatch))
    result = app.test_cli_runner().invoke(args=["staples-rebuild-matches"])
    assert result.exit_code == 0 and "Stored 3 current staples matches" in result.output
    assert stored() == incremental


# --- the pages read the table, with a query count that does not grow ----------------------------------------------

def _statements(client, path) -> int:
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
        assert response.status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_match_lists_query_count_does_not_grow_with_the_matches(app, client, auth, make_user, make_business):
    from tests.test_talk_threads import login

    seller = make_business(region="35.74", name="Kopi Siaga")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id")
    published(make_user, seller, PostKind.OFFER, quantity=20)

    def needs(n, start):
        for i in range(start, start + n):
            published(make_user, make_business(region="35.05", name=f"Peternak {i}"), PostKind.NEED, quantity=5 + i)

    needs(2, 0)
    as_owner, as_staff = login(app, seller.owner.email), login(app, moderator.email)
    few = _statements(as_owner, "/my/staples"), _statements(as_staff, "/moderation/staples")
    needs(4, 2)
    assert len(match_store.stored_matches(today(), region_code="35.74")) == 6
    assert (_statements(as_owner, "/my/staples"), _statements(as_staff, "/moderation/staples")) == few
    page = as_staff.get("/moderation/staples").get_data(as_text=True)
    assert page.count('href="/moderation/staples/pairs?offer=') == 6
