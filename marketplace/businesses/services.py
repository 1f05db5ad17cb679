"""Business state changes, shared by the views, the CLI and the demo seed. They flush; the unit of work commits."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role, User
from marketplace.businesses.models import (
    ENUM_FIELDS,
    PROFILE_FIELDS,
    Business,
    BusinessKind,
    BusinessRevision,
    CooperativeKind,
    ProfileEditStatus,
    SizeClass,
    Verification,
)
from marketplace.domain import AlreadyDecided, DomainError
from marketplace.extensions import db
from marketplace.media.pipeline import process_image
from marketplace.media.services import store_renditions
from marketplace.models_base import utcnow
from marketplace.slugs import unique_slug
from marketplace.unit_of_work import flush


class BusinessError(DomainError):
    """A change the business rules refuse; the message is shown to the user."""

    status = 422


class NotAnOwner(BusinessError):
    """Only an owner account registers businesses."""

    status = 403
    message = _l("Your account does not have access to this page.")


def create_business(
    owner: User, *, name: str, region_code: str, whatsapp: str, nib: str | None = None,
    size_class: SizeClass = SizeClass.MIKRO, address: str = "", description: str = "", links: dict | None = None,
    logo: bytes | None = None, kecamatan: str | None = None, kind: BusinessKind = BusinessKind.ENTERPRISE,
    cooperative_kind: CooperativeKind | None = None, legal_entity_number: str | None = None,
) -> Business:
    """Register a business for an owner; it stays unverified until its region's moderator checks it.

    A logo is checked first (raising ImageRejected); its files are deleted again if the request rolls back."""
    if owner.role is not Role.OWNER:
        raise NotAnOwner
    logo_hash = _store_logo(logo) if logo else None
    business = Business(
        logo=logo_hash,
        owner=owner, name=name.strip(), slug=unique_slug(name, Business.slug), region_code=region_code,
        whatsapp=whatsapp, nib=nib, size_class=size_class, address=address, description=description,
        links=links or {}, verification=Verification.UNVERIFIED, kecamatan=kecamatan, kind=BusinessKind(kind),
        **_cooperative_fields(kind, CooperativeKind(cooperative_kind) if cooperative_kind else None, legal_entity_number),
    )
    db.session.add(business)
    db.session.flush()
    return business


def update_business(business: Business, logo: bytes | None = None, **fields) -> bool:
    """Save the owner's changes. A new region or NIB sends a verified business back to verification. The public
    profile (PROFILE_FIELDS) of an unverified business, which nobody sees yet, changes at once; that of a verified or
    suspended one waits in a revision while the approved version stays public. Returns True when something awaits
    review. A logo is checked first (raising ImageRejected) and stored at once, under a name no page shows yet."""
    if logo:
        fields["logo"] = _store_logo(logo)
    if "kind" in fields:
        fields.update(_cooperative_fields(fields["kind"], fields.get("cooperative_kind"), fields.get("legal_entity_number")))
    for name, enum in ENUM_FIELDS.items():
        if fields.get(name) is not None:
            fields[name] = enum(fields[name]).value
    profile = {name: fields.pop(name) for name in PROFILE_FIELDS if name in fields}
    needs_check = fields.get("region_code", business.region_code) != business.region_code or \
        fields.get("nib", business.nib) != business.nib
    for name, value in fields.items():
        setattr(business, name, value)
    if needs_check and business.verification is Verification.VERIFIED:
        business.verification = Verification.UNVERIFIED
    proposed = {**business.proposed_profile(), **profile}
    if business.verification is Verification.UNVERIFIED or proposed == business.approved_profile():
        _apply(business, proposed)
        _drop_revision(business)
        flush()
        return False
    if business.revision is None:
        business.revision = BusinessRevision(data=proposed)
    business.revision.data = proposed
    business.revision.status, business.revision.reason = ProfileEditStatus.PENDING, ""
    business.revision.submitted_at = utcnow()
    flush()
    return True


def _cooperative_fields(kind, cooperative_kind, legal_entity_number) -> dict:
    """Only a cooperative has a kind of cooperative and a legal-entity number; a business that stops being one drops
    them."""
    if BusinessKind(kind) is BusinessKind.COOPERATIVE:
        return {"cooperative_kind": cooperative_kind, "legal_entity_number": legal_entity_number}
    return {"cooperative_kind": None, "legal_entity_number": None}


def _apply(business: Business, profile: dict) -> None:
    for name, value in profile.items():
        setattr(business, name, ENUM_FIELDS[name](value) if name in ENUM_FIELDS and value is not None else value)


def _drop_revision(business: Business) -> None:
    if business.revision is not None:
        db.session.delete(business.revision)
        business.revision = None


REVISION_TARGETS = {"request_changes": ProfileEditStatus.CHANGES_REQUESTED, "reject": ProfileEditStatus.REJECTED}


def review_revision(business: Business, action: str, reason: str = "") -> None:
    """A moderator's decision on the pending edit of business's profile: approve copies it in (it is public at once);
    request_changes and reject leave the approved profile public and the reason on the edit for the owner. Raises
    AlreadyDecided when no edit is pending (moderation.services checks the region, the reason and the version)."""
    revision = business.revision
    if revision is None or revision.status is not ProfileEditStatus.PENDING:
        raise AlreadyDecided
    if action == "approve":
        _apply(business, revision.data)
        _drop_revision(business)
    else:
        revision.status, revision.reason = REVISION_TARGETS[action], reason.strip()
    flush()


def _store_logo(data: bytes) -> str:
    """Decode, re-encode and store a logo like every photo (raises ImageRejected).

    Returns the name of its smallest rendition without extension ('<hash>-320'): a logo is shown small."""
    processed = process_image(data, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    store_renditions(processed)
    return f"{processed.content_hash}-{min(r.width for r in processed.renditions)}"


def set_verification(business: Business, status: Verification, reason: str = "") -> None:
    """Verify, suspend or reinstate a business, for the CLI, the demo seed and tests (moderation.services decides
    for moderators, with its checks and audit)."""
    business.verification = status
    business.verification_reason = reason.strip()
    flush()
