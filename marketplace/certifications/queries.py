"""Read-side selects for certifications, scoped to who may see them."""

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business
from marketplace.certifications.models import Certification
from marketplace.extensions import db


def owned_certification_or_404(certification_id: int) -> Certification:
    certification = db.session.scalar(
        db.select(Certification)
        .join(Certification.business)
        .where(Certification.id == certification_id, Business.owner_id == current_user.id)
    )
    if certification is None:
        abort(404)
    return certification


def owned_certifications() -> list[Certification]:
    stmt = (
        db.select(Certification)
        .join(Certification.business)
        .where(Business.owner_id == current_user.id)
        .options(selectinload(Certification.business), selectinload(Certification.product))
        .order_by(Certification.created_at.desc())
    )
    return list(db.session.scalars(stmt))
