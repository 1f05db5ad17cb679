"""Read-side selects for showcases: only eligible products, only published showcases, in a fixed number of queries."""

from datetime import date

from flask import abort
from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role, User
from marketplace.businesses.models import Business
from marketplace.catalog import search
from marketplace.catalog.models import Category, Product
from marketplace.catalog.selection import category_ids
from marketplace.domain import OutsideRegion
from marketplace.extensions import db
from marketplace.regions.models import Agreement, Region
from marketplace.regions.queries import all_regions, promotion_agreements
from marketplace.showcases.eligibility import eligible_clause
from marketplace.showcases.models import Nomination, NominationStatus, Phase, Showcase, ShowcaseItem, ShowcaseReach


def public_showcase_or_404(slug: str) -> Showcase:
    """The published showcase with this slug; a draft or none is a 404."""
    showcase = db.session.scalar(db.select(Showcase).where(Showcase.slug == slug, Showcase.published.is_(True)))
    if showcase is None:
        abort(404)
    return showcase


def editable_showcase_or_404(user: User, showcase_id: int) -> Showcase:
    """A showcase user may curate: hosted by their region (admins: any). One hosted elsewhere raises OutsideRegion,
    answered 404 like a showcase that does not exist."""
    showcase = db.session.get(Showcase, showcase_id)
    if showcase is None:
        abort(404)
    if not showcase.curated_by(user):
        raise OutsideRegion
    return showcase


def nomination_or_404(showcase: Showcase, nomination_id: int) -> Nomination:
    """The nomination with this id for this showcase (any other is a 404)."""
    return db.first_or_404(db.select(Nomination).where(Nomination.id == nomination_id,
                                                       Nomination.showcase_id == showcase.id))


def product_or_404(product_id: int) -> Product:
    """Any product by id, for curation (whether it may be in a showcase is the services' eligibility check)."""
    return db.get_or_404(Product, product_id)


def public_items(showcase: Showcase, on: date, region: str = "", category: str = "") -> list[Product]:
    """The showcase's products that are eligible today, in the curated order; optionally of one region and of one
    category (slug, with its subcategories)."""
    stmt = (
        db.select(Product).join(ShowcaseItem, ShowcaseItem.product_id == Product.id)
        .where(ShowcaseItem.showcase_id == showcase.id, eligible_clause(showcase, on))
        .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region))
        .order_by(ShowcaseItem.position, ShowcaseItem.id)
    )
    if region:
        stmt = stmt.where(Product.region_code == region)
    if category:
        stmt = stmt.where(Product.category_id.in_(category_ids(category) or [-1]))
    return list(db.session.scalars(stmt))


def categories_of(products: list[Product]) -> list[Category]:
    """The categories these products are in (a showcase page's category filter)."""
    return list(db.session.scalars(db.select(Category).where(Category.id.in_({p.category_id for p in products}))))


def by_phase(on: date) -> dict[Phase, list[Showcase]]:
    """Published showcases by their phase on the given day, newest first."""
    showcases = db.session.scalars(
        db.select(Showcase).where(Showcase.published.is_(True)).options(selectinload(Showcase.host_region))
        .order_by(Showcase.starts_on.desc().nulls_last(), Showcase.id.desc())
    ).all()
    phases = {Phase.LIVE: [], Phase.UPCOMING: [], Phase.PAST: []}
    for showcase in showcases:
        phases[showcase.phase(on)].append(showcase)
    return phases


def live_showcases(on: date):
    """A select of the showcases live on the given day (Showcase.phase's rule, as SQL), newest first."""
    return (db.select(Showcase)
            .where(Showcase.published.is_(True), or_(Showcase.starts_on.is_(None), Showcase.starts_on <= on),
                   or_(Showcase.ends_on.is_(None), Showcase.ends_on >= on))
            .order_by(Showcase.starts_on.desc().nulls_last(), Showcase.id.desc()))


def live_showcases_with(on: date, *, product_id: int | None = None, region_code: str | None = None) -> list[Showcase]:
    """Live showcases in which a product (or any product of a region) is shown today, in one query."""
    live = {s.id: s for s in by_phase(on)[Phase.LIVE]}
    if not live:
        return []
    shown = (db.select(ShowcaseItem.id).join(Product, Product.id == ShowcaseItem.product_id)
             .where(ShowcaseItem.showcase_id == Showcase.id, eligible_clause(None, on)))
    if product_id is not None:
        shown = shown.where(Product.id == product_id)
    if region_code is not None:
        shown = shown.where(Product.region_code == region_code)
    ids = set(db.session.scalars(db.select(Showcase.id).where(Showcase.id.in_(live), shown.exists())))
    return [showcase for showcase_id, showcase in live.items() if showcase_id in ids]


