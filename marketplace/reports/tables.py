"""What every section of a report gives: tables of figures (each drawn as a chart and exported as CSV and XLSX), and
the registry of sections. A new section (bela beli, when it lands) is one more Section in a list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.reports.models import RegionStatisticsCode

UNKNOWN = "unknown"


@dataclass
class Table:
    """One table of figures. `region_columns`: indexes of columns holding a Kemendagri code (the column before each
    holds the region's name); exports add the BPS code after each. `chart`: (label column, value columns) to draw."""

    key: str
    title: object
    columns: list
    rows: list[list] = field(default_factory=list)
    region_columns: tuple[int, ...] = ()
    chart: tuple[int, tuple[int, ...]] | None = None
    note: object = ""


@dataclass(frozen=True)
class Section:
    """A part of a dashboard: a title, what it counts and how (shown under the title), and its tables."""

    key: str
    title: object
    definition: object
    tables: Callable[..., list[Table]]


class Regions:
    """Names and BPS codes of all regions, loaded once per report (two small queries whatever the report holds)."""

    def __init__(self):
        self.by_code = {region.code: region for region in db.session.scalars(db.select(Region))}
        self.bps = dict(db.session.execute(db.select(RegionStatisticsCode.region_code, RegionStatisticsCode.bps_code)).all())

    def name(self, code: str | None) -> str:
        region = self.by_code.get(code) if code else None
        return region.full_name if region else str(_l("unknown"))

    def cells(self, code: str | None) -> list[str]:
        """[name, Kemendagri code] of a region; an unknown one is ["unknown", ""]."""
        return [self.name(code), code or ""]

    def label(self, code: str | None) -> str:
        return f"{self.name(code)} ({code})" if code else self.name(code)


def export_rows(table: Table, regions: Regions) -> tuple[list[str], list[list]]:
    """The header and rows of a table as exported: each region code followed by its BPS code."""
    header, rows = [], []
    for index, column in enumerate(table.columns):
        header.append(str(column))
        if index in table.region_columns:
            header.append(str(_l("BPS code")))
    for row in table.rows:
        out = []
        for index, value in enumerate(row):
            out.append(value)
            if index in table.region_columns:
                out.append(regions.bps.get(value, ""))
        rows.append(out)
    return header, rows


def share(part: int, whole: int) -> float | None:
    """part of whole in per cent, one decimal; None when whole is 0."""
    return round(100.0 * part / whole, 1) if whole else None
