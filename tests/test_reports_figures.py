"""Every figure of the reports against values counted by hand from the fixed data set (tests/reports_helpers.py):
an inquiry whose buyer region is unknown counts as "unknown"; a business that moved from 35.74 to 35.14 keeps its
earlier inquiry with 35.74 (the region at the time of asking) while its products and its count move with it."""

import pytest

from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.reports import services
from marketplace.reports.figures import catalogue, dormancy, inquiries, moderation, reach, staples
from marketplace.reports.figures import services as used_services
from marketplace.reports.figures.scope import agreement_scope, region_scope
from marketplace.reports.impact import agreement_impact
from tests.reports_helpers import PERIOD, build


@pytest.fixture
def data(app, make_user):
    with app.test_request_context("/?lang=en"):
        yield build(make_user)


def kota():
    return region_scope(db.session.get(Region, "35.74"))


def table(tables, key):
    return next(t for t in tables if t.key == key)


def test_businesses_by_size_class_and_verification(data):
    found = catalogue.businesses(kota(), PERIOD)[0]
    assert [str(c) for c in found.columns] == ["Size class", "awaiting verification", "verified", "suspended", "Total"]
    # the business that moved to 35.14 (menengah) is counted there now, not here
    assert found.rows == [["Micro (mikro)", 1, 2, 0, 3], ["Small (kecil)", 0, 1, 0, 1], ["Medium (menengah)", 0, 0, 0, 0]]


def test_products_by_category_and_state(data):
    rows = catalogue.products(kota(), PERIOD)[0].rows
    # draft, in review, published, changes requested, rejected, archived, total
    assert rows == [["Batik", 1, 1, 2, 0, 0, 0, 4], ["Beverages", 0, 0, 1, 0, 0, 0, 1],
                    ["Processed food", 0, 0, 1, 0, 0, 0, 1]]


def test_certification_coverage(data):
    rows = catalogue.coverage(kota(), PERIOD)[0].rows
    # food: the keripik (business-wide halal) of 2; batik: batik A (its SNI) of 2 (a claimed Batikmark and an
    # expired P-IRT count for nothing)
    assert [row[1:] for row in rows] == [[2, 1, 50.0], [2, 1, 50.0]]


def test_queues(data):
    rows = moderation.queues(kota(), PERIOD)[0].rows
    assert [row[:2] for row in rows] == [["Businesses awaiting verification", 1], ["Business profile edits", 0],
                                         ["Products in review", 1], ["Product edits in review", 0],
                                         ["Certifications awaiting verification", 1]]
    assert rows[2][2] is not None and rows[2][2] > 0  # the oldest has waited a positive number of days


def test_moderation_latency_against_the_standard(data, make_user):
    rows = moderation.latency(kota(), PERIOD)[0].rows
    # week of 2 March: 2, 6 and 24 hours (median 6, p90 24); week of 9 March: 72 hours; the decision made before
    # the product's latest submission is left out
    assert rows == [["2026-03-02", 3, 6.0, 24.0, 72, 100.0], ["2026-03-09", 1, 72.0, 72.0, 72, 100.0]]
    from marketplace.accounts.models import Role

    services.set_review_standard(make_user(role=Role.ADMIN), db.session.get(Region, "35.74"), 12)
    rows = moderation.latency(kota(), PERIOD)[0].rows
    assert [row[4:] for row in rows] == [[12, 66.7], [12, 0.0]]


def test_inquiries_by_buyer_region_with_unknown_and_a_moved_business(data):
    found = inquiries.received(kota(), PERIOD)
    assert table(found, "inquiries").rows == [
        ["Kabupaten Pasuruan", "35.14", True, 2, 1, 50.0],  # one of them to the business that moved since
        ["Kabupaten Blitar", "35.05", True, 1, 1, 100.0],
        ["Kota Probolinggo", "35.74", False, 1, 1, 100.0],
        ["unknown", "", False, 1, 0, 0.0],
    ]
    # 5 inquiries, 3 from partner regions, 3 answered after 2, 10 and 4 hours
    assert [row[1] for row in table(found, "inquiry_summary").rows] == [5, 60.0, 60.0, 4.0, 10.0]
    pasuruan = inquiries.received(region_scope(db.session.get(Region, "35.14")), PERIOD)
    assert table(pasuruan, "inquiries").rows == [["Kota Probolinggo", "35.74", True, 1, 1, 100.0]]


