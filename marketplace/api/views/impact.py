"""/api/v1/impact: the public impact figures of every agreement, per party region (what /impact shows)."""

from flask import url_for

from marketplace.api.schemas.impact import ImpactArgs, ImpactSchema
from marketplace.api.views.base import bp, endpoint
from marketplace.reports.impact import FIGURES, Cell, agreement_impact
from marketplace.reports.period import Period
from marketplace.reports.queries import public_agreements
from marketplace.reports.tables import Regions


def _figure(cell: Cell) -> dict:
    return {"value": cell.public(), "suppressed": cell.suppressed}


@endpoint("/impact", ImpactSchema)
@bp.arguments(ImpactArgs, location="query")
def impact(args: dict):
    """Per agreement and party region: verified businesses, public products, inquiries across regions, showcase
    views, event reach, training participants; and staple goods delivered. A malformed month falls back to the
    default period."""
    period = Period.from_args({"from": args["period_from"], "to": args["period_to"]})
    regions = Regions()
    agreements = []
    for agreement in public_agreements():
        found = agreement_impact(agreement, period, regions)
        agreements.append({
            "key": agreement.key, "title": agreement.title,
            "url": url_for("reports.impact", reference=agreement.key, _external=True),
            "regions": [{"code": code, "name": name, "figures": {key: _figure(cell) for key, cell in cells.items()}}
                        for code, name, cells in found.regions],
            "staples_delivered": [{"commodity": name, "unit": unit, "delivered": _figure(cell)}
                                  for name, unit, cell in found.staples]})
    return {"period_from": period.first_month, "period_to": period.last_month,
            "definitions": [{"key": key, "label": str(label), "definition": str(definition), "counting": str(counting)}
                            for key, (label, definition, counting) in FIGURES.items()],
            "agreements": agreements}
