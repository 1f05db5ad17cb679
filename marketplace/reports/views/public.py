"""The public impact figures: every agreement's per-region aggregates, one agreement's page, its embeddable version
(framed like a showcase's embed, by the same configured origins) and its Open Graph image."""

from flask import Response, current_app, render_template, request

from marketplace.reports import queries
from marketplace.reports.impact import FIGURES, agreement_impact
from marketplace.reports.og import impact_png
from marketplace.reports.period import Period
from marketplace.reports.tables import Regions
from marketplace.reports.views.blueprint import bp
from marketplace.security import allow_framing_by


def _period_label(period: Period) -> str:
    return f"{period.first_month} – {period.last_month}"


@bp.route("/impact")
def impact_index():
    period = Period.from_args(request.args)
    regions = Regions()
    impacts = [agreement_impact(agreement, period, regions) for agreement in queries.public_agreements()]
    return render_template("reports/impact_index.html", impacts=impacts, figures=FIGURES, period=period)


def _one(reference: str):
    period = Period.from_args(request.args)
    return agreement_impact(queries.public_agreement_or_404(reference), period), period


@bp.route("/impact/<reference>")
def impact(reference: str):
    found, period = _one(reference)
    return render_template("reports/impact.html", impact=found, figures=FIGURES, period=period)


@bp.route("/impact/<reference>/embed")
def impact_embed(reference: str):
    """The light page partner regions put in an iframe, framed by the origins allowed for showcases."""
    allow_framing_by(current_app.config["SHOWCASE_EMBED_ORIGINS"])
    found, period = _one(reference)
    return render_template("reports/impact_embed.html", impact=found, figures=FIGURES, period=period)


@bp.route("/impact/<reference>/og.png")
def impact_image(reference: str):
    found, period = _one(reference)
    response = Response(impact_png(found, _period_label(period)), mimetype="image/png")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
