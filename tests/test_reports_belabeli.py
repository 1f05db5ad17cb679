"""The bela beli section of the region report and its public impact figure: only purchases the seller confirmed
count; a total spread over fewer than 3 sellers is shown as "<3"."""

import pytest

from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.reports.figures import belabeli
from marketplace.reports.figures.scope import region_scope
from marketplace.reports.impact import agreement_impact
from marketplace.reports.period import Period
from marketplace.reports.sections import REGION_SECTIONS
from marketplace.timeutil import today
from tests.belabeli_helpers import confirm, log, make_site
from tests.reports_helpers import build


@pytest.fixture
def data(app, make_user, make_business):
    with app.test_request_context("/?lang=en"):
        fixed = build(make_user)
        site = make_site(make_user, make_business, region="35.74")
        yield fixed, site, make_business


def test_the_region_report_counts_confirmed_purchases_per_month(data):
    _fixed, site, make_business = data
    second = make_business(region="35.74", name="Bordir Mayangan")
    confirm(site, log(site, 120_000))
    confirm(site, log(site, 80_000, business=second), business=second)
    log(site, 500_000)  # waiting for the seller: not counted
    confirm(site, log(site, 200_000, office=site.other_office))  # 4 staff x 50.000: this office meets its target

    month = today().strftime("%Y-%m")
    table = belabeli.purchases(region_scope(db.session.get(Region, "35.74")), Period.from_args({}))[0]
    assert table.rows == [["Kota Probolinggo", "35.74", month, 400_000, 2, 1, 2]]
    assert "bela_beli" in [section.key for section in REGION_SECTIONS]
    # a region without a programme has no rows
    assert belabeli.purchases(region_scope(db.session.get(Region, "35.14")), Period.from_args({}))[0].rows == []


def test_public_impact_shows_the_total_only_from_three_sellers(data):
    fixed, site, make_business = data
    second = make_business(region="35.74", name="Bordir Mayangan")
    confirm(site, log(site, 120_000))
    confirm(site, log(site, 80_000, business=second), business=second)

    def cell():
        impact = agreement_impact(fixed.pasuruan, Period.from_args({}))
        return dict((code, cells) for code, _n, cells in impact.regions)["35.74"]["bela_beli"]

    assert cell().shown == "<3" and cell().public() is None
    third = make_business(region="35.74", name="Sambal Roa Mayangan")
    confirm(site, log(site, 50_000, business=third), business=third)
    log(site, 900_000, business=third)  # not confirmed
    assert cell().shown == "250.000" and cell().public() == 250_000
