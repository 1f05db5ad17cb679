"""Moderators' decisions: each checks the region, applies the change, writes one audit entry and tells the
owner, all in one transaction; a decision on something already decided is refused."""

from functools import wraps

from flask import url_for
from sqlalchemy.orm.exc import StaleDataError

from marketplace.accounts.models import Role, User
from marketplace.businesses.models import Business, Verification
from marketplace.catalog import services as catalog
from marketplace.catalog.models import CONTENT_FIELDS, Product
from marketplace.catalog.status import TransitionRefused
from marketplace.certifications.forms import TYPE_LABELS
from marketplace.certifications.models import Certification, CertStatus
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.moderation.audit import diff, record
from marketplace.moderation.models import Report, ReportStatus
from marketplace.notifications.services import deliver, notify

NEEDS_REASON = {"request_changes", "reject", "suspend", "reject_certification", "dismiss"}


class OutsideRegion(LookupError):
    """The object is not in the moderator's region: the views answer 404."""


class AlreadyDecided(RuntimeError):
    """Someone decided first (or the page was stale); nothing was changed."""


class ReasonRequired(ValueError):
    """This decision needs a reason the owner can act on."""


def check_region(actor: User, region_code: str) -> None:
    if actor.role is not Role.MODERATOR or actor.region_code != region_code:
        raise OutsideRegion(region_code)


def _plain(value):
    return value.value if hasattr(value, "value") else value


def _commit(notifications: list) -> None:
    """Commit the decision with its audit entry and notifications, then mail them."""
    db.session.commit()
    deliver(notifications)


def decision(service):
    """A lost race (the row's version moved, found at any flush) or any refusal undoes everything of the decision."""

    @wraps(service)
    def wrapped(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except StaleDataError:
            db.session.rollback()
            raise AlreadyDecided from None
        except Exception:
            db.session.rollback()
            raise

    return wrapped


def _require_reason(action: str, reason: str) -> None:
    if action in NEEDS_REASON and not reason.strip():
        raise ReasonRequired(action)


def _check_version(obj, seen_version: int | None) -> None:
    if seen_version is not None and seen_version != obj.version:
        raise AlreadyDecided


# --- products -------------------------------------------------------------------------------------------

def product_fields(product: Product) -> dict:
    return {"status": product.status.value, **{k: getattr(product, k) for k in CONTENT_FIELDS}}


@decision
def decide_product(actor: User, product: Product, action: str, reason: str = "", seen_version: int | None = None) -> None:
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
        catalog.apply_review(product, action, Role.MODERATOR, reason)
    except TransitionRefused:
        raise AlreadyDecided from None
    after = {**product_fields(product), **({"edit": action} if is_edit else {})}
    prefix = "revision" if is_edit else "product"
    record(actor, f"{prefix}.{action}", product, region_code=product.business.region_code, reason=reason,
           changes=diff({k: _plain(v) for k, v in before.items()}, {k: _plain(v) for k, v in after.items()}))
    note = notify(product.business.owner, f"{prefix}.{action}", link=url_for("catalog.mine"),
                  product=product.name, reason=reason.strip())
    _commit([note])


# --- businesses -----------------------------------------------------------------------------------------

BUSINESS_ACTIONS = {
    "verify": (Verification.UNVERIFIED, Verification.VERIFIED),
    "suspend": (Verification.VERIFIED, Verification.SUSPENDED),
    "reinstate": (Verification.SUSPENDED, Verification.VERIFIED),
}


@decision
def decide_business(actor: User, business: Business, action: str, reason: str = "", seen_version: int | None = None) -> None:
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
    note = notify(business.owner, f"business.{action}", link=url_for("businesses.mine"),
                  business=business.name, reason=reason.strip())
    _commit([note])


# --- certifications -------------------------------------------------------------------------------------

@decision
def decide_certification(actor: User, certification: Certification, action: str, reason: str = "",
                         seen_version: int | None = None) -> None:
    """verify or reject (with a reason) a claimed certification."""
    check_region(actor, certification.business.region_code)
    _check_version(certification, seen_version)
    if certification.status is not CertStatus.CLAIMED:
        raise AlreadyDecided
    _require_reason("reject_certification" if action == "reject" else action, reason)
    target = CertStatus.VERIFIED if action == "verify" else CertStatus.REJECTED
    certification.status, certification.reason = target, reason.strip()
    certification.verified_at = utcnow() if target is CertStatus.VERIFIED else None
    record(actor, f"certification.{action}", certification, region_code=certification.business.region_code,
           reason=reason, changes={"status": [CertStatus.CLAIMED.value, target.value]},
           label=f"{certification.cert_type.value} {certification.number}")
    note = notify(certification.business.owner, f"certification.{action}", link=url_for("certifications.mine"),
                  certificate=str(TYPE_LABELS[certification.cert_type.value]), number=certification.number,
                  reason=reason.strip())
    _commit([note])


# --- reports --------------------------------------------------------------------------------------------

@decision
def decide_report(actor: User, report: Report, action: str, resolution: str = "", seen_version: int | None = None) -> None:
    """resolve (the moderator acted on it) or dismiss (with a reason) a buyer's report."""
    check_region(actor, report.product.business.region_code)
    _check_version(report, seen_version)
    if report.status is not ReportStatus.OPEN:
        raise AlreadyDecided
    _require_reason(action, resolution)
    target = ReportStatus.RESOLVED if action == "resolve" else ReportStatus.DISMISSED
    report.status, report.resolution, report.decided_at = target, resolution.strip(), utcnow()
    record(actor, f"report.{action}", report, region_code=report.product.business.region_code, reason=resolution,
           changes={"status": [ReportStatus.OPEN.value, target.value]}, label=report.product.name)
    _commit([])


def file_report(product: Product, reporter: User | None, reason, note: str) -> Report:
    """A report from the product page; it lands in the queue of the product's region."""
    report = Report(product=product, reporter=reporter, reason=reason, note=note.strip())
    db.session.add(report)
    db.session.commit()
    return report
