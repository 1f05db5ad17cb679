"""A cooperative's group request (a cluster application) decided per member producer. Once the request is accepted
(or in progress) the institution issues each member a certificate of their own, covering the request's products that
member produces (a verified certification with its badge on each, in the same transaction), or declines the member
with a reason. When no member is left undecided the request closes: issued if anyone was certified, else declined.

Each decision also writes the request row (its version goes up), so two staff deciding the last two members at the
same moment cannot both miss the closing: the second flush loses the race (AlreadyDecided) and nothing of it stays."""

from __future__ import annotations

from datetime import date

from marketplace.audit import record
from marketplace.certifications.models import Certification
from marketplace.domain import AlreadyDecided, ReasonRequired
from marketplace.institutions.issuing import certify, store_certificate
from marketplace.institutions.request_models import MemberOutcome, RequestMember, RequestState
from marketplace.institutions.service_requests import CertificateDetailsRequired, _label, _move, _staff_check
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.unit_of_work import flush

DECIDING_STATES = (RequestState.ACCEPTED, RequestState.IN_PROGRESS)


def decide_member(staff, row: RequestMember, action: str, seen_version: int | None = None, *, link: str,
                  inbox_url: str, note: str = "", number: str = "", valid_until: date | None = None,
                  document: bytes | None = None) -> list[Certification]:
    """issue (number, valid until, document) or decline (reason) one member of a group request; returns the
    certifications an issue created."""
    request = row.request
    _staff_check(staff, request)
    if request.state not in DECIDING_STATES or row.outcome is not MemberOutcome.PENDING:
        raise AlreadyDecided
    if seen_version is not None and seen_version != row.version:
        raise AlreadyDecided
    created: list[Certification] = []
    member_name = row.member.name
    if action == "issue":
        if not number.strip() or valid_until is None or not document:
            raise CertificateDetailsRequired
        name = store_certificate(document)
        row.certificate_number, row.certificate_valid_until, row.certificate_document = number.strip(), valid_until, name
        row.outcome = MemberOutcome.ISSUED
        created = certify(staff, request, row.products, number=row.certificate_number, valid_until=valid_until,
                          document=name)
    elif action == "decline":
        if not note.strip():
            raise ReasonRequired
        row.outcome, row.decline_reason = MemberOutcome.DECLINED, note.strip()
    else:
        raise ValueError(action)
    row.decided_at = request.state_changed_at = utcnow()  # the request row is written too: see the module note
    record(staff, f"service_request.member_{action}", request, region_code=request.business.region_code,
           reason=note.strip(), label=_label(request),
           changes={"member": [None, row.member_id], "outcome": [MemberOutcome.PENDING.value, row.outcome.value]})
    notify(request.business.owner, f"service_request.member_{action}", link=link, inbox_url=inbox_url,
           service=str(request.service.kind.label), institution=request.institution.display_name,
           member=member_name, number=row.certificate_number, reason=note.strip())
    if all(other.outcome is not MemberOutcome.PENDING for other in request.members):
        _close(staff, request, link=link, inbox_url=inbox_url)
    flush()
    return created


def _close(staff, request, *, link: str, inbox_url: str) -> None:
    issued = [row for row in request.members if row.outcome is MemberOutcome.ISSUED]
    declined = len(request.members) - len(issued)
    request.decided_at = utcnow()
    if issued:  # the earliest expiry drives the renewal reminders of the whole group
        request.certificate_valid_until = min(row.certificate_valid_until for row in issued)
        request.certificate_number = ", ".join(row.certificate_number for row in issued)[:80]
    _move(staff, request, RequestState.ISSUED if issued else RequestState.DECLINED, "close", link=link,
          inbox_url=inbox_url, issued=len(issued), declined=declined)
