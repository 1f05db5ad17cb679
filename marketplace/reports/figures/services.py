"""Institutions' services used by the region's businesses: training participants and service requests.

Counted by the business's region now (training and requests record no region of their own)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.businesses.models import Business
from marketplace.extensions import db
from marketplace.institutions.request_models import RequestState, ServiceRequest
from marketplace.institutions.training_models import Cohort, Enrolment
from marketplace.reports.tables import Table


def training(scope, period) -> list[Table]:
    """Per region: participants who attended a cohort that started in the period, and their businesses."""
    rows = db.session.execute(
        select(Business.region_code, func.count(Enrolment.id), func.count(func.distinct(Enrolment.business_id)))
        .join(Enrolment.cohort).join(Business, Business.id == Enrolment.business_id)
        .where(Business.region_code.in_(scope.codes), Enrolment.attended, period.contains_day(Cohort.starts_on))
        .group_by(Business.region_code).order_by(Business.region_code)).all()
    return [Table("training", _l("Training participants"),
                  [_l("Region"), _l("Kemendagri code"), _l("Participants who attended"), _l("Businesses")],
                  [[*scope.regions.cells(code), n, b] for code, n, b in rows], region_columns=(1,), chart=(0, (2,)))]


def requests(scope, period) -> list[Table]:
    """Service requests sent in the period by the region's businesses, by state."""
    counts = dict(db.session.execute(
        select(ServiceRequest.state, func.count(ServiceRequest.id)).join(Business, Business.id == ServiceRequest.business_id)
        .where(Business.region_code.in_(scope.codes), ServiceRequest.state != RequestState.DRAFT,
               period.contains(ServiceRequest.submitted_at))
        .group_by(ServiceRequest.state)).all())
    rows = [[str(state.label), counts.get(state, 0)] for state in RequestState if state is not RequestState.DRAFT]
    return [Table("service_requests", _l("Service requests to institutions"), [_l("State"), _l("Requests")], rows,
                  chart=(0, (1,)))]
