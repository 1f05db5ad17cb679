"""Showcase and event reach from their daily counts (nothing about who), and the events held under an agreement."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.events.models import BoothType, Event, EventReach, ReachKind
from marketplace.extensions import db
from marketplace.reports.sql import local_month
from marketplace.reports.tables import Table
from marketplace.showcases.models import Showcase, ShowcaseReach
from marketplace.timeutil import JAKARTA


def _showcase_rows(period, where_showcase, region_column):
    """(month, region, views, clicks) of showcase reach, grouped by the given region column."""
    month = local_month(ShowcaseReach.day, is_date=True)
    views = func.coalesce(func.sum(ShowcaseReach.count).filter(ShowcaseReach.product_id == 0), 0)
    clicks = func.coalesce(func.sum(ShowcaseReach.count).filter(ShowcaseReach.product_id != 0), 0)
    stmt = (select(month, region_column, views, clicks).join(Showcase, Showcase.id == ShowcaseReach.showcase_id)
            .outerjoin(Product, Product.id == ShowcaseReach.product_id)
            .where(where_showcase, period.contains_day(ShowcaseReach.day))
            .group_by(month, region_column).order_by(month, region_column))
    return db.session.execute(stmt).all()


def showcases(scope, period) -> list[Table]:
    """Views of the showcases the region hosts, and clicks from any showcase to the region's products, per month."""
    month = local_month(ShowcaseReach.day, is_date=True)
    views = db.session.execute(
        select(month, func.sum(ShowcaseReach.count)).join(Showcase, Showcase.id == ShowcaseReach.showcase_id)
        .where(Showcase.host_region_code.in_(scope.codes), ShowcaseReach.product_id == 0,
               period.contains_day(ShowcaseReach.day)).group_by(month)).all()
    clicks = db.session.execute(
        select(month, func.sum(ShowcaseReach.count)).join(Product, Product.id == ShowcaseReach.product_id)
        .where(Product.region_code.in_(scope.codes), period.contains_day(ShowcaseReach.day)).group_by(month)).all()
    by_month: dict = {}
    for m, n in views:
        by_month.setdefault(m, [0, 0])[0] = int(n)
    for m, n in clicks:
        by_month.setdefault(m, [0, 0])[1] = int(n)
    rows = [[m, *by_month[m]] for m in sorted(by_month)]
    return [Table("showcase_reach", _l("Showcase reach per month"),
                  [_l("Month"), _l("Views of the region's showcases"), _l("Clicks to the region's products")], rows,
                  chart=(0, (1, 2)))]


def agreement_showcases(scope, period) -> list[Table]:
    """Showcases under the agreement: views by host region, clicks by the region of the product clicked."""
    rows_views = _showcase_rows(period, Showcase.agreement_id == scope.agreement.id, Showcase.host_region_code)
    rows_clicks = _showcase_rows(period, Showcase.agreement_id == scope.agreement.id, Product.region_code)
    views = {(m, code): v for m, code, v, _c in rows_views}
    clicks = {(m, code): c for m, code, _v, c in rows_clicks if code is not None}
    keys = sorted(set(views) | set(clicks), key=lambda k: (k[0], k[1] or ""))
    rows = [[m, *scope.regions.cells(code), int(views.get((m, code), 0)), int(clicks.get((m, code), 0))] for m, code in keys]
    return [Table("agreement_showcases", _l("Showcase reach by region"),
                  [_l("Month"), _l("Region"), _l("Kemendagri code"), _l("Views (host region)"),
                   _l("Clicks to products (product's region)")], rows, region_columns=(2,))]


def _event_reach_columns():
    return [func.coalesce(func.sum(EventReach.count).filter(EventReach.kind == kind), 0) for kind in ReachKind]


def events(scope, period) -> list[Table]:
    """Events the region hosted that started in the period: reach by kind, summed."""
    stmt = (select(func.count(func.distinct(Event.id)), *_event_reach_columns())
            .select_from(Event).outerjoin(EventReach, EventReach.event_id == Event.id)
            .where(Event.host_region_code.in_(scope.codes), Event.published, period.contains(Event.starts_at)))
    held, *reach = db.session.execute(stmt).one()
    rows = [[str(_l("Events held")), held], *[[str(kind.label), int(n)] for kind, n in zip(ReachKind, reach, strict=True)]]
    return [Table("event_reach", _l("Event reach"), [_l("Figure"), _l("Value")], rows, chart=(0, (1,)))]


def agreement_events(scope, period) -> list[Table]:
    """Each published event under the agreement that started in the period: host, booths confirmed, reach."""
    booths = (select(func.coalesce(func.sum(BoothType.confirmed), 0)).where(BoothType.event_id == Event.id)
              .correlate(Event).scalar_subquery())
    reach = [select(func.coalesce(func.sum(EventReach.count), 0))
             .where(EventReach.event_id == Event.id, EventReach.kind == kind).correlate(Event).scalar_subquery()
             for kind in ReachKind]
    found = db.session.execute(
        select(Event.title, Event.starts_at, Event.host_region_code, booths, *reach)
        .where(Event.agreement_id == scope.agreement.id, Event.published, period.contains(Event.starts_at))
        .order_by(Event.starts_at)).all()
    rows = [[title, starts.astimezone(JAKARTA).date().isoformat(), *scope.regions.cells(host), int(b), *[int(n) for n in counts]]
            for title, starts, host, b, *counts in found]
    return [Table("agreement_events", _l("Events held under the agreement"),
                  [_l("Event"), _l("Starts"), _l("Host region"), _l("Kemendagri code"), _l("Booths confirmed"),
                   *[kind.label for kind in ReachKind]], rows, region_columns=(3,), chart=(0, (5,)))]
