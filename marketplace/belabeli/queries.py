"""Read-side selects for bela beli, each scoped to who asks (404 outside the scope): the region's DKUPP and admins
see their programme; an office coordinator only their office; a seller only the purchases and quote requests naming
their businesses. Fulfilment figures are grouped SQL, never loops over purchases."""

from datetime import date, datetime, timedelta

from flask import abort
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role, User
from marketplace.belabeli.models import (
    BandMinimum,
    OfferStatus,
    Office,
    Programme,
    Purchase,
    PurchaseStatus,
    QuoteOffer,
    QuoteRequest,
    RankBand,
)
from marketplace.businesses.models import Business
from marketplace.extensions import db


def programme_of(region_code: str) -> Programme | None:
    return db.session.scalar(db.select(Programme).where(Programme.region_code == region_code)
                             .options(selectinload(Programme.bands)))


def staff_region_or_404(user: User, region_code: str) -> str:
    """The region code a moderator (their own only) or an admin runs the programme of."""
    if user.role is Role.ADMIN or (user.role is Role.MODERATOR and user.region_code == region_code):
        return region_code
    abort(404)


def programmes() -> list[Programme]:
    return list(db.session.scalars(db.select(Programme).options(selectinload(Programme.region))
                                   .order_by(Programme.region_code)))


def _office_scope(user: User):
    if user.role is Role.ADMIN:
        return db.true()
    if user.role is Role.MODERATOR:
        return Office.programme_id.in_(db.select(Programme.id).where(Programme.region_code == user.region_code))
    if user.role is Role.OFFICE_COORDINATOR and user.office_id:
        return Office.id == user.office_id
    return db.false()


def office_or_404(user: User, office_id: int) -> Office:
    """The office, for its coordinator, the region's DKUPP or an admin; anyone else gets a 404."""
    office = db.session.scalar(db.select(Office).where(Office.id == office_id, _office_scope(user))
                               .options(selectinload(Office.headcounts), selectinload(Office.programme)))
    if office is None:
        abort(404)
    return office


def office_purchase_or_404(user: User, purchase_id: int) -> Purchase:
    """A purchase of an office in the user's scope; a civil servant's own purchases only."""
    scope = _office_scope(user)
    if user.role is Role.CIVIL_SERVANT:
        scope = db.and_(Purchase.logged_by_id == user.id, Purchase.office_id == user.office_id)
    purchase = db.session.scalar(db.select(Purchase).join(Purchase.office).where(Purchase.id == purchase_id, scope))
    if purchase is None:
        abort(404)
    return purchase


def logging_office_or_404(user: User, office_id: int) -> Office:
    """The office a purchase may be logged for: a civil servant's own, else as office_or_404."""
    if user.role is Role.CIVIL_SERVANT:
        if user.office_id != office_id:
            abort(404)
        office = db.session.scalar(db.select(Office).where(Office.id == office_id)
                                   .options(selectinload(Office.programme)))
        if office is None:
            abort(404)
        return office
    return office_or_404(user, office_id)


def servant_purchases(user: User, month: str) -> list[Purchase]:
    """A civil servant's own purchases of the month (those they logged for their office)."""
    return list(db.session.scalars(
        db.select(Purchase).where(Purchase.logged_by_id == user.id, Purchase.office_id == user.office_id,
                                  Purchase.month == month)
        .options(selectinload(Purchase.business)).order_by(Purchase.bought_on.desc(), Purchase.id.desc())))


def servant_progress(user: User, office: Office, month: str) -> tuple[int, int]:
    """(confirmed amount of the civil servant's own purchases in the month, their band's monthly minimum)."""
    confirmed = db.session.scalar(
        db.select(db.func.coalesce(db.func.sum(Purchase.amount), 0))
        .where(Purchase.logged_by_id == user.id, Purchase.office_id == office.id, Purchase.month == month,
               Purchase.status == PurchaseStatus.CONFIRMED))
    minimum = db.session.scalar(db.select(BandMinimum.minimum).where(
        BandMinimum.programme_id == office.programme_id, BandMinimum.band == RankBand(user.rank_band)))
    return int(confirmed or 0), int(minimum or 0)


