"""Product photos for the demo, drawn with Pillow so no image files ship in the repository."""

import random
from io import BytesIO

from PIL import Image, ImageDraw

PALETTES = {
    "batik": [(92, 45, 20), (196, 140, 60), (240, 220, 180), (40, 60, 110)],
    "bordir": [(250, 248, 240), (210, 170, 180), (120, 150, 110), (200, 170, 90)],
    "kerajinan-tangan": [(120, 90, 60), (200, 180, 140), (80, 110, 70), (230, 215, 190)],
    "fesyen": [(40, 60, 110), (196, 140, 60), (240, 235, 225), (92, 45, 20)],
    "makanan-olahan": [(245, 190, 60), (230, 120, 40), (255, 245, 220), (150, 90, 40)],
    "minuman": [(255, 200, 60), (250, 240, 200), (120, 170, 80), (230, 140, 40)],
    "hasil-pertanian": [(240, 200, 60), (200, 150, 30), (110, 140, 60), (245, 235, 200)],
    "hasil-peternakan": [(235, 200, 160), (250, 245, 235), (190, 140, 100), (120, 90, 60)],
}


def _top_slug(category) -> str:
    while category.parent is not None:
        category = category.parent
    return category.slug


def draw_product_photo(category, seed: str, variant: int = 0, size: tuple[int, int] = (1200, 900)) -> bytes:
    """A JPEG that looks like its category: a motif for cloth, rounded shapes for food and produce."""
    top = _top_slug(category)
    palette = PALETTES.get(top, PALETTES["kerajinan-tangan"])
    rng = random.Random(f"{seed}-{variant}")  # noqa: S311  (pictures, not secrets)
    background, main, light, accent = (palette[(i + variant) % 4] for i in range(4))
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    if top in ("batik", "fesyen", "bordir", "kerajinan-tangan"):
        step = rng.choice((90, 110, 130))
        for y in range(0, height + step, step):
            for x in range(0, width + step, step):
                offset = step // 2 if (y // step) % 2 else 0
                cx, cy, r = x + offset, y, step // 3
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=main, width=6)
                draw.polygon([(cx, cy - r // 2), (cx + r // 2, cy), (cx, cy + r // 2), (cx - r // 2, cy)], fill=accent)
                draw.line((cx - r, cy + r, cx + r, cy + r), fill=light, width=3)
    else:
        draw.rectangle((0, height * 2 // 3, width, height), fill=light)
        for _ in range(rng.randint(5, 9)):
            cx, cy = rng.randint(150, width - 150), rng.randint(height // 3, height - 120)
            rx, ry = rng.randint(70, 140), rng.randint(50, 110)
            draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=main, outline=accent, width=5)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
