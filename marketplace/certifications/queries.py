"""Read-side selects for certifications: the badge rule, and an owner's own claims."""

from datetime import date

from flask import abort
from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business
from marketplace.certifications.models import Certification, CertStatus
from marketplace.extensions import db


def badge_worthy(on: date) -> ColumnElement[bool]:
    """The badge rule, the one place it is written: a certification shows a badge while it is verified and not
    expired on the given day (Certification.shows_badge is the same rule for a loaded row)."""
    return (Certification.status == CertStatus.VERIFIED) & or_(Certification.valid_until.is_(None),
                                                               Certification.valid_until >= on)


def badges(on: date, *, business_id: int, product_id: int | None = None) -> list[Certification]:
    """The badges to show: of the business (certificates not tied to one product) and, given a product, of that
    product too; ordered by type."""
    scope = Certification.product_id.is_(None)
    if product_id is not None:
        scope = scope | (Certification.product_id == product_id)
    return list(db.session.scalars(
        db.select(Certification).where(Certification.business_id == business_id, scope, badge_worthy(on))
        .order_by(Certification.cert_type, Certification.id)))


def owned_certification_or_404(owner, certification_id: int) -> Certification:
    """owner's certification with this id; anyone else's (or none) is a 404."""
    certification = db.session.scalar(
        db.select(Certification)
        .join(Certification.business)
        .where(Certification.id == certification_id, Business.owner_id == owner.id)
    )
    if certification is None:
        abort(404)
    return certification


def owned_certifications(owner) -> list[Certification]:
    """Every certification of owner's businesses, newest first."""
    stmt = (
        db.select(Certification)
        .join(Certification.business)
        .where(Business.owner_id == owner.id)
        .options(selectinload(Certification.business), selectinload(Certification.product))
        .order_by(Certification.created_at.desc())
    )
    return list(db.session.scalars(stmt))
