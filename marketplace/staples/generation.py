"""The board's generation: bumped on every flush that adds, changes or deletes a staples post, a business (its
verification or region decides whether its posts are public), a commodity, a reference price or a region. The board
caches its figures and its rendered body under the generation, read from the database on every request: a cached
figure is never stale, and a cache that is down costs only speed."""

import time

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from marketplace.businesses.models import Business
from marketplace.cooperatives.models import CooperativeMember
from marketplace.regions.models import Region
from marketplace.staples.models import Commodity, CommodityGrade, CommodityUnit, ReferencePrice, StaplesPost, StaplesState

# what the board shows: posts, their member producers (consent), their businesses (verification, region, name),
# commodities, reference prices, regions
WATCHED = (StaplesPost, CooperativeMember, Business, Commodity, CommodityGrade, CommodityUnit, ReferencePrice, Region)


def bump_generation(session: Session) -> None:
    """Invalidate the board's cached figures (also after bulk changes that skip the ORM)."""
    result = session.execute(update(StaplesState).where(StaplesState.id == 1)
                             .values(generation=StaplesState.generation + 1))
    if result.rowcount == 0:
        # a new state row starts from the clock (milliseconds, within INTEGER), not from 1: a database emptied and
        # filled again (the tests, a restore) never meets figures cached under an old generation
        session.execute(insert(StaplesState).values(id=1, generation=time.time_ns() // 1_000_000 % (2**31 - 2**20)))


def generation(session: Session) -> int:
    """The current generation (0 before the first change)."""
    return session.scalar(select(StaplesState.generation).where(StaplesState.id == 1)) or 0


@event.listens_for(Session, "before_flush")
def _bump(session: Session, _context, _instances) -> None:
    if any(isinstance(obj, WATCHED) and (obj in session.new or obj in session.deleted or session.is_modified(obj))
           for obj in (*session.new, *session.dirty, *session.deleted)):
        bump_generation(session)
