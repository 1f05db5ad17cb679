"""The sections of each dashboard, in the order shown. A feature that lands later adds one Section."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.reports.cache import cached
from marketplace.reports.figures import belabeli, catalogue, dormancy, inquiries, moderation, reach, services, staples
from marketplace.reports.tables import Section, Table


def _all(*parts):
    def tables(scope, period) -> list[Table]:
        return [table for part in parts for table in part(scope, period)]
    return tables


REGION_SECTIONS: list[Section] = [
    Section("catalogue", _l("Businesses and products"),
            _l("Now, by the business's current region; archived businesses are left out."),
            _all(catalogue.businesses, catalogue.products)),
    Section("moderation", _l("Review queues and moderation latency"),
            _l("What waits now, and hours from submission to decision per week against the region's standard."),
            _all(moderation.queues, moderation.latency)),
    Section("inquiries", _l("Inquiries"),
            _l("Inquiries sent in the period, by the seller's region at the time of asking; a buyer whose region is "
               "not known counts as unknown."), inquiries.received),
    Section("reach", _l("Showcase and event reach"),
            _l("Daily page views and clicks, counted without recording who."), _all(reach.showcases, reach.events)),
    Section("coverage", _l("Certification coverage"),
            _l("Public products now with a verified, valid certificate of the product or of its business."),
            catalogue.coverage),
    Section("dormant", _l("Dormant sellers"), _l("From the listing coach's nightly count."), dormancy.dormant),
    Section("services", _l("Training and services"),
            _l("Training cohorts that started and service requests sent in the period, by the business's region now."),
            _all(services.training, services.requests)),
    Section("bela_beli", _l("Bela beli produk UMKM"),
            _l("Purchases logged by the programme's offices, counted once the seller confirmed them; an office meets "
               "its target when its confirmed purchases of the month reach its staff's minimums."), belabeli.purchases),
]

AGREEMENT_SECTIONS: list[Section] = [
    Section("leads", _l("Cross-region leads"),
            _l("Inquiries to sellers of the party regions, by the seller's region at the time of asking; WhatsApp "
               "hand-offs are those recorded at event booths."), _all(inquiries.lead_matrix, inquiries.whatsapp)),
    Section("showcases", _l("Showcase reach"), _l("Showcases under the agreement, per month."), reach.agreement_showcases),
    Section("staples", _l("Staple goods"),
            _l("Deals between two different party regions; delivered: deliveries confirmed by both sides."),
            staples.volumes),
    Section("events", _l("Events"), _l("Published events under the agreement that started in the period."),
            reach.agreement_events),
    Section("services", _l("Training and services"), _l("By the business's region now."),
            _all(services.training, services.requests)),
]


def _frozen(table: Table) -> Table:
    """The table with its texts in the reader's language (lazy strings are not kept in a cache)."""
    table.title, table.note, table.columns = str(table.title), str(table.note), [str(c) for c in table.columns]
    return table


def compute(sections: list[Section], scope, period, name: str) -> list[tuple[Section, list[Table]]]:
    """Each section with its tables; kept for a few minutes under name (reports/cache.py)."""
    found = cached(f"{name}:{scope.review_standard_hours}:{period.first_month}:{period.last_month}", lambda: [
        (section.key, [_frozen(table) for table in section.tables(scope, period)]) for section in sections])
    tables = dict(found)
    return [(section, tables.get(section.key, [])) for section in sections]
