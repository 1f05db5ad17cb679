"""Showcase changes: create and edit (host region's moderators, or admins), curate, nominate, decide, count reach.
Each change by staff writes one audit entry in the same unit of work; nothing here commits."""

from datetime import date

from flask_babel import lazy_gettext as _l

from marketplace import counting
from marketplace.accounts.models import Role, User
from marketplace.audit import diff, record
from marketplace.catalog.models import Product
from marketplace.domain import AlreadyDecided, DomainError, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.regions.models import Agreement
from marketplace.showcases.eligibility import NotEligible, agreement_active_for_promotion, check_eligible
from marketplace.showcases.models import Nomination, NominationStatus, Phase, Showcase, ShowcaseItem, ShowcaseReach
from marketplace.slugs import unique_slug

FIELDS = ("title", "description", "starts_on", "ends_on", "venue", "event_dates", "published", "cover")


class ShowcaseRefused(DomainError):
    """A change the showcase rules refuse; .message says why, for the person who tried."""

    status = 422


def can_host(actor: User, agreement: Agreement, host_region_code: str, on: date) -> None:
    """Raise ShowcaseRefused unless actor may host a showcase in host_region_code under agreement."""
    if actor.role is Role.MODERATOR and actor.region_code != host_region_code:
        raise ShowcaseRefused(_l("Moderators host showcases in their own region only."))
    if not agreement_active_for_promotion(agreement, on):
        raise ShowcaseRefused(_l("This agreement is not active for UMKM promotion."))
    if host_region_code not in agreement.region_codes:
        raise ShowcaseRefused(_l("Your region is not a party to this agreement."))


def check_editor(actor: User, showcase: Showcase) -> None:
    """Only the host region's moderators and admins curate a showcase; anyone else gets OutsideRegion (a 404)."""
    if not showcase.curated_by(actor):
        raise OutsideRegion


def _state(showcase: Showcase) -> dict:
    """The audited fields, with dates as text so they fit in the audit entry's JSON."""
    values = {name: getattr(showcase, name) for name in FIELDS}
    return {name: str(value) if isinstance(value, date) else value for name, value in values.items()}


def _audit(actor: User, action: str, showcase: Showcase, changes: dict, reason: str = "") -> None:
    record(actor, action, showcase, region_code=showcase.host_region_code, label=showcase.title, changes=changes,
           reason=reason)


def create_showcase(actor: User, *, agreement: Agreement, host_region_code: str, title: str, on: date, **fields) -> Showcase:
    """A new showcase hosted by host_region_code under agreement (ShowcaseRefused unless actor may host it)."""
    can_host(actor, agreement, host_region_code, on)
    showcase = Showcase(agreement=agreement, host_region_code=host_region_code, title=title.strip(),
                        slug=unique_slug(title, Showcase.slug), **fields)
    db.session.add(showcase)
    db.session.flush()
    _audit(actor, "showcase.create", showcase, diff({}, _state(showcase)))
    return showcase


def update_showcase(actor: User, showcase: Showcase, **fields) -> None:
    """Change the showcase's settings (FIELDS)."""
    check_editor(actor, showcase)
    before = _state(showcase)
    for name, value in fields.items():
        setattr(showcase, name, value)
    _audit(actor, "showcase.update", showcase, diff(before, _state(showcase)))


def add_product(actor: User, showcase: Showcase, product: Product, on: date) -> ShowcaseItem:
    """Put an eligible product into the showcase (raises NotEligible with the reason)."""
    check_editor(actor, showcase)
    check_eligible(product, showcase, on)
    if any(item.product_id == product.id for item in showcase.items):
        raise ShowcaseRefused(_l("This product is already in the showcase."))
    item = ShowcaseItem(product=product, position=len(showcase.items))
    showcase.items.append(item)  # from the parent's side, so the item joins the session (no backref cascade in SA 2)
    _audit(actor, "showcase.add_product", showcase, {"product": [None, product.id]})
    return item


def remove_product(actor: User, showcase: Showcase, product_id: int) -> None:
    """Take a product out of the showcase (nothing happens if it is not in it)."""
    check_editor(actor, showcase)
    for item in list(showcase.items):
        if item.product_id == product_id:
            showcase.items.remove(item)
            _audit(actor, "showcase.remove_product", showcase, {"product": [product_id, None]})


def reorder(actor: User, showcase: Showcase, positions: dict[int, int]) -> None:
    """Put the showcase's products in the order given as product id -> position (unlisted ones keep their place)."""
    check_editor(actor, showcase)
    before = [item.product_id for item in showcase.items]
    ordered = sorted(showcase.items, key=lambda item: (positions.get(item.product_id, item.position + 1), item.position))
    for position, item in enumerate(ordered):
        item.position = position
    after = [item.product_id for item in ordered]
    if after != before:
        _audit(actor, "showcase.reorder", showcase, {"order": [before, after]})


def nominate(owner: User, showcase: Showcase, product: Product, pitch: str, on: date) -> Nomination:
    """An owner proposes one of their products for a live or upcoming showcase."""
    if product.business.owner_id != owner.id:
        raise OutsideRegion
    if showcase.phase(on) not in (Phase.LIVE, Phase.UPCOMING):
        raise ShowcaseRefused(_l("Nominations are open only for live and upcoming showcases."))
    check_eligible(product, showcase, on)
    if db.session.scalar(db.select(Nomination.id).where(Nomination.showcase_id == showcase.id,
                                                        Nomination.product_id == product.id)):
        raise ShowcaseRefused(_l("This product has already been nominated for this showcase."))
    nomination = Nomination(showcase=showcase, product=product, owner=owner, pitch=pitch.strip()[:500])
    db.session.add(nomination)
    db.session.flush()
    return nomination


def decide_nomination(actor: User, nomination: Nomination, accept: bool, reason: str, on: date, *, link: str,
                      inbox_url: str) -> None:
    """Accept (the product joins the showcase) or decline with a reason; the owner is told either way (link: the
    owner's nominations page; inbox_url: the absolute address of their notifications, for the mail)."""
    showcase = nomination.showcase
    check_editor(actor, showcase)
    if nomination.status is not NominationStatus.PENDING:
        raise AlreadyDecided(_l("This nomination has already been decided."))
    if not accept and not reason.strip():
        raise ReasonRequired
    if accept:
        check_eligible(nomination.product, showcase, on)
        if not any(item.product_id == nomination.product_id for item in showcase.items):
            showcase.items.append(ShowcaseItem(product=nomination.product, position=len(showcase.items)))
    nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.DECLINED
    nomination.reason = reason.strip()
    action = "accept" if accept else "decline"
    _audit(actor, f"nomination.{action}", showcase, reason=reason,
           changes={"product": [None, nomination.product_id] if accept else [None, None],
                    "nomination": [NominationStatus.PENDING.value, nomination.status.value]})
    notify(nomination.owner, f"nomination.{action}", link=link, inbox_url=inbox_url,
           product=nomination.product.name, showcase=showcase.title, reason=reason.strip())


def count_reach(showcase_id: int, product_id: int, day: date) -> None:
    """Add one to a day's counter (views when product_id is 0, else clicks to that product); no personal data.

    One upsert (INSERT ... ON CONFLICT DO UPDATE, in SQLite and PostgreSQL alike) as the request commits: two
    requests counting the first view of a day at once both count, neither needs a savepoint, and the row is locked
    for the commit only (counting.add_at_commit)."""
    counting.add_at_commit(ShowcaseReach, {"showcase_id": showcase_id, "product_id": product_id, "day": day}, count=1)


__all__ = ["NotEligible", "OutsideRegion", "ShowcaseRefused"]
