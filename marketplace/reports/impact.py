"""Public impact figures of an agreement, per party region: aggregates only, each with its definition and how it is
counted. A cell that counts fewer than 3 businesses (but more than none) is shown as "<3", never its value, so no
single business's figures can be read off it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, literal, null, select, union_all

from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Product
from marketplace.events.models import Event, EventReach
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryMonth
from marketplace.institutions.training_models import Cohort, Enrolment
from marketplace.regions.models import Agreement
from marketplace.reports.cache import cached
from marketplace.reports.figures import belabeli
from marketplace.reports.tables import Regions
from marketplace.showcases.models import Showcase, ShowcaseReach
from marketplace.staples.models import Commodity, Deal, Delivery, DeliveryStatus

SMALL = 3  # fewer businesses than this in a cell: suppressed

# figure key -> (label, definition, how it is counted)
FIGURES = {
    "verified_businesses": (_l("Verified businesses"), _l("Businesses of the region verified by its DKUPP, now."),
                            _l("Counted by the business's current region; archived ones left out.")),
    "public_products": (_l("Public products"), _l("Products on sale in the catalogue now."),
                        _l("Published products of verified businesses.")),
    "inquiries_across": (_l("Inquiries across regions"),
                         _l("Inquiries to the region's sellers from buyers in another party region, in the period."),
                         _l("By the seller's region at the time of asking.")),
    "showcase_views": (_l("Showcase views"), _l("Views of the showcases the region hosts under the agreement."),
                       _l("Page views per day, nobody recorded.")),
    "event_reach": (_l("Event reach"), _l("Page views, QR scans and WhatsApp clicks of the region's events under the "
                                          "agreement that started in the period."),
                    _l("Counts per day, nobody recorded.")),
    "bela_beli": (_l("Bela beli purchases (Rp)"),
                  _l("Purchases of UMKM products by the staff of the region's government offices, in the period."),
                  _l("Only purchases the seller confirmed; a total spread over fewer than 3 sellers is not shown.")),
    "training": (_l("Training participants"),
                 _l("Participants from the region's businesses who attended a training cohort started in the period."),
                 _l("Attendance recorded by the institution.")),
}


@dataclass(frozen=True)
class Cell:
    value: int
    businesses: int | None = None  # how many businesses the value counts; None: not about businesses

    @property
    def suppressed(self) -> bool:
        return self.businesses is not None and 0 < self.businesses < SMALL

    @property
    def shown(self) -> str:
        return f"<{SMALL}" if self.suppressed else f"{self.value:,}".replace(",", ".")

    def public(self) -> int | None:
        """The value the API gives: None when suppressed."""
        return None if self.suppressed else self.value


@dataclass
class Impact:
    agreement: Agreement
    regions: list[tuple[str, str, dict[str, Cell]]]  # (code, name, figure -> cell)
    staples: list[tuple[str, str, Cell]]  # (commodity, base unit, delivered)

    @property
    def nonzero(self) -> bool:
        return any(cell.value for _c, _n, cells in self.regions for cell in cells.values())


def _grouped(stmt) -> dict[str, tuple[int, int | None]]:
    return {code: (int(value or 0), None if businesses is None else int(businesses))
            for code, value, businesses in db.session.execute(stmt)}


def agreement_impact(agreement: Agreement, period, regions: Regions | None = None) -> Impact:
    """The figures of one agreement's party regions (a fixed number of grouped queries), kept for a few minutes."""
    rows, staples = cached(f"impact:{agreement.id}:{period.first_month}:{period.last_month}",
                           lambda: _figures(agreement, period, regions or Regions()))
    return Impact(agreement, rows, staples)


def _public_products(codes: list[str]) -> dict[str, tuple[int, int]]:
    """Public products per region, and the businesses they come from: two queries that each read an index (a
    distinct count of businesses over the products read the whole table)."""
    products = dict(db.session.execute(
        select(Product.region_code, func.count()).where(Product.public, Product.region_code.in_(codes))
        .group_by(Product.region_code)).all())
    selling = dict(db.session.execute(
        select(Business.region_code, func.count(Business.id))
        .where(Business.region_code.in_(codes), exists().where(Product.business_id == Business.id, Product.public))
        .group_by(Business.region_code)).all())
    return {code: (int(n), int(selling.get(code, 0))) for code, n in products.items()}


