"""Server-drawn bar charts as inline SVG: no script, no style element (the site's CSP allows neither inline), a
title and a description for screen readers; the table beside each chart holds the same figures."""

from __future__ import annotations

from markupsafe import Markup, escape

from marketplace.reports.tables import Table

WIDTH = 320
LABEL_HEIGHT = 16
BAR_HEIGHT = 12
GAP = 10
COLOURS = ("#1f5f8b", "#b4561b", "#2e7d32", "#6a1b9a", "#8d6e00", "#ad1457", "#37474f")  # 4.5:1 on white or better
MAX_ROWS = 24


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def bar_chart(table: Table, chart_id: str) -> Markup | None:
    """Horizontal grouped bars: one group per row (its label above), one bar per value column; None when the
    table has no chart or no rows."""
    if table.chart is None or not table.rows:
        return None
    label_column, value_columns = table.chart
    rows = table.rows[:MAX_ROWS]
    peak = max((_number(row[c]) for row in rows for c in value_columns), default=0) or 1.0
    group = LABEL_HEIGHT + BAR_HEIGHT * len(value_columns) + GAP
    legend = 16 * len(value_columns) if len(value_columns) > 1 else 0
    height = legend + group * len(rows)
    parts = []
    for index, column in enumerate(value_columns if legend else ()):
        y = 16 * index
        parts.append(f'<rect x="0" y="{y + 2}" width="12" height="12" fill="{COLOURS[index % len(COLOURS)]}"/>'
                     f'<text x="18" y="{y + 12}" font-size="12" fill="#222">{escape(str(table.columns[column]))}</text>')
    for r, row in enumerate(rows):
        top = legend + r * group
        parts.append(f'<text x="0" y="{top + 12}" font-size="12" fill="#222">{escape(str(row[label_column])[:60])}</text>')
        for index, column in enumerate(value_columns):
            value = _number(row[column])
            width = round((WIDTH - 60) * value / peak, 1)
            y = top + LABEL_HEIGHT + index * BAR_HEIGHT
            shown = f"{value:g}" if row[column] is not None else "–"
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{BAR_HEIGHT - 2}" '
                         f'fill="{COLOURS[index % len(COLOURS)]}"/>'
                         f'<text x="{width + 4}" y="{y + 9}" font-size="10" fill="#222">{escape(shown)}</text>')
    title = escape(str(table.title))
    desc = escape(", ".join(str(table.columns[c]) for c in value_columns))
    return Markup(  # noqa: S704  (every text in it went through escape())
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d"><title id="{chart_id}-t">{title}</title>'
        f'<desc id="{chart_id}-d">{desc}</desc>{"".join(parts)}</svg>')
