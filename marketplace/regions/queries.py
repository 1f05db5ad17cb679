"""Read-side selects for regions and agreements."""

from datetime import date

from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.regions.models import Agreement, AgreementParty, AgreementScope, Region, Scope


def active_agreements_clause(on: date):
    return (Agreement.valid_from <= on) & ((Agreement.valid_until.is_(None)) | (Agreement.valid_until >= on))


def partner_regions(on: date, scope: Scope = Scope.PROMOTION) -> list[Region]:
    """Regions party to an agreement with the scope that is active on the given day."""
    stmt = (
        db.select(Region)
        .join(AgreementParty, AgreementParty.region_code == Region.code)
        .join(Agreement, Agreement.id == AgreementParty.agreement_id)
        .join(AgreementScope, AgreementScope.agreement_id == Agreement.id)
        .where(AgreementScope.scope == scope, AgreementParty.institution.is_(None), active_agreements_clause(on))
        .distinct()
        .order_by(Region.code)
    )
    return list(db.session.scalars(stmt))


def all_regions() -> list[Region]:
    return list(db.session.scalars(db.select(Region).order_by(Region.code)))


def all_agreements() -> list[Agreement]:
    stmt = (
        db.select(Agreement)
        .options(selectinload(Agreement.parties).selectinload(AgreementParty.region), selectinload(Agreement.scopes))
        .order_by(Agreement.signed_on.desc(), Agreement.id)
    )
    return list(db.session.scalars(stmt))
