"""How staples figures are shown: amounts with their unit, asking prices beside the reference band, and the hint
when an asking price is far outside it."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from marketplace.staples.models import Level, PostKind, ReferencePrice, StaplesPost
from marketplace.units import unit_label

FAR = 0.25  # more than 25 % below the band's low end or above its high end is "far outside"


def number(value: float, locale: str) -> str:
    """1.234,5 in Indonesian, 1,234.5 in English (one decimal, none when whole). Written out rather than Babel's
    format_decimal: the board shows hundreds of figures and Babel's cost per call made up a third of the page."""
    rounded = round(float(value), 1)
    whole, tenth = int(abs(rounded)), round(abs(rounded) * 10) % 10
    thousands, decimal = (",", ".") if locale == "en" else (".", ",")
    text = f"{whole:,}".replace(",", thousands) + (f"{decimal}{tenth}" if tenth else "")
    return f"-{text}" if rounded < 0 else text


def rupiah(value) -> str:
    """Rp 150.000 in every language (as i18n.rupiah), without Babel's cost per call."""
    return "" if value is None else "Rp " + number(round(value), "id")


def amount(value, unit: str) -> str:
    """1.234,5 kg (whole when it is whole)."""
    if value is None:
        return "—"
    shown = number(value, str(get_locale() or "id"))
    return f"{shown} {unit_label(unit, int(value) if value >= 1 else 1)}"


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
