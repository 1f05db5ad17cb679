"""Moderators' decisions: each checks the region, applies the change, writes one audit entry and tells the owner.
They flush; the request's unit of work commits the decision with its entry and notification, or none of them.
A decision on something already decided (or changed since the page was shown) is refused with AlreadyDecided."""

from datetime import date

from flask_babel import lazy_gettext as _l

from marketplace import counting
from marketplace.accounts.models import Role
from marketplace.audit import diff, record
from marketplace.businesses import services as businesses
from marketplace.businesses.models import Business, ProfileEditStatus, Verification
from marketplace.catalog import services as catalog
from marketplace.catalog.models import CONTENT_FIELDS, Product
from marketplace.catalog.status import TransitionRefused
from marketplace.certifications.models import Certification, CertStatus
from marketplace.domain import AlreadyDecided, DomainError, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.moderation.models import DecisionWeek, Report, ReportStatus
from marketplace.notifications.services import notify
from marketplace.timeutil import today
from marketplace.unit_of_work import flush

NEEDS_REASON = {"request_changes", "reject", "suspend", "reject_certification", "dismiss"}


def check_region(actor, region_code: str) -> None:
    """Refuse (as a 404) anyone but a moderator of region_code."""
    if actor.role is not Role.MODERATOR or actor.region_code != region_code:
        raise OutsideRegion


def _plain(value):
    return value.value if hasattr(value, "value") else value


def _require_reason(action: str, reason: str) -> None:
    if action in NEEDS_REASON and not reason.strip():
        raise ReasonRequired


def _check_version(obj, seen_version: int | None) -> None:
    if seen_version is not None and seen_version != obj.version:
        raise AlreadyDecided


# --- products -------------------------------------------------------------------------------------------

def product_fields(product: Product) -> dict:
    return {"status": product.status.value, **{k: getattr(product, k) for k in CONTENT_FIELDS}}


def decide_product(actor, product: Product, action: str, reason: str = "", seen_version: int | None = None, *,
                   link: str, inbox_url: str) -> None:
    """approve / request_changes / reject a pending product or a published product's pending edit."""
    check_region(actor, product.business.region_code)
    subject = catalog.under_review(product)
    if subject is None:
        raise AlreadyDecided
    _check_version(subject, seen_version)
    _require_reason(action, reason)
    is_edit = subject is not product
    before = {**product_fields(product), **({"edit": subject.status.value} if is_edit else {})}
    try:
        catalog.review_product(product, action, Role.MODERATOR, reason)
    except TransitionRefused:
        raise AlreadyDecided from None
    after = {**product_fields(product), **({"edit": action} if is_edit else {})}
    prefix = "revision" if is_edit else "product"
    entry = record(actor, f"{prefix}.{action}", product, region_code=product.business.region_code, reason=reason,
           changes=diff({k: _plain(v) for k, v in before.items()}, {k: _plain(v) for k, v in after.items()}))
    # approved, but nobody sees it before the business is verified: the owner is told so, not that it is live
    hidden = action == "approve" and product.business.verification is not Verification.VERIFIED
    notify(product.business.owner, f"{prefix}.{action}{'_hidden' if hidden else ''}", link=link, inbox_url=inbox_url,
           product=product.name, business=product.business.name, reason=reason.strip())
    flush()
    if not is_edit:
        _count_decision(entry, product)


def _count_decision(entry, product: Product) -> None:
    """The reports' summary of moderation latency, in the same transaction: the decision (its entry is flushed, so it
    has its time) by region, month, week and the time from the submission it decided."""
    decided, submitted = entry.created_at, product.submitted_at
    if submitted is None or submitted > decided:
        return
    counting.add(DecisionWeek, {"region_code": entry.region_code, "month": counting.local_month(decided),
                                "week": counting.local_week(decided), "minutes": counting.bucket(decided, submitted)},
                 decisions=1)


# --- businesses -----------------------------------------------------------------------------------------

BUSINESS_ACTIONS = {
    "verify": (Verification.UNVERIFIED, Verification.VERIFIED),
    "suspend": (Verification.VERIFIED, Verification.SUSPENDED),
    "reinstate": (Verification.SUSPENDED, Verification.VERIFIED),
}