def test_showcase_and_event_reach(data):
    assert reach.showcases(kota(), PERIOD)[0].rows == [["2026-03", 10, 3], ["2026-04", 5, 0]]
    assert reach.events(kota(), PERIOD)[0].rows == [["Events held", 1], ["page views", 7], ["QR scans", 4],
                                                     ["WhatsApp clicks", 0]]


def test_dormant_sellers_last_count_of_each_month(data):
    assert dormancy.dormant(kota(), PERIOD)[0].rows == [["2026-03-31", 2, 2, 50.0], ["2026-04-10", 3, 0, 0.0]]


def test_training_participants(data):
    assert used_services.training(kota(), PERIOD)[0].rows == [["Kota Probolinggo", "35.74", 2, 2]]
    assert used_services.requests(kota(), PERIOD)[0].rows[0] == ["sent, waiting for the institution", 0]


def test_agreement_lead_matrix(data):
    scope = agreement_scope(data.pasuruan)
    found = inquiries.lead_matrix(scope, PERIOD)
    matrix = table(found, "lead_matrix")
    assert [str(c) for c in matrix.columns[2:]] == ["Kabupaten Pasuruan (35.14)", "Kota Probolinggo (35.74)"]
    # Kabupaten Blitar is no party to this agreement: with any other region under "other regions"
    assert matrix.rows == [["Kabupaten Pasuruan", "35.14", 0, 2], ["Kota Probolinggo", "35.74", 1, 1],
                           ["other regions", "", 0, 1], ["unknown", "", 0, 1]]
    assert table(found, "leads_by_month").rows == [
        ["2026-03", "Kabupaten Pasuruan", "35.14", "Kota Probolinggo", "35.74", 2],
        ["2026-03", "Kota Probolinggo", "35.74", "Kabupaten Pasuruan", "35.14", 1],
        ["2026-03", "other regions", "", "Kota Probolinggo", "35.74", 1],
        ["2026-03", "unknown", "", "Kota Probolinggo", "35.74", 1],
        ["2026-04", "Kota Probolinggo", "35.74", "Kota Probolinggo", "35.74", 1],
    ]


def test_agreement_showcases_and_events(data):
    scope = agreement_scope(data.pasuruan)
    assert reach.agreement_showcases(scope, PERIOD)[0].rows == [["2026-03", "Kota Probolinggo", "35.74", 10, 3],
                                                                ["2026-04", "Kota Probolinggo", "35.74", 5, 0]]
    assert reach.agreement_events(scope, PERIOD)[0].rows == [["Bazar Uji", "2026-03-20", "Kota Probolinggo", "35.74",
                                                              0, 7, 4, 0]]


def test_public_impact_suppresses_cells_of_fewer_than_three_businesses(data):
    impact = agreement_impact(data.pasuruan, PERIOD)
    shown = {code: {key: cell.shown for key, cell in cells.items()} for code, _name, cells in impact.regions}
    assert shown["35.74"] == {"verified_businesses": "3", "public_products": "4", "inquiries_across": "<3",
                              "showcase_views": "15", "event_reach": "11", "training": "<3",
                              "bela_beli": "0"}
    assert shown["35.14"] == {"verified_businesses": "<3", "public_products": "<3", "inquiries_across": "<3",
                              "showcase_views": "0", "event_reach": "0", "training": "0", "bela_beli": "0"}
    cells = dict((code, cells) for code, _n, cells in impact.regions)
    assert cells["35.74"]["inquiries_across"].public() is None and cells["35.74"]["public_products"].public() == 4


def test_agreement_staples_volumes_against_what_was_agreed(data):
    rows = staples.volumes(agreement_scope(data.pasuruan), PERIOD)[0].rows
    # offers, needs (the need within 35.74 is a post of a party region too), matches, deals across regions, agreed,
    # delivered (confirmed by both sides only), share
    assert rows == [["Shelled dry maize", "kg", 1, 2, 1, 1, 10_000, 4_000, 40.0]]


def test_public_staples_delivered_is_suppressed_for_two_businesses(data):
    impact = agreement_impact(data.pasuruan, PERIOD)
    assert [(name, unit, cell.value, cell.shown) for name, unit, cell in impact.staples] == [
        ("Shelled dry maize", "kg", 4_000, "<3")]
