"""The stored table of current matches (`staple_match`), so `/my/staples` and `/moderation/staples` read a few indexed
rows instead of running the matching query over every offer and need on each request.

Kept in step in the same transaction as the change, whoever makes it (a service, the demo, an admin page of another
feature), by one flush hook, the way catalog/visibility.py keeps products' visibility:
- a post added, changed (approved, edited and approved, withdrawn, its window moved) or deleted: `refresh_posts`
  deletes that post's pairs and inserts the pairs it makes now, with the very query of staples/matching.py limited to
  that post (one INSERT ... SELECT, a few ms at 5,000 x 5,000);
- a business whose verification or region changes: `refresh_businesses` does the same for its posts;
- an agreement, its parties or scopes, or a commodity grade's rank changes: the job `staples_rebuild_matches`, queued
  once the change commits, rebuilds the table (rare admin changes that may change any pair; a rebuild takes seconds at
  5,000 x 5,000, too long for the admin's request). Until it has run, the lists may miss or still show a pair of the
  regions concerned; what decides (a deal, the match page) checks its pair live, so nothing wrong can be done.
Expiry needs no write: a row keeps the earlier end of the two windows and is read with `ends_on >= today`; the
nightly job `prune_expired_matches` then deletes such rows. `flask staples-rebuild-matches` rebuilds the whole table
(after a bulk import or a restore). The "why not" page and deals still evaluate the rules live for their one pair."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from huey import crontab
from sqlalchemy import and_, case, delete, event, func, insert, inspect, literal, or_, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from marketplace.businesses.models import Business
from marketplace.extensions import db
from marketplace.jobs import job, jobs, periodic
from marketplace.regions.models import Agreement, AgreementParty, AgreementScope, Region
from marketplace.staples.match_models import StaplesMatch
from marketplace.staples.matching import _candidates, _score
from marketplace.staples.models import Commodity, CommodityGrade, PostKind, StaplesPost
from marketplace.timeutil import today
from marketplace.unit_of_work import after_commit


@functools.cache
def _aliases() -> tuple:
    """The list query's aliases, made once (after every model is mapped): making aliases and their column collections
    on every call cost more than the query."""
    return (aliased(StaplesPost, name="offer"), aliased(StaplesPost, name="need"), aliased(Business, name="seller"),
            aliased(Business, name="buyer"), aliased(Region, name="offer_region"), aliased(Region, name="need_region"))


PENDING = "staples_match_pending"
REBUILD_QUEUED = "staples_match_rebuild_queued"
REBUILD_ON = (Agreement, AgreementParty, AgreementScope, CommodityGrade)
COLUMNS = ("offer_id", "need_id", "offer_business_id", "need_business_id", "offer_region_code", "need_region_code",
           "ends_on", "score", "share")


@dataclass(frozen=True)
class Party:
    """What a list shows of a business: its name."""

    name: str


@dataclass(frozen=True)
class Side:
    """What a list shows of one post of a stored match (not the whole post: a list of 200 pairs stays cheap)."""

    id: int
    commodity: Commodity
    business: Party
    region: Region


@dataclass(frozen=True)
class Match:
    """A stored match as the lists show it."""

    offer: Side
    need: Side
    score: float
    share: float


def _pair_columns(offer, need):
    score, share = _score(offer, need)
    return (offer.id, need.id, offer.business_id, need.business_id, offer.region_code, need.region_code,
            case((offer.ends_on < need.ends_on, offer.ends_on), else_=need.ends_on), score, share)


def _insert(connection: Connection, on: date, offer_filter=(), need_filter=()) -> None:
    stmt, _offer, _need = _candidates(on, _pair_columns, offer_filter=offer_filter, need_filter=need_filter)
    connection.execute(insert(StaplesMatch.__table__).from_select(COLUMNS, stmt))


def refresh_posts(connection: Connection, post_ids: set[int], on: date | None = None) -> None:
    """The pairs of these posts, as they match now (a post that no longer matches: no pair left). Offers are paired
    against the needs and needs against the offers, each side on its own so the query starts from the few posts
    given (an approval: one offer against the needs of the regions it may trade with)."""
    if not post_ids:
        return
    on = on or today()
    ids = sorted(post_ids)
    table = StaplesMatch.__table__
    connection.execute(delete(table).where(or_(table.c.offer_id.in_(ids), table.c.need_id.in_(ids))))
    kinds = dict(connection.execute(select(StaplesPost.id, StaplesPost.kind).where(StaplesPost.id.in_(ids))).all())
    offers = [i for i, kind in kinds.items() if PostKind(kind) is PostKind.OFFER]
    needs = [i for i, kind in kinds.items() if PostKind(kind) is PostKind.NEED]
    if offers:
        _insert(connection, on, offer_filter=[StaplesPost.id.in_(offers)])
    if needs:  # a pair of an offer and a need both given was inserted above
        _insert(connection, on, need_filter=[StaplesPost.id.in_(needs)],
                offer_filter=[StaplesPost.id.not_in(offers)] if offers else ())


def refresh_businesses(connection: Connection, business_ids: set[int], on: date | None = None) -> None:
    """The pairs of every post of these businesses (their verification or region changed)."""
    if business_ids:
        refresh_posts(connection, set(connection.scalars(
            select(StaplesPost.id).where(StaplesPost.business_id.in_(sorted(business_ids))))), on)


def rebuild(connection: Connection | None = None, on: date | None = None) -> int:
    """The whole table from scratch; returns how many pairs match."""
    connection = connection or db.session.connection()
    connection.execute(delete(StaplesMatch.__table__))
    _insert(connection, on or today())
    # counted, not the INSERT's rowcount: psycopg reports -1 for an INSERT ... SELECT through SQLAlchemy
    return connection.scalar(select(func.count()).select_from(StaplesMatch.__table__))


def prune(connection: Connection | None = None, on: date | None = None) -> int:
    """Delete the pairs of which one post's window has ended; returns how many."""
    connection = connection or db.session.connection()
    table = StaplesMatch.__table__
    return connection.execute(delete(table).where(table.c.ends_on < (on or today()))).rowcount


