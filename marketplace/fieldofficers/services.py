"""Assisted onboarding: a field officer creates an owner account (no password yet) and records the owner's consent;
the owner confirms a link or the officer photographs the signed form; the owner claims the account with a one-time
link. They flush; the unit of work commits, and mail leaves after the commit. Every step is audited."""

import secrets
from collections.abc import Callable

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.accounts.invitations import unusable_password_hash
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import check_password
from marketplace.accounts.services import create_user, hash_password
from marketplace.audit import record
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.fieldofficers.links import make_claim_token, make_consent_token, whatsapp_link
from marketplace.fieldofficers.models import AssistedOwner, ConsentMethod
from marketplace.mail import send_mail
from marketplace.media.documents import document_name, process_document
from marketplace.media.services import store_files
from marketplace.models_base import utcnow
from marketplace.unit_of_work import flush


class FieldOfficerError(DomainError):
    """A step of assisted onboarding the rules refuse; the message is shown to the officer."""

    status = 422


class ConsentMissing(FieldOfficerError):
    """Nothing of an assisted owner goes to the DKUPP's review before the owner's consent is recorded."""

    status = 409
    message = _l("The owner's consent is not recorded yet: nothing can be sent for review until it is.")


class ConsentAlreadyGiven(FieldOfficerError):
    status = 409
    message = _l("The owner's consent is already recorded.")


class NoPhone(FieldOfficerError):
    message = _l("The owner has no phone number: add one, or send the link by email.")


class NotAFieldOfficer(FieldOfficerError):
    status = 403
    message = _l("Your account does not have access to this page.")


def check_officer(officer: User, assisted: AssistedOwner | None = None) -> None:
    """Only a field officer acts, in their own region, on an owner they onboarded and who has not claimed it yet."""
    if officer.role is not Role.FIELD_OFFICER or not officer.region_code:
        raise NotAFieldOfficer
    if assisted is not None and (assisted.officer_id != officer.id or assisted.claimed
                                 or assisted.region_code != officer.region_code):
        raise NotAFieldOfficer


def require_consent(assisted: AssistedOwner) -> None:
    """Raise ConsentMissing unless the owner's consent is recorded."""
    if not assisted.has_consent:
        raise ConsentMissing


def register_owner(officer: User, *, name: str, email: str, phone: str | None, locale: str = "id") -> AssistedOwner:
    """Create an owner account in the officer's region without a usable password, onboarded by officer."""
    check_officer(officer)
    owner = create_user(email=email, name=name, role=Role.OWNER, region_code=officer.region_code, phone=phone,
                        locale=locale, password_hash=unusable_password_hash())
    assisted = AssistedOwner(owner=owner, officer=officer, officer_name=officer.name, region_code=officer.region_code)
    db.session.add(assisted)
    flush()
    record(officer, "assisted.register", owner, region_code=officer.region_code, label=owner.email)
    return assisted


def record_signed_form(officer: User, assisted: AssistedOwner, *, consent_name: str, document: bytes) -> None:
    """Record consent by the photo (or PDF scan) of the form the owner signed, re-encoded by the media code (raises
    ImageRejected, StorageError); the file goes again if the request rolls back."""
    check_officer(officer, assisted)
    if assisted.has_consent:
        raise ConsentAlreadyGiven
    name, clean = process_document(document, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    store_files([(document_name(name), clean)])
    now = utcnow()
    assisted.consent_method, assisted.consent_name, assisted.consent_document = ConsentMethod.SIGNED_FORM, \
        consent_name.strip(), name
    assisted.consent_nonce, assisted.consent_requested_at, assisted.consent_given_at = None, now, now
    flush()
    record(officer, "assisted.consent_form", assisted.owner, region_code=assisted.region_code,
           label=assisted.owner.email, changes={"consent_name": [None, assisted.consent_name]})


def request_consent(officer: User, assisted: AssistedOwner, *, method: ConsentMethod, consent_name: str,
                    confirm_url: Callable[[str], str]) -> str | None:
    """Send the owner a link to confirm their consent: by email (mailed here; returns None) or by WhatsApp/SMS
    (returns the wa.me share link the officer sends). A new link voids the earlier ones."""
    check_officer(officer, assisted)
    if assisted.has_consent:
        raise ConsentAlreadyGiven
    owner = assisted.owner
    if method is ConsentMethod.WHATSAPP and not owner.phone:
        raise NoPhone
    assisted.consent_method, assisted.consent_name = method, consent_name.strip()
    assisted.consent_nonce, assisted.consent_requested_at = secrets.token_hex(8), utcnow()
    flush()
    link = confirm_url(make_consent_token(assisted))
    record(officer, "assisted.consent_request", owner, region_code=assisted.region_code, label=owner.email,
           reason=method.value)
    with force_locale(owner.locale):
        if method is ConsentMethod.EMAIL:
            send_mail(owner.email, _("Confirm your business listing on Etalase UMKM"),
                      render_template("fieldofficers/email/consent.txt", owner=owner, officer=officer, link=link,
                                      days=_link_days()))
            return None
        return whatsapp_link(owner.phone, _(
            "Hello %(name)s, this is %(officer)s from the DKUPP. Please confirm that I may list your business on "
            "Etalase UMKM for you: %(link)s", name=owner.name, officer=officer.name, link=link))


def confirm_consent(assisted: AssistedOwner) -> None:
    """The owner confirms through the link: consent is recorded now, as the owner's own act."""
    if assisted.has_consent:
        raise ConsentAlreadyGiven
    assisted.consent_given_at, assisted.consent_nonce = utcnow(), None
    flush()
    record(assisted.owner, "assisted.consent_given", assisted.owner, region_code=assisted.region_code,
           label=assisted.owner.email, reason=assisted.consent_method.value if assisted.consent_method else "")


def send_claim_link(officer: User, assisted: AssistedOwner, *, by: ConsentMethod,
                    claim_url: Callable[[str], str]) -> str | None:
    """Give the owner a one-time link to claim the account: by email (mailed; returns None) or WhatsApp (returns the
    wa.me share link). The earlier claim links stop working."""
    check_officer(officer, assisted)
    owner = assisted.owner
    if by is ConsentMethod.WHATSAPP and not owner.phone:
        raise NoPhone
    owner.password_hash = unusable_password_hash()
    flush()
    link = claim_url(make_claim_token(assisted))
    record(officer, "assisted.claim_link", owner, region_code=assisted.region_code, label=owner.email, reason=by.value)
    with force_locale(owner.locale):
        if by is ConsentMethod.WHATSAPP:
            return whatsapp_link(owner.phone, _(
                "Hello %(name)s, your business is on Etalase UMKM. Open this link to choose your password and take "
                "over your account (it works once, for %(days)d days): %(link)s",
                name=owner.name, link=link, days=_link_days()))
        send_mail(owner.email, _("Take over your Etalase UMKM account"),
                  render_template("fieldofficers/email/claim.txt", owner=owner, officer=officer, link=link,
                                  days=_link_days()))
    return None


def claim_account(assisted: AssistedOwner, password: str) -> None:
    """The owner chooses a password (the owner policy applies): the account is theirs, the officer's access ends."""
    owner = assisted.owner
    check_password(password, owner.role, (owner.email, owner.name))
    owner.password_hash, owner.password_changed_at = hash_password(password), utcnow()
    assisted.claimed_at = utcnow()
    flush()
    record(owner, "assisted.claim", owner, region_code=assisted.region_code, label=owner.email)


def _link_days() -> int:
    return current_app.config["ASSISTED_LINK_MAX_AGE"] // 86400
