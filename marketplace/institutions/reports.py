"""The institution's report: requests by service and state, time to issue (median and p90, working days) per
service, and trained participants by region; as a page and as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from statistics import median

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import func

from marketplace.businesses.models import Business
from marketplace.extensions import db
from marketplace.institutions.models import Institution, InstitutionService, ServiceKind
from marketplace.institutions.request_models import RequestState, ServiceRequest
from marketplace.institutions.training_models import Cohort, Enrolment
from marketplace.institutions.workdays import working_days_between
from marketplace.regions.models import Region


@dataclass
class Figures:
    by_service_state: dict[ServiceKind, dict[RequestState, int]] = field(default_factory=dict)
    time_to_issue: dict[ServiceKind, tuple[int, float, float]] = field(default_factory=dict)  # n, median, p90
    trained_by_region: list[tuple[str, int]] = field(default_factory=list)


def _p90(values: list[int]) -> float:
    """The nearest-rank 90th percentile."""
    ordered = sorted(values)
    return float(ordered[max(0, -(-9 * len(ordered) // 10) - 1)])


def institution_report(institution: Institution) -> Figures:
    figures = Figures()
    rows = db.session.execute(
        db.select(InstitutionService.kind, ServiceRequest.state, func.count(ServiceRequest.id))
        .join(ServiceRequest.service).where(ServiceRequest.institution_id == institution.id,
                                            ServiceRequest.state != RequestState.DRAFT)
        .group_by(InstitutionService.kind, ServiceRequest.state))
    for kind, state, count in rows:
        figures.by_service_state.setdefault(kind, {})[state] = count
    waits: dict[ServiceKind, list[int]] = {}
    for kind, sent, issued in db.session.execute(
            db.select(InstitutionService.kind, ServiceRequest.submitted_at, ServiceRequest.decided_at)
            .join(ServiceRequest.service)
            .where(ServiceRequest.institution_id == institution.id, ServiceRequest.state == RequestState.ISSUED)):
        waits.setdefault(kind, []).append(working_days_between(sent, issued))
    figures.time_to_issue = {kind: (len(days), float(median(days)), _p90(days)) for kind, days in waits.items()}
    counts = db.session.execute(
        db.select(Business.region_code, func.count(Enrolment.id))
        .join(Enrolment.cohort).join(Enrolment.business)
        .where(Cohort.institution_id == institution.id, Enrolment.attended)
        .group_by(Business.region_code).order_by(func.count(Enrolment.id).desc(), Business.region_code)).all()
    regions = {r.code: r for r in db.session.scalars(db.select(Region).where(Region.code.in_([c for c, _n in counts])))}
    figures.trained_by_region = [(f"{regions[code].full_name} ({code})", count) for code, count in counts]
    return figures


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_response(figures: Figures, filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("section"), _("service or region"), _("state"), _("count"), _("median working days"),
                     _("p90 working days")])
    for kind, states in figures.by_service_state.items():
        for state, count in states.items():
            writer.writerow(["requests", _cell(kind.label), _cell(state.label), count, "", ""])
    for kind, (count, mid, p90) in figures.time_to_issue.items():
        writer.writerow(["time_to_issue", _cell(kind.label), "", count, mid, p90])
    for name, count in figures.trained_by_region:
        writer.writerow(["trained", _cell(name), "", count, "", ""])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})
