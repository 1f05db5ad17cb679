"""The public page: aggregates only (totals per month, offices meeting the target, sellers bought from, by
category); never a person's, a coordinator's or an office's name."""

from flask import render_template, request
from flask_babel import get_locale

from marketplace.belabeli import fulfilment, queries
from marketplace.belabeli.views import bp
from marketplace.reports.cache import cached


@bp.route("/bela-beli")
def index():
    locale = str(get_locale() or "id")
    wanted = request.args.get("region", "")
    programmes = queries.programmes()
    shown = next((p for p in programmes if p.region_code == wanted), programmes[0] if programmes else None)
    figures = None
    if shown is not None:
        # aggregates of whole months: kept a few minutes (REPORTS_CACHE_SECONDS), as the impact pages' figures
        figures = cached(f"bela-beli:{shown.id}", lambda: {
            "months": fulfilment.public_months(shown), "categories": fulfilment.public_categories(shown, locale),
            "offices": fulfilment.office_count(shown)})
    return render_template("belabeli/public.html", programmes=programmes, programme=shown, figures=figures)