def open_showcases(on: date) -> list[Showcase]:
    """Showcases open for nominations on the given day: live ones, then upcoming ones."""
    phases = by_phase(on)
    return phases[Phase.LIVE] + phases[Phase.UPCOMING]


def staff_showcases(user: User) -> list[Showcase]:
    """The showcases user curates: their region's (admins: all), newest first."""
    stmt = db.select(Showcase).options(selectinload(Showcase.agreement)).order_by(Showcase.id.desc())
    if user.role is not Role.ADMIN:
        stmt = stmt.where(Showcase.host_region_code == user.region_code)
    return list(db.session.scalars(stmt))


def hostable_agreements(user: User) -> list[Agreement]:
    """Promotion agreements user may host a showcase under: a moderator's region must be a party (admins: any)."""
    return promotion_agreements(None if user.role is Role.ADMIN else user.region_code)


def host_regions(user: User) -> list[Region]:
    """Regions user may host a showcase in: their own (admins: any)."""
    return [region for region in all_regions() if user.role is Role.ADMIN or region.code == user.region_code]


CANDIDATES_PER_PAGE = 24


def candidates(showcase: Showcase, on: date, q: str = "", region: str = "", category: str = "",
               page: int = 1) -> tuple[list[Product], bool]:
    """One page of the products that may be added to showcase today (its eligibility rule, so no other is ever
    offered), with what their rows show, and whether more follow. Found with the catalogue's search (best match
    first) or, without words, newest first; optionally of one region and of one category (slug, with its
    subcategories)."""
    stmt = (db.select(Product).where(eligible_clause(showcase, on))
            .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region)))
    if q:
        match = search.match(q[:100])
        if match is None:
            return [], False  # nothing searchable in q
        stmt = stmt.join(match, match.c.product_id == Product.id).order_by(match.c.rank, Product.id)
    else:
        stmt = stmt.order_by(Product.published_at.desc().nulls_last(), Product.id.desc())
    if region:
        stmt = stmt.where(Product.region_code == region)
    if category:
        stmt = stmt.where(Product.category_id.in_(category_ids(category) or [-1]))
    found = list(db.session.scalars(stmt.offset((page - 1) * CANDIDATES_PER_PAGE).limit(CANDIDATES_PER_PAGE + 1)))
    return found[:CANDIDATES_PER_PAGE], len(found) > CANDIDATES_PER_PAGE


def party_regions(showcase: Showcase) -> list[Region]:
    """The regions party to the showcase's agreement (whose products may be in it), by name."""
    regions = {party.region for party in showcase.agreement.parties if party.region_code and not party.institution}
    return sorted(regions, key=lambda region: region.full_name)


def owner_nominations(owner: User) -> list[Nomination]:
    """owner's nominations with their showcases and products, newest first."""
    return list(db.session.scalars(
        db.select(Nomination).where(Nomination.owner_id == owner.id)
        .options(selectinload(Nomination.showcase), selectinload(Nomination.product))
        .order_by(Nomination.created_at.desc())))


def pending_nominations(showcase: Showcase) -> list[Nomination]:
    """The showcase's nominations waiting for a decision, oldest first."""
    return list(db.session.scalars(
        db.select(Nomination).where(Nomination.showcase_id == showcase.id, Nomination.status == NominationStatus.PENDING)
        .options(selectinload(Nomination.product).selectinload(Product.business)).order_by(Nomination.created_at)))


def reach(showcase_id: int, product_ids: list[int] | None = None, days: int = 30) -> list[tuple]:
    """(day, product_id, count) rows, newest first: product 0 is views of the showcase, others are clicks."""
    stmt = db.select(ShowcaseReach.day, ShowcaseReach.product_id, ShowcaseReach.count).where(
        ShowcaseReach.showcase_id == showcase_id)
    if product_ids is not None:
        stmt = stmt.where(ShowcaseReach.product_id.in_(product_ids))
    return list(db.session.execute(stmt.order_by(ShowcaseReach.day.desc(), ShowcaseReach.product_id).limit(days * 50)))


def clicks_by_showcase_and_product(product_ids: set[int]) -> dict[tuple[int, int], int]:
    """All clicks ever counted to these products, per (showcase, product), in one query."""
    if not product_ids:
        return {}
    rows = db.session.execute(
        db.select(ShowcaseReach.showcase_id, ShowcaseReach.product_id, func.sum(ShowcaseReach.count))
        .where(ShowcaseReach.product_id.in_(product_ids)).group_by(ShowcaseReach.showcase_id, ShowcaseReach.product_id))
    return {(showcase_id, product_id): int(total) for showcase_id, product_id, total in rows}
