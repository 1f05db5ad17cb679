"""Read-side selects for showcases: only eligible products, only published showcases, in a fixed number of queries."""

from datetime import date

from flask import abort
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.showcases.eligibility import eligible_clause
from marketplace.showcases.models import Nomination, NominationStatus, Phase, Showcase, ShowcaseItem, ShowcaseReach


def public_showcase_or_404(slug: str) -> Showcase:
    showcase = db.session.scalar(db.select(Showcase).where(Showcase.slug == slug, Showcase.published.is_(True)))
    if showcase is None:
        abort(404)
    return showcase


def editable_showcase_or_404(showcase_id: int) -> Showcase:
    """A showcase the current staff member may curate: hosted by their region (admins: any)."""
    stmt = db.select(Showcase).where(Showcase.id == showcase_id)
    if current_user.role is not Role.ADMIN:
        stmt = stmt.where(Showcase.host_region_code == current_user.region_code)
    showcase = db.session.scalar(stmt)
    if showcase is None:
        abort(404)
    return showcase


def public_items(showcase: Showcase, on: date, region: str = "", category_ids: list[int] | None = None) -> list[Product]:
    """The showcase's products that are eligible today, in the curated order."""
    stmt = (
        db.select(Product).join(ShowcaseItem, ShowcaseItem.product_id == Product.id)
        .where(ShowcaseItem.showcase_id == showcase.id, eligible_clause(showcase, on))
        .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region))
        .order_by(ShowcaseItem.position, ShowcaseItem.id)
    )
    if region:
        stmt = stmt.where(Product.region_code == region)
    if category_ids is not None:
        stmt = stmt.where(Product.category_id.in_(category_ids or [-1]))
    return list(db.session.scalars(stmt))


def by_phase(on: date) -> dict[Phase, list[Showcase]]:
    showcases = db.session.scalars(
        db.select(Showcase).where(Showcase.published.is_(True)).options(selectinload(Showcase.host_region))
        .order_by(Showcase.starts_on.desc().nulls_last(), Showcase.id.desc())
    ).all()
    phases = {Phase.LIVE: [], Phase.UPCOMING: [], Phase.PAST: []}
    for showcase in showcases:
        phases[showcase.phase(on)].append(showcase)
    return phases


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


def staff_showcases() -> list[Showcase]:
    stmt = db.select(Showcase).options(selectinload(Showcase.agreement)).order_by(Showcase.id.desc())
    if current_user.role is not Role.ADMIN:
        stmt = stmt.where(Showcase.host_region_code == current_user.region_code)
    return list(db.session.scalars(stmt))


def pending_nominations(showcase: Showcase) -> list[Nomination]:
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
