"""Time the photo pipeline on one core: a noisy 12 MP phone-like JPEG into all six renditions.

    .venv/bin/python scripts/bench_photos.py [--runs 7] [--portrait] [--heic | --heic-real] [--webp-method N]
                                             [--first-resample bicubic|lanczos] [--psnr] [--sync]

--portrait stores the same pixels with EXIF orientation 6, as phones do for upright photos: the 1600 px
rendition is then 1600x2133 and half-scale JPEG decoding is not possible. --heic re-encodes the photo as
an iPhone-style HEIC (quality 80; decoded at full size, no draft mode): the grain makes it ~10 MB, several
times a real phone's 12 MP HEIC, and HEVC decoding time grows with the bitrate, so this is the PESSIMISTIC
figure. --heic-real softens the same picture first (Gaussian blur, radius 1.2, as a phone's noise reduction
does) to a realistic bitrate (~3.4 MB, the upper end of a real 12 MP phone HEIC's 1.5-3.5 MB).
--webp-method overrides the pipeline's choice, to compare. --psnr compares the 1600 px image made with the
pipeline's first reduction (FIRST_RESAMPLE) with the Lanczos one, and what the encoders lose.

Besides all renditions (`total`), it times `upload` (with --sync only that, which is quicker): exactly
what the upload request does with the file before answering (media.services.stage_photo): the checks,
first_renditions (a JPEG decoded at 1/8 scale and the 320 px pair; a large HEIC/PNG/WebP only from its
header), the content hash, and writing those files and the original into a FilesystemStorage (a new
temporary folder each run, each file synced as in production). Not included: the two quota counts and
the row's INSERT/commit (a few milliseconds) and receiving the request.

Wall time is what counts; CPU time (process_time: every thread of the process, all pinned to CPU 0, so
decoder threads cannot add a core) is printed beside it, as it moves less when others load the machine.
One warm-up run is not counted; p90 is the nearest-rank percentile.
"""

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

import pillow_heif
from PIL import Image, ImageChops, ImageFilter, ImageStat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, nothing installed

from marketplace.media import pipeline
from marketplace.media.models import original_name
from marketplace.media.storage import FilesystemStorage

WIDTH, HEIGHT = 4000, 3000


def phone_like_photo(portrait: bool, heic: bool, realistic: bool = False) -> bytes:
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
    if realistic:
        photo = photo.filter(ImageFilter.GaussianBlur(1.2))
    if heic:
        pillow_heif.from_pillow(photo).save(buf, quality=80, exif=exif.tobytes())
    else:
        photo.save(buf, "JPEG", quality=92, exif=exif.tobytes())
    return buf.getvalue()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def upload_request(data: bytes, root: Path) -> None:
    """What stage_photo does with the file before the request answers (see the docstring)."""
    first, widths = pipeline.first_renditions(data)
    store = FilesystemStorage(root)
    for rendition in first.renditions:
        store.put(first.filename(rendition), rendition.data)
    if len(widths) > 1 or not first.renditions:
        store.put(original_name(first.content_hash), data)


def psnr(a: Image.Image, b: Image.Image) -> float:
    squares = ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).sum2
    mse = sum(squares) / (3 * a.width * a.height)
    return 10 * math.log10(255 ** 2 / mse) if mse else math.inf


