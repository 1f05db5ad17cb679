"""Renewal reminders: 60 and 30 days before an issued certificate expires, the owner is told once each (a daily
job), with a link to the request where renewal is one step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import current_app, url_for
from huey import crontab

from marketplace.extensions import db
from marketplace.institutions.request_models import RequestState, ServiceRequest
from marketplace.jobs import periodic
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.timeutil import today


def send_renewal_reminders(on: date, *, link_for: Callable[[int], str], inbox_url: str) -> int:
    """Remind the owners of certificates ending within 60 (then 30) days, each reminder once; how many were sent."""
    due = db.session.scalars(
        db.select(ServiceRequest).where(
            ServiceRequest.state == RequestState.ISSUED, ServiceRequest.certificate_valid_until.is_not(None),
            ServiceRequest.certificate_valid_until >= on,
            ServiceRequest.certificate_valid_until <= on + timedelta(days=60),
            ServiceRequest.reminded_30_at.is_(None)))
    sent = 0
    for request in due:
        days = (request.certificate_valid_until - on).days
        if days <= 30:
            kind, request.reminded_30_at = "service_request.renew_30", utcnow()
            request.reminded_60_at = request.reminded_60_at or request.reminded_30_at
        elif request.reminded_60_at is None:
            kind, request.reminded_60_at = "service_request.renew_60", utcnow()
        else:
            continue
        notify(request.business.owner, kind, link=link_for(request.id), inbox_url=inbox_url,
               service=str(request.service.kind.label), number=request.certificate_number, days=days)
        sent += 1
    db.session.flush()
    return sent


@periodic(crontab(minute="40", hour="0"))  # 07:40 in Jakarta
def remind_renewals() -> None:
    """The daily job; links are built for BASE_URL (or localhost in development)."""
    with current_app.test_request_context("/", base_url=current_app.config.get("BASE_URL") or "http://localhost"):
        sent = send_renewal_reminders(today(), link_for=lambda i: url_for("institutions.my_request", request_id=i),
                                      inbox_url=url_for("notifications.index", _external=True))
    current_app.logger.info("sent %d renewal reminders", sent)
