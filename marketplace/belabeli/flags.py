"""Purchases left unconfirmed by their seller for more than the programme's flag_after_days are told to the region's
DKUPP moderators once (a periodic job). Each purchase is claimed by one conditional UPDATE (WHERE flagged_at IS NULL):
two runs at the same moment, or a run repeated, tell of it once."""

from datetime import datetime, timedelta

from flask import current_app, url_for
from huey import crontab

from marketplace.accounts.models import Role, User
from marketplace.belabeli.models import Office, Programme, Purchase, PurchaseStatus
from marketplace.belabeli.services import Links
from marketplace.extensions import db
from marketplace.jobs import periodic
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify


def _claim(purchase_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        db.update(Purchase).where(Purchase.id == purchase_id, Purchase.flagged_at.is_(None),
                                  Purchase.status == PurchaseStatus.PENDING)
        .values(flagged_at=now).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def flag_waiting_purchases(now: datetime) -> int:
    """Tell each region's active moderators of the purchases newly waiting too long (one notification per moderator
    and programme per run, with the count); how many purchases were flagged."""
    flagged = 0
    for programme in db.session.scalars(db.select(Programme).order_by(Programme.id)):
        cutoff = now - timedelta(days=programme.flag_after_days)
        waiting = db.session.scalars(
            db.select(Purchase.id).join(Purchase.office)
            .where(Office.programme_id == programme.id, Purchase.status == PurchaseStatus.PENDING,
                   Purchase.flagged_at.is_(None), Purchase.created_at < cutoff).order_by(Purchase.id)).all()
        count = sum(1 for purchase_id in waiting if _claim(purchase_id, now))
        if not count:
            continue
        flagged += count
        links = _links(programme.region_code)
        moderators = db.session.scalars(db.select(User).where(User.role == Role.MODERATOR, User.active.is_(True),
                                                              User.region_code == programme.region_code))
        for moderator in moderators:
            notify(moderator, "purchase.flag", link=links.page, inbox_url=links.inbox_url, n=count,
                   days=programme.flag_after_days)
    db.session.flush()
    return flagged


def _links(code: str) -> Links:
    try:
        return Links(page=url_for("belabeli.programme", code=code),
                     inbox_url=url_for("notifications.index", _external=True))
    except RuntimeError:  # no request and no SERVER_NAME (development): the path alone
        return Links(page=f"/moderation/bela-beli/{code}", inbox_url="/my/notifications")


@periodic(crontab(minute="15", hour="1"))  # 08:15 in Jakarta
def flag_purchases() -> None:
    """The daily job; links are built for BASE_URL (or localhost in development)."""
    with current_app.test_request_context("/", base_url=current_app.config.get("BASE_URL") or "http://localhost"):
        flagged = flag_waiting_purchases(utcnow())
    current_app.logger.info("flagged %d bela beli purchases to DKUPP", flagged)
