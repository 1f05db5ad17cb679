"""Read-side selects for cooperatives and their members, scoped to the user given; also the small API other features
(staples posts and deals) use to name a member: members_of, public_members_of, member_of_or_none, member_attribution."""

from flask import abort
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.businesses.models import Business, BusinessKind
from marketplace.businesses.queries import owned_business_or_404
from marketplace.cooperatives.models import Attribution, ConsentScope, CooperativeMember
from marketplace.extensions import db


def cooperatives(also: list[int] = ()) -> list[Business]:
    """Businesses registered as cooperatives (any verification state), and the businesses whose ids are in also
    (parties already chosen), by name, with their regions: the admin's list of possible agreement parties."""
    condition = Business.kind == BusinessKind.COOPERATIVE
    if also:
        condition = condition | Business.id.in_(list(also))
    return list(db.session.scalars(db.select(Business).where(condition).options(selectinload(Business.region))
                                   .order_by(Business.name, Business.id)))


def members_of(business: Business, *, include_withdrawn: bool = False) -> list[CooperativeMember]:
    """The cooperative's members, by name: those whose consent is in force, and with include_withdrawn the others too
    (for its owner). Private data: show a member publicly only through member_attribution."""
    stmt = db.select(CooperativeMember).where(CooperativeMember.business_id == business.id)
    if not include_withdrawn:
        stmt = stmt.where(CooperativeMember.withdrawn_at.is_(None))
    return list(db.session.scalars(stmt.order_by(CooperativeMember.name, CooperativeMember.id)))


def public_members_of(business: Business) -> list[CooperativeMember]:
    """The members the public may see something of (consent in force and not "nothing"), by desa then name."""
    return list(db.session.scalars(
        db.select(CooperativeMember)
        .where(CooperativeMember.business_id == business.id, CooperativeMember.withdrawn_at.is_(None),
               CooperativeMember.consent_scope != ConsentScope.NOTHING)
        .order_by(CooperativeMember.desa, CooperativeMember.name, CooperativeMember.id)
    ))


def member_of_or_none(business: Business, member_id: int | None) -> CooperativeMember | None:
    """The active member of business with this id, or None (not a member of it, withdrawn, or no id)."""
    if member_id is None:
        return None
    member = db.session.get(CooperativeMember, member_id)
    if member is None or member.business_id != business.id or not member.active:
        return None
    return member


def member_attribution(member: CooperativeMember | None) -> Attribution | None:
    """What the public may read of the member who produced something: name (None when the consent does not cover it),
    desa and kecamatan; None when nothing may be shown (no member, consent "nothing" or withdrawn)."""
    return member.attribution() if member is not None else None


def owned_cooperative_or_404(owner: User, business_id: int) -> Business:
    """owner's business with this id that is a cooperative; anything else is a 404."""
    business = owned_business_or_404(owner, business_id)
    if not business.is_cooperative:
        abort(404)
    return business


def owned_member_or_404(owner: User, business_id: int, member_id: int) -> CooperativeMember:
    """A member of owner's cooperative; another owner's member (or none) is a 404."""
    business = owned_business_or_404(owner, business_id)
    member = db.session.scalar(db.select(CooperativeMember).where(CooperativeMember.id == member_id,
                                                                  CooperativeMember.business_id == business.id))
    if member is None:
        abort(404)
    return member
