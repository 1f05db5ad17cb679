"""An owner's service request, from draft to issued or declined. Each step checks who acts (the owner of the
business, the staff of the institution it was sent to), refuses a stale page (AlreadyDecided), writes one audit
entry and tells the owner (app and mail, in their language). They flush; the unit of work commits.

Issuing a certificate creates the owner's verified certification (one per chosen product, or one for the business)
in the same transaction: verified by the issuing institution's staff, not re-checked by the DKUPP."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role
from marketplace.audit import record
from marketplace.certifications.models import Certification
from marketplace.domain import AlreadyDecided, DomainError, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.institutions import readiness
from marketplace.institutions.issuing import certify, store_certificate
from marketplace.institutions.models import InstitutionService
from marketplace.institutions.request_models import (
    DocumentKind,
    MemberOutcome,
    RequestDocument,
    RequestMember,
    RequestState,
    ServiceRequest,
)
from marketplace.media.documents import document_name, process_document
from marketplace.media.services import store_files
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.unit_of_work import flush

MAX_DOCUMENTS = 12
S = RequestState
# action -> (states it may start from, state it leads to)
MOVES = {
    "return": ((S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS), S.RETURNED),
    "accept": ((S.SUBMITTED,), S.ACCEPTED),
    "start": ((S.ACCEPTED,), S.IN_PROGRESS),
    "issue": ((S.ACCEPTED, S.IN_PROGRESS), S.ISSUED),
    "decline": ((S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS), S.DECLINED),
}


class NotReady(DomainError):
    status = 422
    message = _l("The request cannot be sent yet: complete the items marked as missing.")


class NotEditable(DomainError):
    status = 409
    message = _l("This request is with the institution now and cannot be changed.")


class TooManyDocuments(DomainError):
    status = 422
    message = _l("A request may have at most %(n)d documents: remove one first.", n=MAX_DOCUMENTS)


class NotOffered(DomainError):
    status = 422
    message = _l("This institution does not offer this service.")


class ScheduleRequired(DomainError):
    status = 422
    message = _l("Enter at least one date of the schedule (visit, sample or test).")


class DecidePerMember(DomainError):
    status = 409
    message = _l("A group request is decided per member: issue or decline each member's certificate below.")


class NotAMemberOfThisCooperative(DomainError):
    status = 422
    message = _l("Choose members of this cooperative whose consent is in force.")


class CertificateDetailsRequired(DomainError):
    status = 422
    message = _l("Enter the certificate number, valid-until date and its document.")


def _owner_check(owner, request: ServiceRequest) -> None:
    if request.business.owner_id != owner.id:
        raise OutsideRegion


def _staff_check(staff, request: ServiceRequest) -> None:
    """Only the staff of the institution the request was sent to act on it (moderators only read)."""
    if staff.role is not Role.INSTITUTION_STAFF or staff.institution_id != request.institution_id:
        raise OutsideRegion


def _label(request: ServiceRequest) -> str:
    return f"{request.service.kind.value} #{request.id} {request.business.name}"[:200]


def _move(actor, request: ServiceRequest, target: RequestState, action: str, *, link: str, inbox_url: str,
          reason: str = "", **params) -> None:
    before = request.state
    request.state, request.state_changed_at = target, utcnow()
    record(actor, f"service_request.{action}", request, region_code=request.business.region_code, reason=reason,
           changes={"state": [before.value, target.value]}, label=_label(request))
    notify(request.business.owner, f"service_request.{action}", link=link, inbox_url=inbox_url,
           service=str(request.service.kind.label), institution=request.institution.display_name,
           business=request.business.name, reason=reason.strip(), **params)


# --- the owner ------------------------------------------------------------------------------------------

def _set_members(request: ServiceRequest, members) -> None:
    """The member producers a cooperative's request is for (a group request): active members of that cooperative."""
    members = list(members)
    if members and (not request.business.is_cooperative
                    or any(m.business_id != request.business.id or not m.active for m in members)):
        raise NotAMemberOfThisCooperative
    chosen = {m.id for m in members}
    request.members = [row for row in request.members if row.member_id in chosen] + [
        RequestMember(member=m) for m in members if m.id not in {row.member_id for row in request.members}]


def start_request(owner, business, service: InstitutionService, *, products=(), members=(), ingredients: str = "",
                  note: str = "", renewal_of: ServiceRequest | None = None) -> ServiceRequest:
    """A draft request of owner's business for service, for the chosen products of that business (and, from a
    cooperative, for the chosen member producers: a group request)."""
    if business.owner_id != owner.id:
        raise OutsideRegion
    if not service.active or not service.institution.active:
        raise NotOffered
    request = ServiceRequest(institution=service.institution, service=service, business=business,
                             ingredients=ingredients.strip(), note=note.strip(), renewal_of_id=renewal_of.id if renewal_of else None)
    request.products = [p for p in products if p.business_id == business.id]
    _set_members(request, members)
    db.session.add(request)
    db.session.flush()
    return request


def update_request(owner, request: ServiceRequest, *, products, ingredients: str, note: str, members=None) -> None:
    """Change what the owner entered (only while it is theirs: a draft or a returned request); members None: keep."""
    _owner_check(owner, request)
    if not request.editable:
        raise NotEditable
    request.products = [p for p in products if p.business_id == request.business_id]
    if members is not None:
        _set_members(request, members)
    request.ingredients, request.note = ingredients.strip(), note.strip()
    db.session.flush()


