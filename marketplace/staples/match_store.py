"""The stored table of current matches (`staple_match`), so `/my/staples` and `/moderation/staples` read a few indexed
rows instead of running the matching query over every offer and need on each request.

Kept in step in the same transaction as the change, whoever makes it (a service, the demo, an admin page of another
feature), by one flush hook, the way catalog/visibility.py keeps products' visibility:
- a post added, changed (approved, edited and approved, withdrawn, its window moved) or deleted: `refresh_posts`
  deletes that post's pairs and inserts the pairs it makes now, with the very query of staples/matching.py limited to
  that post (one INSERT ... SELECT, a few ms at 5,000 x 5,000);
- a business whose verification or region changes: `refresh_businesses` does the same for its posts;
- an agreement, its parties or scopes, or a commodity grade changes: `rebuild` (rare admin changes; the region rule
  and the grade rule of every pair may change).
Expiry needs no write: a row keeps the earlier end of the two windows and is read with `ends_on >= today`; the
nightly job `prune_expired_matches` then deletes such rows. `flask staples-rebuild-matches` rebuilds the whole table
(after a bulk import or a restore). The "why not" page and deals still evaluate the rules live for their one pair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from huey import crontab
from sqlalchemy import and_, case, delete, event, func, insert, inspect, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased, joinedload

from marketplace.businesses.models import Business
from marketplace.extensions import db
from marketplace.jobs import periodic
from marketplace.regions.models import Agreement, AgreementParty, AgreementScope
from marketplace.staples.match_models import StaplesMatch
from marketplace.staples.matching import _candidates, _score
from marketplace.staples.models import CommodityGrade, StaplesPost
from marketplace.timeutil import today

PENDING = "staples_match_pending"
REBUILD_ON = (Agreement, AgreementParty, AgreementScope, CommodityGrade)
COLUMNS = ("offer_id", "need_id", "offer_business_id", "need_business_id", "offer_region_code", "need_region_code",
           "ends_on", "score", "share")


@dataclass
class Match:
    """A stored match with its two posts (what the pages show)."""

    offer: StaplesPost
    need: StaplesPost
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
    """The pairs of these posts, as they match now (a post that no longer matches: no pair left)."""
    if not post_ids:
        return
    on = on or today()
    ids = sorted(post_ids)
    table = StaplesMatch.__table__
    connection.execute(delete(table).where(or_(table.c.offer_id.in_(ids), table.c.need_id.in_(ids))))
    _insert(connection, on, offer_filter=[StaplesPost.id.in_(ids)])
    # a pair whose both posts are among ids was inserted above: the need side adds the others only
    _insert(connection, on, need_filter=[StaplesPost.id.in_(ids)],
            offer_filter=[StaplesPost.id.not_in(ids)])


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


@periodic(crontab(minute="10", hour="17"))  # 00:10 in Jakarta: the pairs of posts whose window ended yesterday
def prune_expired_matches() -> None:
    prune()


# --- reading ---------------------------------------------------------------------------------------------------------

def stored_matches(on: date, *, business_ids: set[int] | None = None, region_code: str | None = None,
                   limit: int = 200) -> list[Match]:
    """The current matches, best first: of the given businesses (either side) or of a region (either side). One query,
    with what the lists show of both posts (commodity, business, region) joined in."""
    offer, need = aliased(StaplesPost, name="offer"), aliased(StaplesPost, name="need")
    stmt = (select(StaplesMatch.score, StaplesMatch.share, offer, need)
            .join(offer, offer.id == StaplesMatch.offer_id).join(need, need.id == StaplesMatch.need_id)
            .where(StaplesMatch.ends_on >= on)
            .options(joinedload(offer.commodity), joinedload(offer.business), joinedload(offer.region),
                     joinedload(need.business), joinedload(need.region))
            .order_by(StaplesMatch.score.desc(), StaplesMatch.offer_id, StaplesMatch.need_id).limit(limit))
    if business_ids is not None:
        ids = sorted(business_ids)
        stmt = stmt.where(or_(StaplesMatch.offer_business_id.in_(ids), StaplesMatch.need_business_id.in_(ids)))
    if region_code is not None:
        stmt = stmt.where(or_(StaplesMatch.offer_region_code == region_code,
                              StaplesMatch.need_region_code == region_code))
    return [Match(o, n, float(score), float(share)) for score, share, o, n in db.session.execute(stmt).unique().all()]


def is_stored_match(offer_id: int, need_id: int, on: date) -> bool:
    return db.session.scalar(select(StaplesMatch.offer_id).where(
        and_(StaplesMatch.offer_id == offer_id, StaplesMatch.need_id == need_id, StaplesMatch.ends_on >= on))) is not None


# --- the flush hook --------------------------------------------------------------------------------------------------

def _changed(session: Session, obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _context, _instances) -> None:
    """Note what this flush changes that matching reads (the rows are refreshed once it has been written)."""
    pending = session.info.setdefault(PENDING, {"posts": [], "businesses": set(), "rebuild": False})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, StaplesPost) and (obj in session.new or obj in session.deleted or session.is_modified(obj)):
            pending["posts"].append(obj)
        elif isinstance(obj, Business) and obj.id is not None and obj not in session.new and (
                obj in session.deleted or _changed(session, obj, "verification", "region_code")):
            pending["businesses"].add(obj.id)
        elif isinstance(obj, REBUILD_ON) and (obj in session.new or obj in session.deleted or (
                session.is_modified(obj) and not isinstance(obj, CommodityGrade)) or (
                isinstance(obj, CommodityGrade) and obj.id is not None and _changed(session, obj, "rank"))):
            pending["rebuild"] = True


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session: Session, _context) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending or not (pending["posts"] or pending["businesses"] or pending["rebuild"]):
        return
    connection = session.connection()
    if pending["rebuild"]:
        rebuild(connection)
        return
    post_ids = {inspect(post).identity[0] for post in pending["posts"] if inspect(post).identity}
    refresh_posts(connection, post_ids)
    refresh_businesses(connection, pending["businesses"] - {None})


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous) -> None:
    session.info.pop(PENDING, None)
