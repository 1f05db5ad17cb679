"""Changes to a cooperative's members and their consent, and linking agreement parties named in free text to the
cooperatives' records. They flush; the unit of work commits. Every change is audited: the consent record (who, when,
how, what may be shown) is evidence under UU PDP, so the log keeps each one, without the member's personal data."""

import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.audit import diff, record
from marketplace.businesses.models import Business, BusinessKind
from marketplace.cooperatives.models import ConsentMethod, ConsentScope, CooperativeMember
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.media.documents import process_document, store_document
from marketplace.models_base import utcnow
from marketplace.regions.models import AgreementParty, AgreementPartyBusiness

CONSENT_FIELDS = ("consent_scope", "consent_method", "consent_note", "consent_document")
PERSONAL_FIELDS = ("name", "desa", "kecamatan", "commodities", "nib")


class ConsentIncomplete(DomainError):
    """A consent says how it was given: a photo of the signed form, or how the member confirmed."""

    status = 422
    message = _l("Record how the member gave consent: a photo of the signed form, or how they confirmed it.")


class NotACooperative(DomainError):
    status = 404
    message = DomainError.message


class MemberWithdrawn(DomainError):
    status = 409
    message = _l("This member has withdrawn consent; record them again as a new member if they agree again.")


def store_consent_document(data: bytes) -> str:
    """Check and store a photo (or PDF) of a signed consent form privately, like a certificate document (raises
    ImageRejected for a bad file, StorageError when it cannot be stored); returns its stored name."""
    name, clean = process_document(data, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    store_document(name, clean)
    return name


def _check_consent(method: ConsentMethod, note: str, document: str | None) -> None:
    if method is ConsentMethod.SIGNED_FORM and not document:
        raise ConsentIncomplete(_l("Add a photo of the signed consent form."))
    if method is ConsentMethod.MEMBER_CONFIRMATION and not note.strip():
        raise ConsentIncomplete(_l("Say how and when the member confirmed, e.g. by WhatsApp on 3 November 2026."))


def _audit(actor, action: str, member: CooperativeMember, changes: dict, reason: str = "") -> None:
    record(actor, action, member, region_code=member.business.region_code, reason=reason, changes=changes,
           label=f"{member.business.name}: #{member.id}")


def _consent_state(member: CooperativeMember) -> dict:
    return {"consent_scope": member.consent_scope.value, "consent_method": member.consent_method.value,
            "consent_document": bool(member.consent_document)}


def add_member(actor, business: Business, *, name: str, desa: str, kecamatan: str, commodities: str = "",
               nib: str | None = None, consent_scope: ConsentScope, consent_method: ConsentMethod,
               consent_note: str = "", consent_document: str | None = None) -> CooperativeMember:
    """Record a member producer of the cooperative with the consent actor recorded (raises ConsentIncomplete)."""
    if not business.is_cooperative:
        raise NotACooperative
    _check_consent(consent_method, consent_note, consent_document)
    member = CooperativeMember(
        business=business, name=name.strip(), desa=desa.strip(), kecamatan=kecamatan.strip(),
        commodities=commodities.strip(), nib=nib or None, consent_scope=consent_scope, consent_method=consent_method,
        consent_note=consent_note.strip(), consent_document=consent_document, consent_recorded_by_id=actor.id,
        consent_recorded_at=utcnow(),
    )
    db.session.add(member)
    db.session.flush()
    _audit(actor, "member.create", member, {"consent": [None, _consent_state(member)]})
    return member


def update_member(actor, member: CooperativeMember, *, name: str, desa: str, kecamatan: str, commodities: str = "",
                  nib: str | None = None, consent_scope: ConsentScope, consent_method: ConsentMethod,
                  consent_note: str = "", consent_document: str | None = None) -> bool:
    """Change a member; a changed consent (scope, method, note or a new form) is recorded anew, by actor, now, and
    applies at once to every public page. consent_document None keeps the stored form. Returns whether anything
    changed. Raises MemberWithdrawn, ConsentIncomplete."""
    if not member.active:
        raise MemberWithdrawn
    document = consent_document or member.consent_document
    _check_consent(consent_method, consent_note, document)
    before_personal = {f: getattr(member, f) for f in PERSONAL_FIELDS}
    before_consent = _consent_state(member)
    consent_changed = (consent_scope, consent_method, consent_note.strip(), document) != (
        member.consent_scope, member.consent_method, member.consent_note, member.consent_document)
    member.name, member.desa, member.kecamatan = name.strip(), desa.strip(), kecamatan.strip()
    member.commodities, member.nib = commodities.strip(), nib or None
    if consent_changed:
        member.consent_scope, member.consent_method = consent_scope, consent_method
        member.consent_note, member.consent_document = consent_note.strip(), document
        member.consent_recorded_by_id, member.consent_recorded_at = actor.id, utcnow()
    changed = [f for f in PERSONAL_FIELDS if before_personal[f] != getattr(member, f)]
    if not changed and not consent_changed:
        return False
    db.session.flush()
    changes = {"fields": [None, changed]} if changed else {}  # which fields, not their values: no personal data in the log
    if consent_changed:
        changes["consent"] = [before_consent, _consent_state(member)]
    _audit(actor, "member.update", member, changes)
    return True


def withdraw_member(actor, member: CooperativeMember, reason: str = "") -> None:
    """The member withdraws consent: from now on nothing of them is shown publicly (their products show only the
    cooperative) and they can be chosen for nothing new. The record stays for the cooperative's own books."""
    if not member.active:
        raise MemberWithdrawn
    member.withdrawn_at = utcnow()
    db.session.flush()
    _audit(actor, "member.withdraw", member, {"withdrawn": [False, True]}, reason=reason)


def _plain(name: str) -> str:
    """A name as compared: lower case, single spaces, without a leading "koperasi"."""
    return re.sub(r"^koperasi\s+", "", " ".join((name or "").lower().split()))


def link_named_parties(actor) -> int:
    """Turn free-text agreement parties that name exactly one cooperative of the same region into links to its record
    (what the migration did for existing rows; the demo seed calls it once its cooperatives exist). Returns how many."""
    notes = db.session.scalars(db.select(AgreementParty).where(AgreementParty.institution.is_not(None))).all()
    coops = db.session.scalars(db.select(Business).where(Business.kind == BusinessKind.COOPERATIVE)).all()
    linked = 0
    for note in notes:
        found = [b for b in coops if _plain(b.name) == _plain(note.institution)
                 and (note.region_code is None or b.region_code == note.region_code)]
        if len(found) != 1:
            continue
        agreement = note.agreement
        before = sorted(p.business_id for p in agreement.business_parties)
        if found[0].id not in before:
            agreement.business_parties.append(AgreementPartyBusiness(business_id=found[0].id))
        agreement.parties.remove(note)
        db.session.flush()
        record(actor, "agreement.update", agreement, region_code=None, label=agreement.title,
               changes=diff({"businesses": before, "notes": note.institution},
                            {"businesses": sorted(p.business_id for p in agreement.business_parties), "notes": None}))
        linked += 1
    return linked


class NotAMember(DomainError):
    """A product or a staples post can only name a member of its own cooperative whose consent is in force."""

    status = 422
    message = _l("Choose a member of this cooperative from the list.")


def check_member(business: Business, member_id: int | None) -> None:
    """Raise NotAMember unless member_id is None or an active member of business, which is a cooperative."""
    if member_id is None:
        return
    member = db.session.get(CooperativeMember, member_id)
    if member is None or member.business_id != business.id or not member.active or not business.is_cooperative:
        raise NotAMember
