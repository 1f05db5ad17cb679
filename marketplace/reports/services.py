"""The reports' state changes: a region's service standard for moderation, and loading the BPS reference codes."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.audit import record
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.reports.models import RegionReportSetting, RegionStatisticsCode
from marketplace.reports.reference import BPS_CODES


def load_reference_statistics_codes() -> int:
    """Insert the BPS code of each region that has none; returns how many were added. Safe to run again."""
    existing = set(db.session.scalars(db.select(RegionStatisticsCode.region_code)))
    known = set(db.session.scalars(db.select(Region.code)))
    added = [RegionStatisticsCode(region_code=code, bps_code=bps) for code, bps in BPS_CODES.items()
             if code in known and code not in existing]
    db.session.add_all(added)
    db.session.flush()
    return len(added)


def set_review_standard(actor: User, region: Region, hours: int) -> RegionReportSetting:
    """Set the hours the region promises from a product's submission to a decision (audited)."""
    setting = db.session.get(RegionReportSetting, region.code)
    before = setting.review_standard_hours if setting else None
    if setting is None:
        setting = RegionReportSetting(region_code=region.code)
        db.session.add(setting)
    setting.review_standard_hours = hours
    db.session.flush()
    record(actor, "region.review_standard", region, region_code=region.code,
           changes={"review_standard_hours": [before, hours]})
    return setting
