"""Read-side selects for regions and agreements."""

from datetime import date

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.regions.models import Agreement, AgreementParty, AgreementPartyBusiness, AgreementScope, Region, Scope


def active_agreements_clause(on: date):
    """SQL condition: the agreement counts on the given day."""
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
    """The 38 regions, by code."""
    return list(db.session.scalars(db.select(Region).order_by(Region.code)))


def _with_parties():
    """Loader options: an agreement's regions, free-text notes, businesses (with their regions) and scopes."""
    return (selectinload(Agreement.parties).selectinload(AgreementParty.region), selectinload(Agreement.scopes),
            selectinload(Agreement.business_parties).selectinload(AgreementPartyBusiness.business))


def all_agreements() -> list[Agreement]:
    """Every agreement with its parties and scopes, newest first."""
    stmt = (
        db.select(Agreement)
        .options(*_with_parties())
        .order_by(Agreement.signed_on.desc(), Agreement.id)
    )
    return list(db.session.scalars(stmt))


def get_agreement(agreement_id: int) -> Agreement | None:
    """The agreement with this id, or None."""
    return db.session.get(Agreement, agreement_id)


def promotion_agreements(party_region: str | None = None) -> list[Agreement]:
    """Agreements covering promotion (active or not), newest first; given party_region, only those the region itself
    (not an institution in it) is a party to."""
    stmt = (
        db.select(Agreement)
        .where(Agreement.scopes.any(AgreementScope.scope == Scope.PROMOTION))
        .options(selectinload(Agreement.parties))
        .order_by(Agreement.signed_on.desc(), Agreement.id)
    )
    if party_region is not None:
        stmt = stmt.where(Agreement.parties.any((AgreementParty.region_code == party_region)
                                                & AgreementParty.institution.is_(None)))
    return list(db.session.scalars(stmt))


def active_agreements_of(region_code: str, on: date) -> list[Agreement]:
    """Agreements active on the given day that the region, or a business or an institution in it, is a party to; with
    their parties and scopes, newest first."""
    in_region = AgreementPartyBusiness.business.has(region_code=region_code)
    stmt = (
        db.select(Agreement)
        .where(or_(Agreement.parties.any(AgreementParty.region_code == region_code),
                   Agreement.business_parties.any(in_region)), active_agreements_clause(on))
        .options(*_with_parties())
        .order_by(Agreement.signed_on.desc(), Agreement.id)
    )
    return list(db.session.scalars(stmt))


def partners_in(agreements: list[Agreement], region_code: str) -> list[Region]:
    """The other regions party to those of the agreements the region itself is a party to, by code."""
    partners: dict[str, Region] = {}
    for agreement in agreements:
        if region_code not in agreement.region_codes:
            continue
        for party in agreement.parties:
            if party.region is not None and not party.institution and party.region_code != region_code:
                partners[party.region_code] = party.region
    return [partners[code] for code in sorted(partners)]
