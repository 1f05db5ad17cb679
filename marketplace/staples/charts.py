"""One small SVG helper: server-rendered line and bar charts, accessible (role="img", a title and a description),
with no script and no style attribute (the CSP allows neither); the page shows the same figures as a table beside
them. Months without figures are gaps: a line breaks there, nothing is drawn in between."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 70, 10, 10, 40
OFFER_COLOUR, NEED_COLOUR, BAND_COLOUR = "#1b6e3a", "#a04000", "#d8e6f3"


def _scale(values: list[float]) -> tuple[float, float]:
    top = max(values) if values else 1.0
    return 0.0, top * 1.1 or 1.0


def _frame(title: str, description: str, months: list[str], low: float, high: float, body: list[str], key: str) -> Markup:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
             f'aria-labelledby="{key}-title {key}-desc" preserveAspectRatio="xMidYMid meet">',
             f'<title id="{key}-title">{escape(title)}</title>', f'<desc id="{key}-desc">{escape(description)}</desc>',
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#555"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#555"/>']
    for i in range(5):
        value = low + (high - low) * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">'
                     f'{escape(format_decimal(round(value), format="#,##0"))}</text>')
    step = plot_w / max(len(months), 1)
    for i, month in enumerate(months):
        parts.append(f'<text x="{LEFT + step * (i + 0.5):.1f}" y="{HEIGHT - 22}" text-anchor="middle" font-size="11" '
                     f'fill="#333">{escape(month)}</text>')
    parts.extend(body)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it went through escape())


def _y(value: float, low: float, high: float) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return TOP + plot_h - plot_h * (value - low) / (high - low)


def _segments(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Runs of points without a gap."""
    runs, current = [], []
    for x, y in points:
        if y is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((x, y))
    if current:
        runs.append(current)
    return runs


def price_chart(series: list[dict], reference, unit: str) -> Markup:
    """Mean asking prices of offers and needs per month against the producer's reference band."""
    months = [row["month"] for row in series]
    figures = [row[k] for row in series for k in ("offer_price", "need_price") if row[k] is not None]
    if reference is not None:
        figures += [reference.price_min, reference.high]
    low, high = _scale(figures)
    step = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    body = []
    if reference is not None:
        y_high, y_low = _y(reference.high, low, high), _y(reference.price_min, low, high)
        body.append(f'<rect x="{LEFT}" y="{y_high:.1f}" width="{WIDTH - LEFT - RIGHT}" height="{max(y_low - y_high, 2):.1f}" '
                    f'fill="{BAND_COLOUR}"/>')
    for key, colour in (("offer_price", OFFER_COLOUR), ("need_price", NEED_COLOUR)):
        points = [(LEFT + step * (i + 0.5), None if row[key] is None else _y(row[key], low, high))
                  for i, row in enumerate(series)]
        for run in _segments(points):
            body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                        + " ".join(f"{x:.1f},{y:.1f}" for x, y in run) + '"/>')
            body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in run)
    title = _("Asking prices per %(unit)s by month, against the reference band", unit=unit)
    description = _("Green: offers; orange: needs; blue band: the government reference price at the producer. "
                    "The table beside the chart gives the same figures.")
    return _frame(title, description, months, low, high, body, "price-chart")


def volume_chart(series: list[dict], unit: str) -> Markup:
    """Volumes per month offered and needed, as paired bars."""
    months = [row["month"] for row in series]
    low, high = _scale([row[k] for row in series for k in ("offer_volume", "need_volume") if row[k] is not None])
    step = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    bar = step * 0.35
    body = []
    for i, row in enumerate(series):
        for j, (key, colour) in enumerate((("offer_volume", OFFER_COLOUR), ("need_volume", NEED_COLOUR))):
            if row[key] is None:
                continue
            y = _y(row[key], low, high)
            body.append(f'<rect x="{LEFT + step * i + step * 0.15 + bar * j:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                        f'height="{HEIGHT - BOTTOM - y:.1f}" fill="{colour}"/>')
    title = _("Volumes per month offered and needed (%(unit)s)", unit=unit)
    description = _("Green bars: offered; orange bars: needed. The table beside the chart gives the same figures.")
    return _frame(title, description, months, low, high, body, "volume-chart")