def add_document(owner, request: ServiceRequest, kind: DocumentKind, data: bytes, filename: str) -> RequestDocument:
    """Check, clean and store a document privately (a PDF rewritten page by page, an image re-encoded); raises
    ImageRejected with a message for a file that is neither."""
    _owner_check(owner, request)
    if not request.editable:
        raise NotEditable
    if len(request.documents) >= MAX_DOCUMENTS:
        raise TooManyDocuments
    name, clean = process_document(data, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    store_files([(document_name(name), clean)])
    document = RequestDocument(request=request, kind=kind, name=name, filename=filename[:200])
    db.session.add(document)
    db.session.flush()
    return document


def remove_document(owner, document: RequestDocument) -> None:
    """The row goes; the file stays until pruning finds no row refers to it (a renewal may share it)."""
    _owner_check(owner, document.request)
    if not document.request.editable:
        raise NotEditable
    db.session.delete(document)
    db.session.flush()


def submit_request(owner, request: ServiceRequest, *, link: str, inbox_url: str) -> None:
    """Send a ready draft (or a completed returned request) to the institution; the service-standard clock starts
    at the first sending."""
    _owner_check(owner, request)
    if not request.editable:
        raise AlreadyDecided
    if not readiness.is_ready(request):
        raise NotReady
    action = "resubmit" if request.state is S.RETURNED else "submit"
    if request.submitted_at is None:
        request.submitted_at = utcnow()
    _move(owner, request, S.SUBMITTED, action, link=link, inbox_url=inbox_url)
    flush()


def request_renewal(owner, issued: ServiceRequest, *, link_for, inbox_url: str) -> ServiceRequest:
    """One step: a new request to the same service with everything of the issued one (products, ingredients,
    documents), sent at once when it is ready (else left as a draft that says what is missing)."""
    _owner_check(owner, issued)
    if issued.state is not S.ISSUED:
        raise AlreadyDecided
    # a group request renews for the members who were certified and still consent, with their products
    members = [row.member for row in issued.members if row.outcome is MemberOutcome.ISSUED and row.member.active]
    products = [p for p in issued.products if not issued.is_group or p.member_id in {m.id for m in members}]
    renewal = start_request(owner, issued.business, issued.service, products=products, members=members,
                            ingredients=issued.ingredients, note=issued.note, renewal_of=issued)
    for document in issued.documents:
        db.session.add(RequestDocument(request=renewal, kind=document.kind, name=document.name, filename=document.filename))
    db.session.flush()
    db.session.refresh(renewal, ["documents"])
    if readiness.is_ready(renewal):
        submit_request(owner, renewal, link=link_for(renewal.id), inbox_url=inbox_url)
    return renewal


# --- the institution --------------------------------------------------------------------------------------

def decide(staff, request: ServiceRequest, action: str, seen_version: int | None = None, *, link: str, inbox_url: str,
           note: str = "", visit_on: date | None = None, sample_on: date | None = None, test_on: date | None = None,
           number: str = "", scope: str = "", valid_until: date | None = None, document: bytes | None = None,
           on: date | None = None) -> list[Certification]:
    """return (note), accept (schedule), start, issue (certificate) or decline (reason) a request sent to the staff's
    institution; returns the certifications an issue created."""
    _staff_check(staff, request)
    if seen_version is not None and seen_version != request.version:
        raise AlreadyDecided
    sources, target = MOVES[action]
    if request.state not in sources:
        raise AlreadyDecided
    created: list[Certification] = []
    if action in ("return", "decline") and not note.strip():
        raise ReasonRequired
    if action == "return":
        request.return_note = note.strip()
    elif action == "decline":
        request.decline_reason, request.decided_at = note.strip(), utcnow()
        for row in request.members:  # the whole group declined: every member not yet decided, with the same reason
            if row.outcome is MemberOutcome.PENDING:
                row.outcome, row.decline_reason, row.decided_at = MemberOutcome.DECLINED, note.strip(), utcnow()
    elif action == "accept":
        if not (visit_on or sample_on or test_on):
            raise ScheduleRequired
        request.visit_on, request.sample_on, request.test_on = visit_on, sample_on, test_on
        request.schedule_note = note.strip()
    elif action == "issue":
        created = _issue(staff, request, number=number.strip(), scope=scope.strip(), valid_until=valid_until,
                         document=document)
    _move(staff, request, target, action, link=link, inbox_url=inbox_url, reason=note if action != "accept" else "",
          number=request.certificate_number)
    flush()
    return created


def _issue(staff, request: ServiceRequest, *, number: str, scope: str, valid_until: date | None,
           document: bytes | None) -> list[Certification]:
    if request.is_group:
        raise DecidePerMember
    if not number or valid_until is None or not document:
        raise CertificateDetailsRequired
    name = store_certificate(document)
    request.certificate_number, request.certificate_scope = number, scope
    request.certificate_valid_until, request.certificate_document, request.decided_at = valid_until, name, utcnow()
    return certify(staff, request, request.products or [None], number=number, valid_until=valid_until, document=name)


# --- the region's DKUPP ------------------------------------------------------------------------------------

def recommend(moderator, request: ServiceRequest, note: str) -> None:
    """A note from the business's region's DKUPP that the institution sees; moderators change nothing else."""
    if moderator.role is not Role.MODERATOR or moderator.region_code != request.business.region_code:
        raise OutsideRegion
    if not note.strip():
        raise ReasonRequired(_l("Write the recommendation."))
    request.recommendation, request.recommended_by_id = note.strip(), moderator.id
    record(moderator, "service_request.recommend", request, region_code=request.business.region_code,
           reason=note, label=_label(request))
    db.session.flush()
