"""The region's "bela beli produk UMKM" programme: purchases by its offices' staff, counted once the seller confirmed.

Per month of the period: the total of confirmed purchases, the sellers bought from, and the offices whose confirmed
purchases met their target (belabeli/fulfilment.py computes each, in grouped SQL). A region without a programme
has no rows."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.belabeli import fulfilment
from marketplace.belabeli.models import Office, Programme, Purchase, PurchaseStatus
from marketplace.extensions import db
from marketplace.reports.tables import Table


def purchases(scope, period) -> list[Table]:
    """Per region with a programme and month of the period: confirmed total, sellers, offices meeting the target."""
    rows = []
    for programme in db.session.scalars(select(Programme).where(Programme.region_code.in_(scope.codes))
                                        .order_by(Programme.region_code)):
        offices = fulfilment.office_count(programme)
        for month in sorted(fulfilment.public_months(programme), key=lambda m: m["month"]):
            if period.first_month <= month["month"] <= period.last_month:
                rows.append([*scope.regions.cells(programme.region_code), month["month"], month["total"],
                             month["sellers"], month["offices_met"], offices])
    return [Table("bela_beli", _l("Bela beli: confirmed purchases of government offices"),
                  [_l("Region"), _l("Kemendagri code"), _l("Month"), _l("Confirmed purchases (Rp)"),
                   _l("Sellers bought from"), _l("Offices meeting the target"), _l("Offices")],
                  rows, region_columns=(1,), chart=(2, (3,)))]


def confirmed_by_region(codes: list[str], period):
    """For the public impact: per region, the confirmed purchases of the period and how many sellers they went to."""
    return (select(Programme.region_code, func.sum(Purchase.amount), func.count(func.distinct(Purchase.business_id)))
            .join(Office, Office.id == Purchase.office_id).join(Programme, Programme.id == Office.programme_id)
            .where(Programme.region_code.in_(codes), Purchase.status == PurchaseStatus.CONFIRMED,
                   Purchase.month >= period.first_month, Purchase.month <= period.last_month)
            .group_by(Programme.region_code))
