"""Helpers shared by the institutions' views: links given to services, and the wait against the service standard."""

from flask import url_for

from marketplace.institutions.request_models import ServiceRequest
from marketplace.institutions.workdays import working_days_between
from marketplace.models_base import utcnow


def inbox_url() -> str:
    return url_for("notifications.index", _external=True)


def owner_link(request_id: int) -> str:
    return url_for("institutions.my_request", request_id=request_id)


def waited(request: ServiceRequest) -> int | None:
    """Working days since the request was first sent, until its outcome (None: not sent yet)."""
    if request.submitted_at is None:
        return None
    return working_days_between(request.submitted_at, request.decided_at or utcnow())
