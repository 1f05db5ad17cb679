"""The public staple-goods board: per commodity, surplus and needs by region with monthly volumes and asking prices
against the reference; one commodity's page with a chart and the same figures as a table. No contact details."""

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from marketplace.regions.queries import all_regions
from marketplace.staples import charts
from marketplace.staples.models import Level, PostKind
from marketplace.staples.queries import (
    board,
    cached,
    commodities,
    commodity_or_404,
    commodity_posts,
    monthly_series,
    reference_bands,
)
from marketplace.staples.views.blueprint import bp
from marketplace.timeutil import today


@bp.route("/staples")
def index():
    on = today()
    locale = str(get_locale() or "id")

    def body() -> str:
        return render_template("staples/_board_body.html", commodities=commodities(), board=board(on),
                               bands=reference_bands(), regions={r.code: r for r in all_regions()}, kinds=PostKind,
                               levels=Level)

    # the same for every reader in a language: rendered once per generation of the board (never stale, see
    # staples/generation.py), so a request costs the generation's lookup and the page around it
    return render_template("staples/board.html", body=Markup(  # noqa: S704  (our own autoescaped template)
        cached(("board page", on.isoformat(), locale), body)))


@bp.route("/staples/<commodity_code>")
def commodity(commodity_code: str):
    item = commodity_or_404(commodity_code)
    on = today()
    bands = reference_bands([item.id])
    series = monthly_series(item.id, on)
    posts, open_count = commodity_posts(item.id, on)
    reference = bands.get((item.id, Level.PRODUCER))
    return render_template("staples/commodity.html", commodity=item, posts=posts, open_count=open_count, bands=bands,
                           series=series, levels=Level, kinds=PostKind,
                           price_chart=charts.price_chart(series, reference, item.base_unit),
                           volume_chart=charts.volume_chart(series, item.base_unit))
