"""Inquiries received by a region from each buyer region, how many were answered and how fast; and for an agreement
the cross-region lead matrix (buyer region x seller region, per month).

Counted by the seller's region at the time of asking (Inquiry.seller_region_code, recorded when the inquiry is
sent): a business that moved region keeps its earlier inquiries with the region it was in. An inquiry whose buyer
region is not known counts as "unknown".

Read from the summaries the inquiry services keep in the same transaction (InquiryMonth, InquiryReplyMonth: per
seller region, month of asking and buyer region), never from the inquiries themselves; the time to the first reply
from its buckets (marketplace/counting.py: a median or p90 is the upper bound of the bucket that holds it)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, select

from marketplace.businesses.models import Business
from marketplace.counting import UNKNOWN
from marketplace.events.models import Application, Event, EventReach, ReachKind
from marketplace.extensions import db
from marketplace.inquiries.models import InquiryMonth, InquiryReplyMonth
from marketplace.reports.sql import bucket_percentiles, local_month
from marketplace.reports.tables import Table, share


def _buyer(code: str) -> str | None:
    return None if code == UNKNOWN else code


def received(scope, period) -> list[Table]:
    """By buyer region: inquiries received, answered (first reply given) and the share; then the totals, the share
    from partner regions, and the median and p90 hours to the first reply."""
    n, answered = func.sum(InquiryMonth.inquiries), func.sum(InquiryMonth.answered)
    counts = [(_buyer(code), int(total), int(replied)) for code, total, replied in db.session.execute(
        select(InquiryMonth.buyer_region_code, n, answered)
        .where(InquiryMonth.seller_region_code.in_(scope.codes), period.contains_month(InquiryMonth.month))
        .group_by(InquiryMonth.buyer_region_code).having(n > 0)
        .order_by(n.desc(), case((InquiryMonth.buyer_region_code == UNKNOWN, 1), else_=0),
                  InquiryMonth.buyer_region_code))]
    rows = [[*scope.regions.cells(code), code in scope.partners, n, replied, share(replied, n)]
            for code, n, replied in counts]
    total = sum(n for _code, n, _r in counts)
    from_partners = sum(n for code, n, _r in counts if code in scope.partners)
    replied_total = sum(r for _code, _n, r in counts)
    reply = db.session.execute(bucket_percentiles(
        InquiryReplyMonth.seller_region_code, InquiryReplyMonth.minutes, InquiryReplyMonth.inquiries,
        InquiryReplyMonth.seller_region_code.in_(scope.codes), period.contains_month(InquiryReplyMonth.month))).first()
    summary = [
        [str(_l("Inquiries received")), total],
        [str(_l("From partner regions (%)")), share(from_partners, total)],
        [str(_l("Answered (%)")), share(replied_total, total)],
        [str(_l("Median hours to first reply")), round(reply[2] / 60, 1) if reply else None],
        [str(_l("p90 hours to first reply")), round(reply[3] / 60, 1) if reply else None],
    ]
    return [
        Table("inquiries", _l("Inquiries received by buyer region"),
              [_l("Buyer region"), _l("Kemendagri code"), _l("Partner region"), _l("Inquiries"), _l("Answered"),
               _l("Answered (%)")], rows, region_columns=(1,), chart=(0, (3,))),
        Table("inquiry_summary", _l("Inquiries: totals and time to first reply"), [_l("Figure"), _l("Value")], summary,
              note=_l("Hours to the first reply are counted in buckets: to the minute under an hour, to 15 minutes "
                      "under a day, to the hour under 60 days; the median and the 90th percentile are the upper "
                      "bound of the bucket that holds them.")),
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
    buyer = case((InquiryMonth.buyer_region_code.in_(scope.codes), InquiryMonth.buyer_region_code),
                 (InquiryMonth.buyer_region_code == UNKNOWN, None), else_=literal(OTHER))
    counts = db.session.execute(
        select(InquiryMonth.month, buyer, InquiryMonth.seller_region_code, func.sum(InquiryMonth.inquiries))
        .where(InquiryMonth.seller_region_code.in_(scope.codes), period.contains_month(InquiryMonth.month))
        .group_by(InquiryMonth.month, buyer, InquiryMonth.seller_region_code)
        .having(func.sum(InquiryMonth.inquiries) > 0)).all()
    counts = [(m, b, seller, int(n)) for m, b, seller, n in counts]
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
