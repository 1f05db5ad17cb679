"""Offers and needs: written by a verified business, reviewed by its region's DKUPP like a product. An edit of a
published post waits in `pending_edit` while the approved row stays what matching and the board read. Posts expire
by a query condition (their window's end), never by a job: an expired post stops matching the day after it ends."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role
from marketplace.audit import diff, record
from marketplace.businesses.models import Business, Verification
from marketplace.cooperatives.services import check_member
from marketplace.domain import AlreadyDecided, DomainError, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.staples.models import (
    CONTENT_FIELDS,
    WEEKS_PER_MONTH,
    Commodity,
    DeliveryTerms,
    Period,
    PostKind,
    PostStatus,
    StaplesPost,
    Transport,
)
from marketplace.unit_of_work import flush

MAX_QUANTITY = 10_000_000  # in the post's unit: beyond this a number is a typing slip, not a trade
MAX_PRICE = 1_000_000_000  # Rupiah per unit
MAX_WINDOW_DAYS = 3 * 366
DECISIONS = {"approve": PostStatus.PUBLISHED, "request_changes": PostStatus.CHANGES_REQUESTED,
             "reject": PostStatus.REJECTED}


class PostRefused(DomainError):
    status = 422


class BusinessNotVerified(DomainError):
    status = 403
    message = _l("Only a business verified by its region's DKUPP can post offers and needs.")


def check_content(content: dict, commodity: Commodity) -> None:
    """Refuse what the form refuses too (the CLI and the demo call services directly)."""
    if commodity.unit(content["unit_code"]) is None:
        raise PostRefused(_l("Choose a unit of this commodity."))
    if content["grade_id"] is not None and content["grade_id"] not in {g.id for g in commodity.grades}:
        raise PostRefused(_l("Choose a grade of this commodity."))
    lot = content["min_lot"]
    if not 0 < content["quantity"] <= MAX_QUANTITY or (lot is not None and not 0 < lot <= content["quantity"]):
        raise PostRefused(_l("The quantity must be more than 0, and the minimum lot not more than the quantity."))
    if content["ends_on"] < content["starts_on"] or (content["ends_on"] - content["starts_on"]).days > MAX_WINDOW_DAYS:
        raise PostRefused(_l("The window must end on or after its first day, within three years."))
    low, high = content["price_min"], content["price_max"]
    if (low is not None and not 0 < low <= MAX_PRICE) or (high is not None and (low is None or not low <= high <= MAX_PRICE)):
        raise PostRefused(_l("The highest price must not be lower than the lowest."))


def _normalise(post: StaplesPost, commodity: Commodity) -> None:
    """The figures matching compares: base units per month, the lot in base units, Rupiah per base unit."""
    factor = commodity.unit(post.unit_code).factor
    per_month = {Period.ONCE: 1.0, Period.WEEK: WEEKS_PER_MONTH, Period.MONTH: 1.0}[post.period]
    post.monthly_base = post.quantity * factor * per_month
    post.min_lot_base = post.min_lot * factor if post.min_lot else None
    post.price_min_base = post.price_min / factor if post.price_min else None
    post.price_max_base = (post.price_max or post.price_min) / factor if post.price_min else None


def _apply(post: StaplesPost, content: dict, commodity: Commodity) -> None:
    for name in CONTENT_FIELDS:
        setattr(post, name, content[name])
    post.commodity = commodity
    _normalise(post, commodity)


def create_post(business: Business, kind: PostKind, content: dict, *, member_id: int | None = None) -> StaplesPost:
    """A new offer or need, sent for review at once."""
    if business.verification is not Verification.VERIFIED:
        raise BusinessNotVerified
    check_member(business, member_id)  # an active member of this cooperative, or none
    commodity = db.session.get(Commodity, content["commodity_id"])
    check_content(content, commodity)
    post = StaplesPost(kind=kind, business=business, region_code=business.region_code, member_id=member_id,
                       status=PostStatus.PENDING, submitted_at=utcnow())
    _apply(post, content, commodity)
    db.session.add(post)
    db.session.flush()
    return post


def post_content(post: StaplesPost) -> dict:
    """The post's content as the form and `pending_edit` hold it (dates as ISO text in JSON)."""
    return {name: getattr(post, name) for name in CONTENT_FIELDS}


