"""How staples figures are shown: amounts with their unit, asking prices beside the reference band, and the hint
when an asking price is far outside it."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from marketplace.staples.models import Level, PostKind, ReferencePrice, StaplesPost
from marketplace.units import unit_label

FAR = 0.25  # more than 25 % below the band's low end or above its high end is "far outside"


def amount(value, unit: str) -> str:
    """1.234,5 kg (whole when it is whole)."""
    if value is None:
        return "—"
    number = round(float(value), 1)
    shown = format_decimal(int(number) if number.is_integer() else number, format="#,##0.#")
    return f"{shown} {unit_label(unit, int(number) if number >= 1 else 1)}"


def reference_level(post: StaplesPost) -> Level:
    """Offers of surplus are compared with the producer's reference, needs with the consumer's."""
    return Level.PRODUCER if post.kind is PostKind.OFFER else Level.CONSUMER


def price_hint(post: StaplesPost, bands: dict) -> tuple[ReferencePrice | None, object | None]:
    """(the reference band the post is compared with, a plain hint when its asking price is far outside it)."""
    band = bands.get((post.commodity_id, reference_level(post))) or bands.get(
        (post.commodity_id, Level.PRODUCER)) or bands.get((post.commodity_id, Level.CONSUMER))
    if band is None or post.price_min_base is None:
        return band, None
    if post.price_max_base < band.price_min * (1 - FAR):
        return band, _l("This price is far below the reference band: check the unit and the figure.")
    if post.price_min_base > band.high * (1 + FAR):
        return band, _l("This price is far above the reference band: buyers may pass it by.")
    return band, None
