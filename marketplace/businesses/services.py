"""Business state changes, shared by the views, the CLI and the demo seed. They flush; the unit of work commits."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role, User
from marketplace.businesses.models import Business, SizeClass, Verification
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.media.pipeline import process_image
from marketplace.media.services import store_renditions
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
    logo: bytes | None = None,
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
        links=links or {}, verification=Verification.UNVERIFIED,
    )
    db.session.add(business)
    db.session.flush()
    return business


def update_business(business: Business, logo: bytes | None = None, **fields) -> None:
    """Save profile changes; a new region or NIB needs the (new) region's moderator to verify again."""
    if logo:
        business.logo = _store_logo(logo)
    needs_check = fields.get("region_code", business.region_code) != business.region_code or \
        fields.get("nib", business.nib) != business.nib
    for name, value in fields.items():
        setattr(business, name, value)
    if needs_check and business.verification is Verification.VERIFIED:
        business.verification = Verification.UNVERIFIED


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