def decide_business(actor, business: Business, action: str, reason: str = "", seen_version: int | None = None, *,
                    link: str, inbox_url: str) -> None:
    """verify (after checking the NIB), suspend (hides every product at once) or reinstate a business."""
    check_region(actor, business.region_code)
    _check_version(business, seen_version)
    expected, target = BUSINESS_ACTIONS[action]
    if business.verification is not expected:
        raise AlreadyDecided
    _require_reason(action, reason)
    before = business.verification.value
    business.verification, business.verification_reason = target, reason.strip()
    record(actor, f"business.{action}", business, region_code=business.region_code, reason=reason,
           changes={"verification": [before, target.value]})
    notify(business.owner, f"business.{action}", link=link, inbox_url=inbox_url, business=business.name,
           reason=reason.strip())
    flush()


def decide_business_revision(actor, business: Business, action: str, reason: str = "", seen_version: int | None = None,
                             *, link: str, inbox_url: str) -> None:
    """approve / request_changes / reject the pending edit of a business's public profile."""
    check_region(actor, business.region_code)
    revision = business.revision
    if revision is None or revision.status is not ProfileEditStatus.PENDING:
        raise AlreadyDecided
    _check_version(revision, seen_version)
    _require_reason(action, reason)
    before = {**business.approved_profile(), "edit": revision.status.value}
    businesses.review_revision(business, action, reason)
    after = {**business.approved_profile(), "edit": action}
    record(actor, f"business_revision.{action}", business, region_code=business.region_code, reason=reason,
           changes=diff(before, after))
    notify(business.owner, f"business_revision.{action}", link=link, inbox_url=inbox_url, business=business.name,
           reason=reason.strip())
    flush()


# --- certifications -------------------------------------------------------------------------------------

class ExpiredNotConfirmed(DomainError):
    """Verifying a certificate whose validity has ended needs the moderator's explicit confirmation."""

    status = 422
    message = _l("This certificate has expired. Tick the confirmation to verify it anyway, or reject it.")


def decide_certification(actor, certification: Certification, action: str, reason: str = "",
                         seen_version: int | None = None, *, link: str, inbox_url: str, confirm_expired: bool = False,
                         on: date | None = None) -> None:
    """verify or reject (with a reason) a claimed certification; verifying one that expired before `on` (today in
    Jakarta) needs confirm_expired."""
    check_region(actor, certification.business.region_code)
    _check_version(certification, seen_version)
    if certification.status is not CertStatus.CLAIMED:
        raise AlreadyDecided
    _require_reason("reject_certification" if action == "reject" else action, reason)
    if action == "verify" and certification.expiry(on or today()) == "expired" and not confirm_expired:
        raise ExpiredNotConfirmed
    target = CertStatus.VERIFIED if action == "verify" else CertStatus.REJECTED
    certification.status, certification.reason = target, reason.strip()
    certification.verified_at = utcnow() if target is CertStatus.VERIFIED else None
    record(actor, f"certification.{action}", certification, region_code=certification.business.region_code,
           reason=reason, changes={"status": [CertStatus.CLAIMED.value, target.value]},
           label=f"{certification.cert_type.value} {certification.number}")
    notify(certification.business.owner, f"certification.{action}", link=link, inbox_url=inbox_url,
           certificate=str(certification.cert_type.label), number=certification.number, reason=reason.strip())
    flush()


# --- reports --------------------------------------------------------------------------------------------

def decide_report(actor, report: Report, action: str, resolution: str = "", seen_version: int | None = None,
                  **_links) -> None:
    """resolve (the moderator acted on it) or dismiss (with a reason) a buyer's report; nobody is notified."""
    check_region(actor, report.product.business.region_code)
    _check_version(report, seen_version)
    if report.status is not ReportStatus.OPEN:
        raise AlreadyDecided
    _require_reason(action, resolution)
    target = ReportStatus.RESOLVED if action == "resolve" else ReportStatus.DISMISSED
    report.status, report.resolution, report.decided_at = target, resolution.strip(), utcnow()
    record(actor, f"report.{action}", report, region_code=report.product.business.region_code, reason=resolution,
           changes={"status": [ReportStatus.OPEN.value, target.value]}, label=report.product.name)
    flush()


def file_report(product: Product, reporter, reason, note: str) -> Report:
    """A report from the product page; it lands in the queue of the product's region."""
    report = Report(product=product, reporter=reporter, reason=reason, note=note.strip())
    db.session.add(report)
    return report