def compare_resampling(data: bytes) -> None:
    img, orientation, widths, _upright = pipeline.decode(data, 40_000_000)
    chosen = pipeline.FIRST_RESAMPLE
    made = pipeline.resize(img, orientation, widths)[-1]
    pipeline.FIRST_RESAMPLE = Image.Resampling.LANCZOS
    try:
        lanczos = pipeline.resize(img, orientation, widths)[-1]
    finally:
        pipeline.FIRST_RESAMPLE = chosen
    print(f"PSNR of the {made.width}x{made.height} image, {chosen.name} first reduction against LANCZOS: "
          f"{psnr(made, lanczos):.1f} dB")
    references = {r.format: Image.open(BytesIO(r.data)) for r in pipeline.encode(lanczos)}
    for rendition in pipeline.encode(made):
        decoded = Image.open(BytesIO(rendition.data))
        print(f"  its {rendition.format} rendition against the LANCZOS image: {psnr(decoded, lanczos):.2f} dB "
              f"(the LANCZOS image's own {rendition.format}: {psnr(references[rendition.format], lanczos):.2f} dB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--portrait", action="store_true", help="EXIF orientation 6 (an upright phone photo)")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--heic", action="store_true", help="HEIC quality 80 of the grain photo (~10 MB: pessimistic)")
    kind.add_argument("--heic-real", action="store_true", help="HEIC quality 80 at a real phone's bitrate (~3.4 MB)")
    parser.add_argument("--webp-method", type=int, choices=range(7), help=f"default: {pipeline.WEBP_METHOD}")
    parser.add_argument("--first-resample", choices=["bicubic", "lanczos"],
                        help=f"the first reduction's filter, to compare (default: {pipeline.FIRST_RESAMPLE.name.lower()})")
    parser.add_argument("--sync", action="store_true", help="time only what the upload request does")
    parser.add_argument("--psnr", action="store_true", help="compare the first reduction with Lanczos, then stop")
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})  # threads started later (libheif's decoders) inherit it
    if args.webp_method is not None:
        pipeline.WEBP_METHOD = args.webp_method
    if args.first_resample:
        pipeline.FIRST_RESAMPLE = Image.Resampling[args.first_resample.upper()]

    heic = args.heic or args.heic_real
    data = phone_like_photo(args.portrait, heic, realistic=args.heic_real)
    kind = ("HEIC quality 80, realistic bitrate" if args.heic_real else
            "HEIC quality 80, grain (pessimistic)" if args.heic else "JPEG quality 92")
    print(f"photo: {WIDTH}x{HEIGHT} {kind}, {len(data) / 1e6:.2f} MB, orientation {6 if args.portrait else 1}; "
          f"WebP method {pipeline.WEBP_METHOD}, first reduction {pipeline.FIRST_RESAMPLE.name.lower()}; "
          f"{args.runs} runs on CPU 0 (+1 warm-up)")
    if args.psnr:
        compare_resampling(data)
        return
    processed = pipeline.process_image(data)
    scratch = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    upload_request(data, scratch / "warm-up")
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}

    def timed(name: str, function, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args)
        cpus.setdefault(name, []).append(time.process_time() - cpu)
        walls.setdefault(name, []).append(time.perf_counter() - wall)
        return result

    for run in range(args.runs):
        timed("upload", upload_request, data, scratch / str(run))
        if args.sync:
            continue
        timed("total", pipeline.process_image, data)
        # the same work again, phase by phase (the warnings filter and hashing are left out: < 1 ms)
        img, orientation, widths, _upright = timed("decode", pipeline.decode, data, 40_000_000)
        images = timed("resize", pipeline.resize, img, orientation, widths)
        timed("encode", lambda images: [pipeline.encode(image) for image in images], images)

    def line(name: str) -> str:
        wall, cpu = walls[name], cpus[name]
        return (f"{name:8} median {statistics.median(wall) * 1000:6.0f} ms   p90 {percentile(wall, 0.9) * 1000:6.0f} ms"
                f"   (CPU median {statistics.median(cpu) * 1000:5.0f} ms)")

    if not args.sync:
        print(line("total") + "   goal: median <= 500 ms")
        for name in ("decode", "resize", "encode"):
            print("  " + line(name))
    print(line("upload") + "   goal: median <= 150 ms (what the request does before answering; the rest is a job)")
    print("renditions: " + ", ".join(f"{r.width}x{r.height} {r.format} {len(r.data) // 1024} KB" for r in processed.renditions))
    first, _widths = pipeline.first_renditions(data)
    print("made by the upload request: " + (", ".join(f"{r.width}x{r.height} {r.format}" for r in first.renditions)
                                             or "none (checked from the header; the job makes every rendition)"))
    for run_dir in scratch.iterdir():
        for path in sorted(run_dir.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        run_dir.rmdir()
    scratch.rmdir()


if __name__ == "__main__":
    main()
