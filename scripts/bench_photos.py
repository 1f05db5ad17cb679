"""Time the photo pipeline on one core: a noisy 12 MP phone-like JPEG into all six renditions.

    .venv/bin/python scripts/bench_photos.py [--runs 7] [--portrait] [--heic] [--webp-method N]

--portrait stores the same pixels with EXIF orientation 6, as phones do for upright photos: the 1600 px
rendition is then 1600x2133 and half-scale JPEG decoding is not possible. --heic re-encodes the photo as
an iPhone-style HEIC (quality 80; decoded at full size, no draft mode). --webp-method overrides the
pipeline's choice, to compare. One warm-up run is not counted; p90 is the nearest-rank percentile.
"""

import argparse
import math
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

import pillow_heif
from PIL import Image, ImageChops

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, nothing installed

from marketplace.media import pipeline

WIDTH, HEIGHT = 4000, 3000


def phone_like_photo(portrait: bool, heic: bool) -> bytes:
    """Gradients under grain at three scales (sensor noise, texture, blotches): ~5.6 MB at quality 92."""
    def noise(sigma: float, scale: int) -> Image.Image:
        grain = Image.effect_noise((WIDTH // scale, HEIGHT // scale), sigma)
        return grain if scale == 1 else grain.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)

    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    channels = []
    for index in range(3):
        base = gradient.transpose(Image.Transpose.ROTATE_180) if index == 1 else gradient
        channel = ImageChops.multiply(base, Image.new("L", base.size, 160))
        for sigma, scale in ((12, 1), (12, 4), (25, 16)):
            channel = ImageChops.add(channel, noise(sigma, scale), offset=-128)
        channels.append(ImageChops.add(channel, Image.new("L", base.size, 40)))
    exif = Image.Exif()
    exif[0x0112] = 6 if portrait else 1
    photo, buf = Image.merge("RGB", channels), BytesIO()
    if heic:
        pillow_heif.from_pillow(photo).save(buf, quality=80, exif=exif.tobytes())
    else:
        photo.save(buf, "JPEG", quality=92, exif=exif.tobytes())
    return buf.getvalue()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(phases: dict[str, list[float]], name: str, function, *args):
    start = time.perf_counter()
    result = function(*args)
    phases.setdefault(name, []).append(time.perf_counter() - start)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--portrait", action="store_true", help="EXIF orientation 6 (an upright phone photo)")
    parser.add_argument("--heic", action="store_true", help="HEIC quality 80 instead of JPEG quality 92")
    parser.add_argument("--webp-method", type=int, choices=range(7), help=f"default: {pipeline.WEBP_METHOD}")
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})
    if args.webp_method is not None:
        pipeline.WEBP_METHOD = args.webp_method

    data = phone_like_photo(args.portrait, args.heic)
    kind = "HEIC quality 80" if args.heic else "JPEG quality 92"
    print(f"photo: {WIDTH}x{HEIGHT} {kind}, {len(data) / 1e6:.2f} MB, orientation {6 if args.portrait else 1}; "
          f"WebP method {pipeline.WEBP_METHOD}; {args.runs} runs on CPU 0 (+1 warm-up)")
    processed = pipeline.process_image(data)
    pipeline.first_renditions(data)
    totals: list[float] = []
    firsts: list[float] = []
    phases: dict[str, list[float]] = {}
    for _ in range(args.runs):
        start = time.perf_counter()
        pipeline.first_renditions(data)
        firsts.append(time.perf_counter() - start)
        start = time.perf_counter()
        pipeline.process_image(data)
        totals.append(time.perf_counter() - start)
        # the same work again, phase by phase (the warnings filter and hashing are left out: < 1 ms)
        img, orientation, widths, _upright = timed(phases, "decode", pipeline.decode, data, 40_000_000)
        images = timed(phases, "resize", pipeline.resize, img, orientation, widths)
        timed(phases, "encode", lambda images: [pipeline.encode(image) for image in images], images)

    def line(name: str, values: list[float]) -> str:
        return f"{name:8} median {statistics.median(values) * 1000:6.0f} ms   p90 {percentile(values, 0.9) * 1000:6.0f} ms"

    print(line("total", totals) + "   (goal: median <= 500 ms)")
    for name, values in phases.items():
        print("  " + line(name, values))
    print(line("upload", firsts) + "   (what the upload request does: check, decode, the 320 px pair; the rest is a job)")
    print("renditions: " + ", ".join(f"{r.width}x{r.height} {r.format} {len(r.data) // 1024} KB" for r in processed.renditions))


if __name__ == "__main__":
    main()
