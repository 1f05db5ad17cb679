"""/api/v1/showcases: the live showcases, and one published showcase with the products eligible in it today."""

from flask import url_for

from marketplace.api.schemas.common import PageArgs
from marketplace.api.schemas.showcases import ShowcaseDetailSchema, ShowcasePageSchema
from marketplace.api.views.base import bp, endpoint, page_of
from marketplace.api.views.catalog import product_json
from marketplace.showcases.models import Showcase
from marketplace.showcases.queries import live_showcases, public_items, public_showcase_or_404
from marketplace.timeutil import today


def showcase_json(showcase: Showcase, on) -> dict:
    cover = url_for("media.file", name=showcase.cover_file(showcase.cover_widths[0], "jpg"), _external=True) \
        if showcase.cover else None
    return {
        "slug": showcase.slug, "title": showcase.title, "description": showcase.description,
        "host_region_code": showcase.host_region_code, "starts_on": showcase.starts_on, "ends_on": showcase.ends_on,
        "venue": showcase.venue, "event_dates": showcase.event_dates, "phase": showcase.phase(on).value,
        "url": url_for("showcases.show", slug=showcase.slug, _external=True),
        "embed_url": url_for("showcases.embed", slug=showcase.slug, _external=True), "cover": cover,
    }


@endpoint("/showcases", ShowcasePageSchema)
@bp.arguments(PageArgs, location="query")
def showcases(args: dict):
    """The showcases live today (Asia/Jakarta), newest first."""
    on = today()
    return page_of(live_showcases(on), args, lambda showcase: showcase_json(showcase, on))


@endpoint("/showcases/<slug>", ShowcaseDetailSchema, not_found=True)
def showcase(slug: str):
    """One published showcase (live, upcoming or past) with its products eligible today; a draft is a 404."""
    on = today()
    item = public_showcase_or_404(slug)
    return {**showcase_json(item, on), "items": [product_json(p) for p in public_items(item, on)]}
