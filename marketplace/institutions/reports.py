"""The institution's report: requests by service and state, time to issue (median and p90, working days) per
service, and trained participants (attended) by region and by region and sector; as a page and as CSV.

A participant's sector is the cohort's sector when the cohort was open to one sector only (its eligible category);
otherwise the sector of the business they enrolled for: the top-level catalogue category most of its products are
in (ties to the category listed first), or "no products yet"."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from statistics import median

from flask import Response
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func

from marketplace.businesses.models import Business
from marketplace.catalog.models import Category, Product
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
    trained_by_region_sector: list[tuple[str, str, int]] = field(default_factory=list)  # region, sector, count


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
    figures.trained_by_region_sector = _trained_by_region_sector(institution)
    return figures


def _top_categories() -> tuple[dict[int, Category], dict[int, int]]:
    """Every category by id, and each category's top-level ancestor."""
    categories = {c.id: c for c in db.session.scalars(db.select(Category))}
    top = {}
    for category_id, category in categories.items():
        while category.parent_id is not None:
            category = categories[category.parent_id]
        top[category_id] = category.id
    return categories, top


def _main_sectors(business_ids: set[int], top: dict[int, int], categories: dict[int, Category]) -> dict[int, int]:
    """Each business's top-level category with the most of its products (ties: the one listed first)."""
    tally: dict[int, dict[int, int]] = {}
    for business_id, category_id, count in db.session.execute(
            db.select(Product.business_id, Product.category_id, func.count(Product.id))
            .where(Product.business_id.in_(business_ids)).group_by(Product.business_id, Product.category_id)):
        sectors = tally.setdefault(business_id, {})
        sectors[top[category_id]] = sectors.get(top[category_id], 0) + count
    return {business_id: min(sectors, key=lambda c: (-sectors[c], categories[c].position, c))
            for business_id, sectors in tally.items()}


def _trained_by_region_sector(institution: Institution) -> list[tuple[str, str, int]]:
    rows = db.session.execute(
        db.select(Business.id, Business.region_code, Cohort.eligible_category_id)
        .select_from(Enrolment).join(Enrolment.cohort).join(Enrolment.business)
        .where(Cohort.institution_id == institution.id, Enrolment.attended)).all()
    if not rows:
        return []
    categories, top = _top_categories()
    main = _main_sectors({business_id for business_id, _r, cohort_sector in rows if cohort_sector is None},
                         top, categories)
    locale = str(get_locale() or "id")
    tally: dict[tuple[str, str], int] = {}
    for business_id, region_code, cohort_sector in rows:
        sector_id = top.get(cohort_sector) if cohort_sector is not None else main.get(business_id)
        sector = categories[sector_id].name(locale) if sector_id is not None else _("no products yet")
        tally[(region_code, sector)] = tally.get((region_code, sector), 0) + 1
    regions = {r.code: r for r in db.session.scalars(db.select(Region).where(Region.code.in_({c for c, _s in tally})))}
    return sorted(((f"{regions[code].full_name} ({code})", sector, count) for (code, sector), count in tally.items()),
                  key=lambda row: (-row[2], row[0], row[1]))


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_response(figures: Figures, filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("section"), _("service or region"), _("state or sector"), _("count"), _("median working days"),
                     _("p90 working days")])
    for kind, states in figures.by_service_state.items():
        for state, count in states.items():
            writer.writerow(["requests", _cell(kind.label), _cell(state.label), count, "", ""])
    for kind, (count, mid, p90) in figures.time_to_issue.items():
        writer.writerow(["time_to_issue", _cell(kind.label), "", count, mid, p90])
    for name, count in figures.trained_by_region:
        writer.writerow(["trained", _cell(name), "", count, "", ""])
    for region, sector, count in figures.trained_by_region_sector:
        writer.writerow(["trained_by_sector", _cell(region), _cell(sector), count, "", ""])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})