def office_servants(office: Office) -> list[User]:
    """The civil servants with their own account in the office (names shown to its coordinator and DKUPP only)."""
    return list(db.session.scalars(db.select(User).where(User.role == Role.CIVIL_SERVANT, User.office_id == office.id)
                                   .order_by(User.name)))


def office_purchases(office: Office, month: str) -> list[Purchase]:
    return list(db.session.scalars(db.select(Purchase).where(Purchase.office_id == office.id, Purchase.month == month)
                                   .options(selectinload(Purchase.business))
                                   .order_by(Purchase.bought_on.desc(), Purchase.id.desc())))


def seller_purchase_or_404(owner: User, purchase_id: int) -> Purchase:
    """A purchase naming one of the owner's businesses; any other is a 404."""
    purchase = db.session.scalar(db.select(Purchase).join(Purchase.business)
                                 .where(Purchase.id == purchase_id, Business.owner_id == owner.id))
    if purchase is None:
        abort(404)
    return purchase


def seller_purchases(owner: User) -> list[Purchase]:
    """The purchases naming the owner's businesses, waiting ones first, newest first; with the office."""
    return list(db.session.scalars(
        db.select(Purchase).join(Purchase.business).where(Business.owner_id == owner.id)
        .options(selectinload(Purchase.office), selectinload(Purchase.business), selectinload(Purchase.products))
        .order_by((Purchase.status == PurchaseStatus.PENDING).desc(), Purchase.bought_on.desc(), Purchase.id.desc())
        .limit(200)))


def seller_offer_or_404(owner: User, offer_id: int) -> QuoteOffer:
    offer = db.session.scalar(db.select(QuoteOffer).join(QuoteOffer.business)
                              .where(QuoteOffer.id == offer_id, Business.owner_id == owner.id))
    if offer is None:
        abort(404)
    return offer


def seller_offers(owner: User) -> list[QuoteOffer]:
    return list(db.session.scalars(
        db.select(QuoteOffer).join(QuoteOffer.business).where(Business.owner_id == owner.id)
        .options(selectinload(QuoteOffer.quote).selectinload(QuoteRequest.office), selectinload(QuoteOffer.business))
        .order_by((QuoteOffer.status == OfferStatus.ASKED).desc(), QuoteOffer.id.desc()).limit(100)))


def quote_or_404(user: User, quote_id: int) -> QuoteRequest:
    """A quote request for its office's coordinator, the region's DKUPP or an admin."""
    stmt = db.select(QuoteRequest).outerjoin(QuoteRequest.office).join(QuoteRequest.programme).where(
        QuoteRequest.id == quote_id)
    if user.role is Role.MODERATOR:
        stmt = stmt.where(Programme.region_code == user.region_code)
    elif user.role is Role.OFFICE_COORDINATOR:
        stmt = stmt.where(QuoteRequest.office_id == user.office_id)
    elif user.role is not Role.ADMIN:
        abort(404)
    quote = db.session.scalar(stmt.options(selectinload(QuoteRequest.offers).selectinload(QuoteOffer.business)))
    if quote is None:
        abort(404)
    return quote


def office_quotes(office: Office) -> list[QuoteRequest]:
    return list(db.session.scalars(db.select(QuoteRequest).where(QuoteRequest.office_id == office.id)
                                   .order_by(QuoteRequest.id.desc()).limit(50)))


def programme_quotes(programme: Programme) -> list[QuoteRequest]:
    """The quote requests DKUPP sent for the programme itself (for no office), newest first."""
    return list(db.session.scalars(db.select(QuoteRequest).where(QuoteRequest.programme_id == programme.id,
                                                                 QuoteRequest.office_id.is_(None))
                                   .order_by(QuoteRequest.id.desc()).limit(50)))


def flagged_purchases(programme: Programme, now: datetime) -> list[Purchase]:
    """Purchases still waiting for their seller after the programme's flag_after_days: DKUPP follows them up."""
    cutoff = now - timedelta(days=programme.flag_after_days)
    return list(db.session.scalars(
        db.select(Purchase).join(Purchase.office)
        .where(Office.programme_id == programme.id, Purchase.status == PurchaseStatus.PENDING,
               Purchase.created_at < cutoff)
        .options(selectinload(Purchase.office), selectinload(Purchase.business)).order_by(Purchase.created_at)))


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")
