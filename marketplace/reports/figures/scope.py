"""What a report is about: one region, or an agreement's party regions; with the regions' names loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field

from marketplace.extensions import db
from marketplace.regions.models import Agreement, AgreementParty, Region
from marketplace.reports.models import DEFAULT_REVIEW_STANDARD_HOURS, RegionReportSetting
from marketplace.reports.tables import Regions
from marketplace.timeutil import today


@dataclass
class Scope:
    codes: list[str]  # the region (one) or the agreement's party regions, by code
    regions: Regions
    agreement: Agreement | None = None
    partners: set[str] = field(default_factory=set)  # regions party to an active agreement with the region
    review_standard_hours: int = DEFAULT_REVIEW_STANDARD_HOURS

    @property
    def code(self) -> str:
        return self.codes[0]


def partner_codes(code: str) -> set[str]:
    """Regions party to an agreement active today together with the region (one query)."""
    mine = db.select(AgreementParty.agreement_id).where(AgreementParty.region_code == code, AgreementParty.institution.is_(None))
    on = today()
    rows = db.session.scalars(
        db.select(AgreementParty.region_code).join(Agreement, Agreement.id == AgreementParty.agreement_id)
        .where(AgreementParty.agreement_id.in_(mine), AgreementParty.institution.is_(None),
               AgreementParty.region_code != code, Agreement.valid_from <= on,
               (Agreement.valid_until.is_(None)) | (Agreement.valid_until >= on)))
    return set(rows)


def region_scope(region: Region) -> Scope:
    setting = db.session.get(RegionReportSetting, region.code)
    return Scope([region.code], Regions(), partners=partner_codes(region.code),
                 review_standard_hours=setting.review_standard_hours if setting else DEFAULT_REVIEW_STANDARD_HOURS)


def agreement_scope(agreement: Agreement) -> Scope:
    return Scope(sorted(agreement.region_codes), Regions(), agreement=agreement)
