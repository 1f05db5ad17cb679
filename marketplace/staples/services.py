"""Commodities and reference prices: the seeded reference data, admins' commodities, staff's prices and CSV imports.
Nothing here commits: the request or command that calls it does."""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from marketplace.audit import record
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.staples.models import Commodity, CommodityGrade, CommodityUnit, Level, ReferencePrice
from marketplace.staples.reference import COMMODITIES, HAP, HAP_FROM, HAP_SOURCE


def load_reference_commodities() -> int:
    """Insert the shipped commodities that are missing (keyed by code), their units and grades, and the HAP prices;
    returns how many commodities were added. An admin's changes to existing ones are kept."""
    existing = {c.code: c for c in db.session.scalars(db.select(Commodity))}
    added = 0
    for code, name_id, name_en, pihps, base, units, grades in COMMODITIES:
        if code in existing:
            continue
        commodity = Commodity(code=code, name_id=name_id, name_en=name_en, pihps_name=pihps, base_unit=base)
        commodity.units = [CommodityUnit(code=u, factor=f) for u, f in units]
        commodity.grades = [CommodityGrade(code=g, name_id=gi, name_en=ge, rank=r) for g, gi, ge, r in grades]
        db.session.add(commodity)
        existing[code] = commodity
        added += 1
    db.session.flush()
    if not db.session.scalar(db.select(ReferencePrice.id).where(ReferencePrice.source.startswith(HAP_SOURCE[:60])).limit(1)):
        for code, grade, level, low, high, note in HAP:
            commodity = existing[code]
            db.session.add(ReferencePrice(
                commodity=commodity, grade=next((g for g in commodity.grades if g.code == grade), None),
                level=Level(level), valid_on=HAP_FROM, price_min=low, price_max=high, is_reference=True,
                source=HAP_SOURCE + note,
            ))
        db.session.flush()
    return added


def save_commodity(actor, *, code: str, name_id: str, name_en: str, pihps_name: str, base_unit: str,
                   units: list[tuple[str, float]], grades: list[tuple[str, str, str, int]]) -> Commodity:
    """A new commodity (admin), with one audit entry."""
    commodity = Commodity(code=code, name_id=name_id, name_en=name_en, pihps_name=pihps_name, base_unit=base_unit)
    commodity.units = [CommodityUnit(code=u, factor=f) for u, f in units]
    commodity.grades = [CommodityGrade(code=g, name_id=gi, name_en=ge, rank=r) for g, gi, ge, r in grades]
    db.session.add(commodity)
    db.session.flush()
    record(actor, "commodity.create", commodity, region_code=None, label=name_id,
           changes={"code": [None, code], "units": [None, [u for u, _f in units]], "grades": [None, [g[0] for g in grades]]})
    return commodity


def add_price(actor, *, commodity: Commodity, level: Level, region_code: str | None, valid_on: date, price_min: int,
              price_max: int | None, source: str, grade: CommodityGrade | None = None) -> ReferencePrice:
    """A market price entered by staff (Rupiah per base unit), audited in the price's region."""
    price = ReferencePrice(commodity=commodity, grade=grade, level=level, region_code=region_code,
                           province_code=None if region_code else "35", valid_on=valid_on, price_min=price_min,
                           price_max=price_max, source=source.strip(), entered_by_id=actor.id if actor else None)
    db.session.add(price)
    db.session.flush()
    record(actor, "reference_price.create", price, region_code=region_code, label=f"{commodity.name_id} {valid_on}",
           changes={"level": [None, level.value], "price": [None, [price_min, price_max]]})
    return price


# --- CSV import ----------------------------------------------------------------------------------------------------

# The columns read from a PIHPS / panel harga export saved as CSV (comma or semicolon). Extra columns are ignored.
CSV_COLUMNS = ("tanggal", "komoditas", "tingkat", "kode_wilayah", "harga", "satuan")
LEVEL_WORDS = {"produsen": Level.PRODUCER, "producer": Level.PRODUCER, "grosir": Level.WHOLESALE,
               "pedagang besar": Level.WHOLESALE, "wholesale": Level.WHOLESALE, "konsumen": Level.CONSUMER,
               "eceran": Level.CONSUMER, "consumer": Level.CONSUMER}
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportResult:
    added: int = 0
    errors: list[tuple[int, object]] = field(default_factory=list)  # (line number, message)


def import_prices_csv(actor, data: bytes, *, source: str, region_code: str | None) -> ImportResult:
    """Read a PIHPS / panel harga export (CSV_COLUMNS); every good row becomes a price, every bad row is reported by
    line with what is wrong. A moderator's rows must be of their region (region_code), an admin's any region of
    Jawa Timur or the province ("35"). Nothing is stored when any row is bad, so a corrected file can be sent again."""
    result = ImportResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append((0, _l("The file is not UTF-8 text. Save it from the spreadsheet as CSV UTF-8.")))
        return result
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        result.errors.append((1, _l("Columns missing: %(columns)s.", columns=", ".join(missing))))
        return result
    commodities = {c.pihps_name.lower(): c for c in db.session.scalars(db.select(Commodity))}
    commodities.update({c.code: c for c in commodities.values()})
    regions = set(db.session.scalars(db.select(Region.code)))
    rows = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            result.errors.append((number, _l("At most %(n)d rows per file.", n=MAX_IMPORT_ROWS)))
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        parsed = _parse_row(row, commodities, regions, region_code)
        if isinstance(parsed, dict):
            rows.append(parsed)
        else:
            result.errors.append((number, parsed))
    if result.errors:
        return result
    for row in rows:
        add_price(actor, source=source, **row)
        result.added += 1
    return result


def _parse_row(row: dict, commodities: dict, regions: set[str], region_code: str | None):
    """The row as add_price's arguments, or the message saying what is wrong with it."""
    commodity = commodities.get(row["komoditas"].lower())
    if commodity is None:
        return _l("Unknown commodity \"%(name)s\".", name=row["komoditas"][:60])
    try:
        valid_on = datetime.strptime(row["tanggal"], "%Y-%m-%d").date() if "-" in row["tanggal"] else \
            datetime.strptime(row["tanggal"], "%d/%m/%Y").date()
    except ValueError:
        return _l("The date \"%(value)s\" is not a date (use 2025-06-17 or 17/06/2025).", value=row["tanggal"][:20])
    level = LEVEL_WORDS.get(row["tingkat"].lower())
    if level is None:
        return _l("The level must be produsen, grosir or konsumen.")
    area = row["kode_wilayah"]
    if area not in regions and area != "35":
        return _l("Unknown region code \"%(code)s\" (use 35.74, or 35 for the province).", code=area[:10])
    if region_code is not None and area != region_code:
        return _l("Only prices of your region (%(code)s) can be imported here.", code=region_code)
    unit = commodity.unit(row["satuan"].lower())
    if unit is None:
        return _l("The unit \"%(unit)s\" is not a unit of %(commodity)s.", unit=row["satuan"][:16], commodity=commodity.name)
    digits = row["harga"].replace("Rp", "").replace(".", "").replace(" ", "").split(",")[0]
    if not digits.isdigit() or not 0 < int(digits) < 10**9:
        return _l("The price \"%(value)s\" is not a price in whole Rupiah.", value=row["harga"][:20])
    per_base = round(int(digits) / unit.factor)
    return {"commodity": commodity, "level": level, "region_code": None if area == "35" else area,
            "valid_on": valid_on, "price_min": per_base, "price_max": None}
