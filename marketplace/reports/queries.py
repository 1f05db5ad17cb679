"""Who may see which report: a region's moderators see their region and the agreements it is party to; admins see
every one; anyone else gets a 404 (a report they may not see does not exist for them)."""

from __future__ import annotations

from flask import abort

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.regions.models import Agreement, AgreementParty, Region


def _staff(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.ADMIN, Role.MODERATOR)


def region_or_404(user: User, code: str) -> Region:
    if not _staff(user) or (user.role is Role.MODERATOR and user.region_code != code):
        abort(404)
    return db.get_or_404(Region, code)


def _with_regions():
    """Agreements with at least one region as a party (a free-text note is no party)."""
    return db.select(Agreement).where(Agreement.id.in_(
        db.select(AgreementParty.agreement_id).where(AgreementParty.region_code.is_not(None),
                                                     AgreementParty.institution.is_(None))))


def agreements_for(user: User) -> list[Agreement]:
    """The agreements whose dashboards the user may see, by title."""
    if not _staff(user):
        return []
    stmt = _with_regions()
    if user.role is Role.MODERATOR:
        stmt = stmt.where(Agreement.id.in_(db.select(AgreementParty.agreement_id).where(
            AgreementParty.region_code == user.region_code, AgreementParty.institution.is_(None))))
    return list(db.session.scalars(stmt.order_by(Agreement.signed_on, Agreement.title)))


def _by_reference(stmt, reference: str):
    """An agreement by its key (the slug in URLs) or its id."""
    condition = Agreement.key == reference
    if reference.isascii() and reference.isdigit() and len(reference) < 10:
        condition = condition | (Agreement.id == int(reference))
    return db.session.scalar(stmt.where(condition))


def agreement_or_404(user: User, reference: str) -> Agreement:
    agreement = _by_reference(_with_regions(), reference) if _staff(user) else None
    if agreement is None or (user.role is Role.MODERATOR and user.region_code not in agreement.region_codes):
        abort(404)
    return agreement


def public_agreements() -> list[Agreement]:
    """Agreements with region parties: the public impact page lists them all, oldest first."""
    return list(db.session.scalars(_with_regions().order_by(Agreement.signed_on, Agreement.title)))


def public_agreement_or_404(reference: str) -> Agreement:
    agreement = _by_reference(_with_regions(), reference)
    if agreement is None:
        abort(404)
    return agreement
