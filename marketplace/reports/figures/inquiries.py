"""Inquiries received by a region from each buyer region, how many were answered and how fast; and for an agreement
the cross-region lead matrix (buyer region x seller region, per month).

Counted by the seller's region at the time of asking (Inquiry.seller_region_code, recorded when the inquiry is
sent): a business that moved region keeps its earlier inquiries with the region it was in. An inquiry whose buyer
region is not known counts as "unknown"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, select

from marketplace.businesses.models import Business
from marketplace.events.models import Application, Event, EventReach, ReachKind
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry
from marketplace.reports.sql import hours_between, local_month, percentiles
from marketplace.reports.tables import Table, share


def _unknown_last(column):
    """Order by a region code with NULL (unknown) last on both databases (they disagree where NULL sorts)."""
    return case((column.is_(None), 1), else_=0), column


def received(scope, period) -> list[Table]:
    """By buyer region: inquiries received, answered (first reply given) and the share; then the totals, the share
    from partner regions, and the median and p90 hours to the first reply."""
    where = (Inquiry.seller_region_code.in_(scope.codes), period.contains(Inquiry.created_at))
    answered = func.count(Inquiry.replied_at)
    counts = db.session.execute(
        select(Inquiry.buyer_region_code, func.count(Inquiry.id), answered).where(*where)
        .group_by(Inquiry.buyer_region_code)
        .order_by(func.count(Inquiry.id).desc(), *_unknown_last(Inquiry.buyer_region_code))).all()
    rows = [[*scope.regions.cells(code), code in scope.partners, n, replied, share(replied, n)]
            for code, n, replied in counts]
    total = sum(n for _code, n, _r in counts)
    from_partners = sum(n for code, n, _r in counts if code in scope.partners)
    replied_total = sum(r for _code, _n, r in counts)
    reply = db.session.execute(percentiles(
        func.coalesce(Inquiry.seller_region_code, ""), hours_between(Inquiry.replied_at, Inquiry.created_at), *where,
        Inquiry.replied_at.is_not(None))).first()
    summary = [
        [str(_l("Inquiries received")), total],
        [str(_l("From partner regions (%)")), share(from_partners, total)],
        [str(_l("Answered (%)")), share(replied_total, total)],
        [str(_l("Median hours to first reply")), round(float(reply[2]), 1) if reply else None],
        [str(_l("p90 hours to first reply")), round(float(reply[3]), 1) if reply else None],
    ]
    return [
        Table("inquiries", _l("Inquiries received by buyer region"),
              [_l("Buyer region"), _l("Kemendagri code"), _l("Partner region"), _l("Inquiries"), _l("Answered"),
               _l("Answered (%)")], rows, region_columns=(1,), chart=(0, (3,))),
        Table("inquiry_summary", _l("Inquiries: totals and time to first reply"), [_l("Figure"), _l("Value")], summary),
    ]


OTHER = "other"


def _buyer_cells(scope, buyer: str | None) -> list[str]:
    return [str(_l("other regions")), ""] if buyer == OTHER else scope.regions.cells(buyer)


def _buyer_order(scope, buyer: str | None) -> tuple:
    return (0, buyer) if buyer in scope.codes else (1, "") if buyer == OTHER else (2, "")


def lead_matrix(scope, period) -> list[Table]:
    """Inquiries to sellers of the party regions by month, buyer region and seller region; buyers outside the party
    regions together as "other regions", unknown ones as "unknown"; and the matrix over the whole period (buyer
    regions down, seller regions across)."""
    month = local_month(Inquiry.created_at)
    buyer = case((Inquiry.buyer_region_code.in_(scope.codes), Inquiry.buyer_region_code),
                 (Inquiry.buyer_region_code.is_(None), None), else_=literal(OTHER))
    counts = db.session.execute(
        select(month, buyer, Inquiry.seller_region_code, func.count(Inquiry.id))
        .where(Inquiry.seller_region_code.in_(scope.codes), period.contains(Inquiry.created_at))
        .group_by(month, buyer, Inquiry.seller_region_code)).all()
    counts.sort(key=lambda row: (row[0], _buyer_order(scope, row[1]), row[2]))  # a few dozen grouped rows
    rows = [[m, *_buyer_cells(scope, b), *scope.regions.cells(seller), n] for m, b, seller, n in counts]
    totals: dict = {}
    for _m, b, seller, n in counts:
        totals.setdefault(b, dict.fromkeys(scope.codes, 0))[seller] += n
    buyers = sorted(totals, key=lambda b: _buyer_order(scope, b))
    matrix = [[*_buyer_cells(scope, b), *[totals[b][seller] for seller in scope.codes]] for b in buyers]
    return [
        Table("lead_matrix", _l("Cross-region leads: buyer region by seller region"),
              [_l("Buyer region"), _l("Kemendagri code"), *[scope.regions.label(code) for code in scope.codes]],
              matrix, region_columns=(1,), chart=(0, tuple(range(2, 2 + len(scope.codes))))),
        Table("leads_by_month", _l("Inquiries per month"),
              [_l("Month"), _l("Buyer region"), _l("Kemendagri code"), _l("Seller region"), _l("Kemendagri code"),
               _l("Inquiries")], rows, region_columns=(2, 4)),
    ]


def whatsapp(scope, period) -> list[Table]:
    """WhatsApp hand-offs recorded at booths of events under the agreement, per month and seller region (the buyer's
    region is not asked on a hand-off)."""
    month = local_month(EventReach.day, is_date=True)
    counts = db.session.execute(
        select(month, Business.region_code, func.sum(EventReach.count))
        .join(Event, Event.id == EventReach.event_id).join(Application, Application.id == EventReach.application_id)
        .join(Business, Business.id == Application.business_id)
        .where(Event.agreement_id == scope.agreement.id, EventReach.kind == ReachKind.WHATSAPP,
               period.contains_day(EventReach.day), Business.region_code.in_(scope.codes))
        .group_by(month, Business.region_code).order_by(month, Business.region_code)).all()
    rows = [[m, *scope.regions.cells(code), int(n)] for m, code, n in counts]
    return [Table("whatsapp", _l("WhatsApp hand-offs at event booths"),
                  [_l("Month"), _l("Seller region"), _l("Kemendagri code"), _l("WhatsApp hand-offs")], rows,
                  region_columns=(2,), chart=(0, (3,)))]
