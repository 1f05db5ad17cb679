"""The coach's state changes: holiday mode, DKUPP's nudge and follow-up log, archiving a business that no longer
trades (and restoring it), the nightly region totals, and measuring photos uploaded before the hints existed. They
flush; the unit of work commits. Callers give the clock and the links (services build no URLs)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from huey import crontab

from marketplace.accounts.models import Role
from marketplace.audit import record
from marketplace.businesses.models import Business
from marketplace.coach import queries
from marketplace.coach.models import AwayPeriod, DormancySnapshot, FollowUp, FollowUpKind
from marketplace.coach.quality import score_products
from marketplace.domain import DomainError, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.jobs import periodic
from marketplace.media.hints import measure
from marketplace.media.models import Photo
from marketplace.media.storage import storage
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.timeutil import JAKARTA

MAX_AWAY_DAYS = 120
# What DKUPP may write in the log by hand; nudges, archiving and restoring are logged by their own actions.
LOGGED_BY_HAND = (FollowUpKind.VISITED, FollowUpKind.TRAINED, FollowUpKind.PHOTOGRAPHED, FollowUpKind.NOT_TRADING)


class AwayDateRefused(DomainError):
    status = 422
    message = _l("Choose a date from today up to %(days)d days ahead.", days=MAX_AWAY_DAYS)


class NotArchived(DomainError):
    status = 409
    message = _l("This business is not archived.")


def _end_of_day(day: date) -> datetime:
    """The first moment after that local (Jakarta) day."""
    return datetime.combine(day + timedelta(days=1), time(), JAKARTA)


def _local_day(now: datetime) -> date:
    return now.astimezone(JAKARTA).date()


def set_away(business: Business, until: date, now: datetime) -> None:
    """Holiday mode until that local day: public pages say so, and inquiries received meanwhile are not counted
    against the owner's responsiveness. A new date replaces the current period."""
    today = _local_day(now)
    if not today <= until <= today + timedelta(days=MAX_AWAY_DAYS):
        raise AwayDateRefused
    _close_periods(business, now)
    business.away_until = until
    db.session.add(AwayPeriod(business_id=business.id, starts_at=now, ends_at=_end_of_day(until)))
    db.session.flush()


def end_away(business: Business, now: datetime) -> None:
    """Back before the chosen date: the period ends now."""
    _close_periods(business, now)
    business.away_until = None
    db.session.flush()


def _close_periods(business: Business, now: datetime) -> None:
    for period in db.session.scalars(db.select(AwayPeriod).where(AwayPeriod.business_id == business.id,
                                                                 AwayPeriod.ends_at > now)):
        period.ends_at = max(now, period.starts_at)


def _check_region(moderator, business: Business) -> None:
    if moderator.role is not Role.MODERATOR or moderator.region_code != business.region_code:
        raise OutsideRegion


def _log(actor, business: Business, kind: FollowUpKind, note: str = "") -> FollowUp:
    entry = FollowUp(business_id=business.id, actor_id=actor.id, actor_name=actor.name, kind=kind, note=note.strip())
    db.session.add(entry)
    return entry


def log_follow_up(moderator, business: Business, kind: FollowUpKind, note: str) -> FollowUp:
    """DKUPP's note of what it did about a seller (visited, trained, photographed, no longer trading); audited."""
    _check_region(moderator, business)
    if kind not in LOGGED_BY_HAND:
        raise DomainError
    entry = _log(moderator, business, kind, note)
    record(moderator, "coach.follow_up", business, region_code=business.region_code, reason=note,
           changes={"kind": [None, kind.value]})
    db.session.flush()
    return entry


def hints_text(business: Business, on: date) -> str:
    """The next best actions for the business's public products, one line each, in the current language."""
    products = queries.products_of([business.id])
    qualities = score_products(products, on)
    lines = [f"- {product.name}: {hint}" for product in products for hint in qualities[product.id].hints[:3]]
    return "\n".join(lines)


def nudge(moderator, business: Business, *, link: str, inbox_url: str, now: datetime) -> None:
    """Remind the owner of a dormant business, in the app and by mail in their language, with their products' hints
    (written in the owner's language: the owner is the one reader); logged and audited."""
    _check_region(moderator, business)
    owner = business.owner
    with force_locale(owner.locale):
        hints = hints_text(business, _local_day(now)) or str(_l("- Keep your prices and stock up to date."))
    notify(owner, "coach.nudge", link=link, inbox_url=inbox_url, business=business.name, hints=hints)
    _log(moderator, business, FollowUpKind.NUDGED)
    record(moderator, "coach.nudge", business, region_code=business.region_code)
    db.session.flush()


def archive_business(actor, business: Business, reason: str, now: datetime) -> None:
    """The business no longer trades: its products leave the public catalogue (catalog/visibility.py) until staff
    restore it. The owner may archive their own; the region's DKUPP only with a reason (audited)."""
    reason = reason.strip()
    if actor.role is Role.OWNER:
        if business.owner_id != actor.id:
            raise OutsideRegion
    else:
        _check_region(actor, business)
        if not reason:
            raise ReasonRequired
    if business.archived_at is None:
        business.archived_at, business.archive_reason = now, reason or None
        _log(actor, business, FollowUpKind.ARCHIVED, reason)
        record(actor, "business.archive", business, region_code=business.region_code, reason=reason)
    db.session.flush()


def restore_business(moderator, business: Business, note: str) -> None:
    """Staff undo an archiving: the business's published products are public again (audited)."""
    _check_region(moderator, business)
    if business.archived_at is None:
        raise NotArchived
    business.archived_at, business.archive_reason = None, None
    _log(moderator, business, FollowUpKind.RESTORED, note)
    record(moderator, "business.restore", business, region_code=business.region_code, reason=note)
    db.session.flush()


def take_snapshots(now: datetime) -> int:
    """Write (or rewrite) today's active and dormant totals of every region with sellers; returns how many."""
    day = _local_day(now)
    totals = queries.totals_by_region(now)
    existing = {row.region_code: row for row in db.session.scalars(
        db.select(DormancySnapshot).where(DormancySnapshot.day == day))}
    for code, (active, dormant) in totals.items():
        row = existing.get(code) or DormancySnapshot(region_code=code, day=day)
        row.active, row.dormant = active, dormant
        db.session.add(row)
    db.session.flush()
    return len(totals)


@periodic(crontab(minute="40", hour="17"))  # 00:40 in Jakarta: the day just ended
def snapshot_dormancy() -> None:
    """The nightly job: each region's active and dormant totals of the day."""
    take_snapshots(utcnow())


def backfill_photo_hints(limit: int = 500) -> int:
    """Measure the hints of photos uploaded before they existed, from their stored 320 px JPEG; returns how many.
    A photo whose file cannot be read is skipped (and tried again next time)."""
    photos = db.session.scalars(db.select(Photo).where(Photo.mean_luminance.is_(None), Photo.pending.is_(False))
                                .order_by(Photo.id).limit(limit)).all()
    done = 0
    for photo in photos:
        width = min(photo.rendition_widths or [320])
        try:
            photo.mean_luminance, photo.sharpness = measure(storage().get(photo.filename(width, "jpg")))
            done += 1
        except Exception:  # a missing or unreadable file: leave the photo unmeasured
            current_app.logger.warning("photo %s: no rendition to measure", photo.id)
    db.session.flush()
    return done