def _to_json(content: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v.value if hasattr(v, "value") else v) for k, v in content.items()}


def _from_json(data: dict) -> dict:
    content = dict(data)
    content["starts_on"], content["ends_on"] = date.fromisoformat(data["starts_on"]), date.fromisoformat(data["ends_on"])
    content["period"] = Period(data["period"])
    content["delivery_terms"], content["transport_by"] = DeliveryTerms(data["delivery_terms"]), Transport(data["transport_by"])
    return content


def proposed_content(post: StaplesPost) -> dict | None:
    return _from_json(post.pending_edit) if post.pending_edit else None


def update_post(post: StaplesPost, content: dict) -> str:
    """An owner's edit: a published post keeps its approved content and the edit waits for review ("edit"); any other
    post changes at once and goes back to review ("resubmitted")."""
    if post.business.verification is not Verification.VERIFIED:
        raise BusinessNotVerified
    if post.status is PostStatus.WITHDRAWN:
        raise PostRefused(_l("A withdrawn post cannot be changed."))
    commodity = db.session.get(Commodity, content["commodity_id"])
    check_content(content, commodity)
    if post.status is PostStatus.PUBLISHED:
        post.pending_edit, post.edit_status, post.edit_reason = _to_json(content), PostStatus.PENDING, ""
        post.submitted_at = utcnow()
        db.session.flush()
        return "edit"
    _apply(post, content, commodity)
    post.status, post.reason, post.submitted_at = PostStatus.PENDING, "", utcnow()
    db.session.flush()
    return "resubmitted"


def withdraw_post(post: StaplesPost) -> None:
    post.status, post.pending_edit, post.edit_status = PostStatus.WITHDRAWN, None, None
    db.session.flush()


def under_review(post: StaplesPost) -> str | None:
    """"post" (new or resubmitted), "edit" (an edit of a published post) or None."""
    if post.status is PostStatus.PENDING:
        return "post"
    if post.status is PostStatus.PUBLISHED and post.edit_status is PostStatus.PENDING:
        return "edit"
    return None


def review_post(actor, post: StaplesPost, action: str, reason: str = "", seen_version: int | None = None, *,
                link: str = "", inbox_url: str = "") -> None:
    """A moderator of the post's region approves, asks for changes or rejects the post or its pending edit; audited."""
    if actor.role is not Role.MODERATOR or actor.region_code != post.region_code:
        raise OutsideRegion
    subject = under_review(post)
    if subject is None or action not in DECISIONS or (seen_version is not None and seen_version != post.version):
        raise AlreadyDecided
    if action != "approve" and not reason.strip():
        raise ReasonRequired
    before = {k: str(v) for k, v in post_content(post).items()} | {"status": post.status.value}
    if subject == "edit":
        if action == "approve":
            content = _from_json(post.pending_edit)
            _apply(post, content, db.session.get(Commodity, content["commodity_id"]))
            post.pending_edit, post.edit_status = None, None
        else:
            post.edit_status, post.edit_reason = DECISIONS[action], reason.strip()
    else:
        post.status, post.reason = DECISIONS[action], reason.strip() if action != "approve" else ""
        if action == "approve":
            post.published_at = utcnow()
    after = {k: str(v) for k, v in post_content(post).items()} | {"status": post.status.value}
    record(actor, f"staples_post{'_edit' if subject == 'edit' else ''}.{action}", post, region_code=post.region_code,
           reason=reason, changes=diff(before, after), label=f"{post.kind.value} {post.commodity.name_id}")
    if inbox_url:
        notify(post.business.owner, f"staples_post.{action}", link=link, inbox_url=inbox_url,
               post=f"{post.commodity.name_id}, {post.quantity} {post.unit_code}", reason=reason.strip())
    flush()
