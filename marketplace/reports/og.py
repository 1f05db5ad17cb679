"""The Open Graph image of an agreement's impact: its headline figures drawn as a 1200 x 630 PNG (what WhatsApp and
other link previews read; they do not read SVG)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from marketplace.reports.impact import FIGURES, Impact

SIZE = (1200, 630)
HEADLINES = ("verified_businesses", "public_products", "inquiries_across", "training")


def _font(size: int):
    return ImageFont.load_default(size=size)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line][:3]


def impact_png(impact: Impact, period_label: str) -> bytes:
    image = Image.new("RGB", SIZE, "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 14), fill="#1f5f8b")
    y = 40
    for line in _wrap(impact.agreement.title, 48):
        draw.text((48, y), line, fill="#111111", font=_font(40))
        y += 50
    draw.text((48, y + 4), period_label, fill="#444444", font=_font(28))
    y += 70
    for key in HEADLINES:
        label = str(FIGURES[key][0])
        shown = [f"{name}: {cells[key].shown}" for _code, name, cells in impact.regions]
        draw.text((48, y), label, fill="#1f5f8b", font=_font(30))
        draw.text((48, y + 36), " · ".join(shown)[:70], fill="#111111", font=_font(28))
        y += 84
    draw.text((48, SIZE[1] - 50), "Etalase UMKM", fill="#444444", font=_font(28))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