@job(retries=2, retry_delay=60)
def staples_rebuild_matches() -> None:
    """The whole table again, after a change that can change any pair (an agreement, a grade's rank)."""
    rebuild()


@periodic(crontab(minute="10", hour="17"))  # 00:10 in Jakarta: the pairs of posts whose window ended yesterday
def prune_expired_matches() -> None:
    prune()


# --- reading ---------------------------------------------------------------------------------------------------------

def stored_matches(on: date, *, business_ids: set[int] | None = None, region_code: str | None = None,
                   limit: int = 200) -> list[Match]:
    """The current matches, best first: of the given businesses (either side) or of a region (either side). One query:
    the best `limit` pairs are chosen on the narrow table first, each side on its own index in score order (the
    offer's side, then the need's side without the pairs already counted: UNION ALL), and only those pairs are joined
    to what the lists show of both posts: the commodity, the businesses' names and the regions (not whole posts and
    businesses: loading 400 of each was most of the time)."""
    columns = (StaplesMatch.offer_id, StaplesMatch.need_id, StaplesMatch.score, StaplesMatch.share)
    if business_ids is not None:
        ids = sorted(business_ids)
        sides = (StaplesMatch.offer_business_id.in_(ids),
                 and_(StaplesMatch.need_business_id.in_(ids), StaplesMatch.offer_business_id.not_in(ids)))
    elif region_code is not None:
        sides = (StaplesMatch.offer_region_code == region_code,
                 and_(StaplesMatch.need_region_code == region_code, StaplesMatch.offer_region_code != region_code))
    else:
        sides = (literal(True),)
    top = union_all(*(select(select(*columns).where(StaplesMatch.ends_on >= on, side)
                             .order_by(StaplesMatch.score.desc()).limit(limit).subquery()) for side in sides)
                    ).subquery("top")
    offer, need, seller, buyer, offer_region, need_region = _aliases()
    stmt = (select(top.c.offer_id, top.c.need_id, top.c.score, top.c.share, Commodity, offer_region, need_region,
                   seller.name, buyer.name)
            .select_from(top)
            .join(offer, offer.id == top.c.offer_id).join(need, need.id == top.c.need_id)
            .join(Commodity, Commodity.id == offer.commodity_id)
            .join(offer_region, offer_region.code == offer.region_code)
            .join(need_region, need_region.code == need.region_code)
            .join(seller, seller.id == offer.business_id)
            .join(buyer, buyer.id == need.business_id)
            .order_by(top.c.score.desc(), top.c.offer_id, top.c.need_id).limit(limit))
    return [Match(Side(offer_id, commodity, Party(seller_name), from_region),
                  Side(need_id, commodity, Party(buyer_name), to_region), float(score), float(share))
            for offer_id, need_id, score, share, commodity, from_region, to_region, seller_name, buyer_name
            in db.session.execute(stmt).all()]


# --- the flush hook --------------------------------------------------------------------------------------------------

def _changed(session: Session, obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _context, _instances) -> None:
    """Note what this flush changes that matching reads (the rows are refreshed once it has been written)."""
    pending = session.info.setdefault(PENDING, {"posts": [], "businesses": set()})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, StaplesPost) and (obj in session.new or obj in session.deleted or session.is_modified(obj)):
            pending["posts"].append(obj)
        elif isinstance(obj, Business) and obj.id is not None and obj not in session.new and (
                obj in session.deleted or _changed(session, obj, "verification", "region_code")):
            pending["businesses"].add(obj.id)
        elif isinstance(obj, REBUILD_ON) and not session.info.get(REBUILD_QUEUED) and (
                obj in session.new or obj in session.deleted or (
                    session.is_modified(obj) and not isinstance(obj, CommodityGrade)) or (
                    isinstance(obj, CommodityGrade) and obj.id is not None and _changed(session, obj, "rank"))):
            # any pair may change, and a rebuild is seconds at 5,000 x 5,000: the job does it once this commits
            session.info[REBUILD_QUEUED] = True
            after_commit(lambda: jobs().staples_rebuild_matches())


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session: Session, _context) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending or not (pending["posts"] or pending["businesses"]):
        return
    connection = session.connection()
    post_ids = {inspect(post).identity[0] for post in pending["posts"] if inspect(post).identity}
    refresh_posts(connection, post_ids)
    refresh_businesses(connection, pending["businesses"] - {None})


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(REBUILD_QUEUED, None)


@event.listens_for(Session, "after_commit")
def _done(session: Session) -> None:
    session.info.pop(REBUILD_QUEUED, None)