def _inquiries_across(codes: list[str], period) -> dict[str, tuple[int, int]]:
    """Inquiries to each region's sellers from buyers of another party region: the count from the inquiry summary
    (InquiryMonth), and how many businesses they went to, up to SMALL (all the suppression needs to know): one
    statement of a LIMIT SMALL distinct query per region, which stops after SMALL businesses."""
    counts = dict(db.session.execute(
        select(InquiryMonth.seller_region_code, func.sum(InquiryMonth.inquiries))
        .where(InquiryMonth.seller_region_code.in_(codes), InquiryMonth.buyer_region_code.in_(codes),
               InquiryMonth.buyer_region_code != InquiryMonth.seller_region_code,
               period.contains_month(InquiryMonth.month))
        .group_by(InquiryMonth.seller_region_code)).all())
    parts = []
    for code in codes:
        some = (select(Inquiry.business_id).distinct()
                .where(Inquiry.seller_region_code == code, Inquiry.buyer_region_code.in_(codes),
                       Inquiry.buyer_region_code != code, period.contains(Inquiry.created_at))
                .limit(SMALL).subquery())
        parts.append(select(literal(code), select(func.count()).select_from(some).scalar_subquery()))
    businesses = dict(db.session.execute(union_all(*parts)).all())
    return {code: (int(counts[code]), int(businesses.get(code, 0))) for code in codes if counts.get(code)}


def _figures(agreement: Agreement, period, regions: Regions):
    codes = sorted(agreement.region_codes)
    none = null()
    figures = {
        "verified_businesses": _grouped(
            select(Business.region_code, func.count(Business.id), func.count(Business.id))
            .where(Business.region_code.in_(codes), Business.verification == Verification.VERIFIED,
                   Business.archived_at.is_(None)).group_by(Business.region_code)),
        "public_products": _public_products(codes),
        "inquiries_across": _inquiries_across(codes, period),
        "showcase_views": _grouped(
            select(Showcase.host_region_code, func.sum(ShowcaseReach.count), none)
            .join(Showcase, Showcase.id == ShowcaseReach.showcase_id)
            .where(Showcase.agreement_id == agreement.id, Showcase.host_region_code.in_(codes),
                   ShowcaseReach.product_id == 0, period.contains_day(ShowcaseReach.day))
            .group_by(Showcase.host_region_code)),
        "event_reach": _grouped(
            select(Event.host_region_code, func.sum(EventReach.count), none).join(Event, Event.id == EventReach.event_id)
            .where(Event.agreement_id == agreement.id, Event.host_region_code.in_(codes), Event.published,
                   period.contains(Event.starts_at)).group_by(Event.host_region_code)),
        "bela_beli": _grouped(belabeli.confirmed_by_region(codes, period)),
        "training": _grouped(
            select(Business.region_code, func.count(Enrolment.id), func.count(func.distinct(Enrolment.business_id)))
            .join(Enrolment.cohort).join(Business, Business.id == Enrolment.business_id)
            .where(Business.region_code.in_(codes), Enrolment.attended, period.contains_day(Cohort.starts_on))
            .group_by(Business.region_code)),
    }
    rows = [(code, regions.name(code), {key: Cell(*figures[key].get(code, (0, None if key in ("showcase_views",
                                                                                            "event_reach") else 0)))
                                        for key in FIGURES}) for code in codes]
    locale = str(get_locale() or "id")
    delivered = db.session.execute(
        select(Commodity.name_id, Commodity.name_en, Commodity.base_unit, func.sum(Delivery.quantity),
               func.count(func.distinct(Deal.seller_id)) + func.count(func.distinct(Deal.buyer_id)))
        .join(Deal, Deal.id == Delivery.deal_id).join(Commodity, Commodity.id == Deal.commodity_id)
        .where(Deal.seller_region_code.in_(codes), Deal.buyer_region_code.in_(codes),
               Deal.seller_region_code != Deal.buyer_region_code, Delivery.status == DeliveryStatus.CONFIRMED,
               period.contains_day(Delivery.delivered_on))
        .group_by(Commodity.id, Commodity.name_id, Commodity.name_en, Commodity.base_unit)
        .order_by(Commodity.name_id)).all()
    staples = [(name_en if locale == "en" else name_id, unit, Cell(int(total), int(businesses)))
               for name_id, name_en, unit, total, businesses in delivered]
    return rows, staples
