"""The photo pipeline: decode an upload, refuse what is not a photo, and make clean renditions.

Pure functions, no database. A photo is judged by decoding it, never by its name or Content-Type.
Outputs carry no metadata at all (no EXIF, XMP or ICC), so a phone's GPS position never reaches a buyer.
"""

import hashlib
import struct
import warnings
import zlib
from dataclasses import dataclass, field
from io import BytesIO

import pillow_heif
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms

from marketplace.domain import DomainError

pillow_heif.register_heif_opener()
# Pillow only warns between 1x and 2x its own pixel limit; here a warning is a refusal. Set once for the
# process: warnings.catch_warnings() around each decode would not be thread-safe under a threaded server.
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

RENDITION_WIDTHS = (320, 800, 1600)
WEBP_QUALITY = 80
# libwebp's default method 4 takes twice as long as 2 for 3-5 % smaller files and 0.1 dB; method 0 saves another
# ~60 ms on an upright (portrait) 12 MP photo, which method 2 left at the 0.5 s goal on one core (473-511 ms on a
# quiet machine, 427 ms with 0), for a 1600 px WebP 5 % larger; the 800 and 320 px ones phones get are the same
# size (docs/PERFORMANCE.md)
WEBP_METHOD = 0
JPEG_QUALITY = 82
# The first, large reduction (e.g. 4000x3000 to 1600 px) is bicubic, the smaller ones from it Lanczos: for an
# upright 12 MP photo (no draft decode, no 2x box step) bicubic takes ~30 % less time, and its 1600 px image
# differs from Lanczos's by ~50 dB PSNR, far below what the encoders then lose (~31 dB): docs/PERFORMANCE.md
FIRST_RESAMPLE = Image.Resampling.BICUBIC
# What an upload request may decode while the owner waits: a JPEG at 1/8 scale always; another format (HEIC,
# PNG, WebP: no reduced-scale decoding) only up to this many pixels. A larger one is checked from its header,
# stored, and every rendition is made by the job (a 12 MP HEIC takes 0.3-1 s to decode on one core).
SYNC_DECODE_PIXELS = 2_000_000
WEBP_MAX_SIDE = 16383  # libwebp cannot encode a longer side (a long phone screenshot reaches it)
# The only Pillow plugins allowed to look at an upload; the JPEG one answers "MPO" for multi-picture
# camera files (a JPEG with a depth map or preview appended), which are ordinary JPEGs to a browser.
OPENERS = ("JPEG", "PNG", "WEBP", "HEIF")
FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "HEIF"})
# Anything a broken or hostile file can make a decoder raise; all of them mean "corrupt".
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)

ORIENTATION = 0x0112
# The table ImageOps.exif_transpose uses. It is applied after the first resize, so the rotation moves
# 1600 px instead of a full 12 MP frame; 5-8 swap width and height.
TRANSPOSES = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SWAPS_AXES = frozenset({5, 6, 7, 8})
SIXTEEN_BIT_GREY = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N"})
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
MB = 1024 * 1024

MESSAGES = {
    "empty": _l("The file is empty. Please choose the photo again."),
    "not_image": _l("This is not a photo we can read. Use a JPEG, PNG, WebP or HEIC picture."),
    "corrupt": _l("This photo is damaged or did not upload completely. Please try again or choose another photo."),
    "too_long": _l("This picture is too long and narrow to show. Crop it and try again."),
}


class ImageRejected(DomainError):
    """An upload that is not an acceptable image. .code is a short machine code, .message a lazy-translated user message."""

    status = 422

    def __init__(self, code: str, message):
        super().__init__(message)
        self.args = (code,)  # str(error) is the machine code, for the logs
        self.code = code


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str  # "webp" or "jpeg"
    data: bytes = field(repr=False)

    @property
    def extension(self) -> str:
        """The file extension for this format."""
        return "jpg" if self.format == "jpeg" else self.format


@dataclass(frozen=True)
class ProcessedImage:
    content_hash: str
    width: int
    height: int
    renditions: list[Rendition]

    def filename(self, rendition: Rendition) -> str:
        """The content-hashed file name of one rendition: identical uploads get identical names."""
        return f"{self.content_hash}-{rendition.width}.{rendition.extension}"


def process_image(data: bytes, *, max_bytes: int = 10 * MB, max_pixels: int = 40_000_000) -> ProcessedImage:
    """Check an upload by decoding it; return upright, metadata-free WebP and JPEG renditions or raise ImageRejected."""
    _check_size(data, max_bytes)
    img, orientation, widths, _upright = decode(data, max_pixels)
    images = resize(img, orientation, widths)
    renditions = [encoded for image in images for encoded in encode(image)]
    largest = images[-1]
    return ProcessedImage(content_hash=content_hash(data), width=largest.width, height=largest.height,
                          renditions=renditions)


def first_renditions(data: bytes, *, max_bytes: int = 10 * MB, max_pixels: int = 40_000_000) -> tuple[ProcessedImage, list[int]]:
    """Check an upload as process_image does, but make only the smallest pair of renditions (a JPEG is decoded
    at 1/8 scale for it: a few milliseconds). Returns them, with the size the largest rendition will have,
    and every width that process_image will make of the same data.

    A photo that cannot be decoded cheaply (not a JPEG, more than SYNC_DECODE_PIXELS: a 12 MP HEIC) is checked
    from its header only (format, pixel count, orientation, shape) and no rendition is returned: the job
    decodes it and makes them all."""
    _check_size(data, max_bytes)
    img, orientation, widths, (upright_width, upright_height) = decode(data, max_pixels, draft_width=None,
                                                                       load_up_to=SYNC_DECODE_PIXELS)
    largest_height = max(1, round(widths[-1] * upright_height / upright_width))
    if _left_undecoded(img, SYNC_DECODE_PIXELS):
        img.close()
        renditions = []
    else:
        renditions = encode(resize(img, orientation, widths[:1])[0])
    return ProcessedImage(content_hash=content_hash(data), width=widths[-1], height=largest_height,
                          renditions=renditions), widths


def content_hash(data: bytes) -> str:
    """The upload's identity: identical uploads get identical rendition names."""
    return hashlib.sha256(data).hexdigest()[:32]


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise _rejected("empty")
    if len(data) > max_bytes:
        raise ImageRejected("too_large", _l("This photo is larger than %(mb)s MB. Please send a smaller one.",
                                            mb=f"{max_bytes / MB:g}"))


def decode(data: bytes, max_pixels: int, draft_width: int | None = 0,
           load_up_to: int | None = None) -> tuple[Image.Image, int, list[int], tuple[int, int]]:
    """Open and decode just enough pixels for the renditions; returns the image, its EXIF orientation, the widths
    and the upright size of the whole picture. A JPEG is decoded at reduced scale while staying at least as wide
    as the largest rendition (draft_width 0), the smallest (None), or a given width. With load_up_to, an image
    that would need more pixels decoded than that is checked from its header and returned not loaded."""
    try:
        img = Image.open(BytesIO(data), formats=OPENERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except Image.UnidentifiedImageError:
        raise _rejected("not_image") from None
    except DECODE_ERRORS:
        raise _rejected("corrupt") from None
    if img.format not in FORMATS:
        raise _rejected("not_image")
    width, height = img.size
    if width * height > max_pixels:  # from the header alone, before a single pixel is allocated
        raise _too_many_pixels(max_pixels)

    orientation = _orientation(img)
    upright_width, upright_height = (height, width) if orientation in SWAPS_AXES else (width, height)
    widths = [w for w in RENDITION_WIDTHS if w <= upright_width] or [upright_width]
    widths = [w for w in widths if round(w * upright_height / upright_width) <= WEBP_MAX_SIDE]
    if not widths:
        raise _rejected("too_long")
    if img.format in ("JPEG", "MPO"):
        # DCT scaling: decode at 1/2, 1/4 or 1/8 size while staying at least as wide as the rendition needs
        target = widths[-1] if draft_width == 0 else widths[0] if draft_width is None else draft_width
        img.draft("RGB", (1, target) if orientation in SWAPS_AXES else (target, 1))
    elif _left_undecoded(img, load_up_to):
        return img, orientation, widths, (upright_width, upright_height)
    try:
        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except DECODE_ERRORS:
        raise _rejected("corrupt") from None
    return img, orientation, widths, (upright_width, upright_height)


def resize(img: Image.Image, orientation: int, widths: list[int]) -> list[Image.Image]:
    """Upright sRGB images at the given widths, smallest first, each made from the next larger one."""
    profile = img.info.get("icc_profile") if img.mode != "CMYK" else None  # CMYK uses its profile while converting
    img = _rgb_or_rgba(img)
    swap = orientation in SWAPS_AXES
    width, height = (img.height, img.width) if swap else img.size
    images: list[Image.Image] = []
    for target in reversed(widths):
        size = (target, max(1, round(target * height / width)))
        if not images:
            # a 2x or larger box reduction first, as JPEG draft mode does: 41 instead of 98 ms for a 12 MP HEIC
            first = img.resize(size[::-1] if swap else size, FIRST_RESAMPLE, reducing_gap=1.25)
            if orientation in TRANSPOSES:
                first = first.transpose(TRANSPOSES[orientation])
            if profile:
                first = _to_srgb(first, profile)
            images.append(first)
        else:
            images.append(images[-1].resize(size, Image.Resampling.LANCZOS))
        images[-1].info = {}  # nothing of the upload's metadata travels on
    return images[::-1]


def encode(img: Image.Image) -> list[Rendition]:
    """A WebP (alpha kept) and a progressive JPEG (alpha flattened onto white) of one image, without metadata."""
    webp = BytesIO()
    img.save(webp, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    if img.mode == "RGBA":
        flat = Image.new("RGB", img.size, (255, 255, 255))
        flat.paste(img, mask=img.getchannel("A"))
    else:
        flat = img
    jpeg = BytesIO()
    flat.save(jpeg, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    return [Rendition(img.width, img.height, "webp", webp.getvalue()),
            Rendition(img.width, img.height, "jpeg", jpeg.getvalue())]


def _left_undecoded(img: Image.Image, load_up_to: int | None) -> bool:
    """Whether decode() leaves this image's pixels alone: not a JPEG (no reduced-scale decoding) and larger
    than load_up_to."""
    return (load_up_to is not None and img.format not in ("JPEG", "MPO")
            and img.width * img.height > load_up_to)


def _rejected(code: str) -> ImageRejected:
    return ImageRejected(code, MESSAGES[code])


def _too_many_pixels(max_pixels: int) -> ImageRejected:
    return ImageRejected("too_many_pixels", _l(
        "This photo is too big (over %(mp)s megapixels). Take it at the camera's normal size or send a smaller copy.",
        mp=f"{max_pixels / 1_000_000:g}"))


def _orientation(img: Image.Image) -> int:
    """The EXIF orientation (1-8), read from the header; 1 when the EXIF block is missing or broken."""
    try:
        value = img.getexif().get(ORIENTATION, 1)
    except Exception:  # a mangled EXIF block is common and should not cost the seller the photo
        return 1
    return value if isinstance(value, int) and value in TRANSPOSES else 1


def _rgb_or_rgba(img: Image.Image) -> Image.Image:
    """8-bit RGB, or RGBA when the image really has transparency; CMYK goes through its own profile."""
    if img.mode == "CMYK":
        profile = img.info.get("icc_profile")
        return _to_srgb(img, profile, "RGB") if profile else img.convert("RGB")
    if img.mode in SIXTEEN_BIT_GREY:  # a plain convert would clip 16-bit grey to white
        img = img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if img.has_transparency_data:
        img = img.convert("RGBA")
        if img.getchannel("A").getextrema()[0] == 255:  # an alpha channel that hides nothing
            img = img.convert("RGB")
        return img
    return img if img.mode == "RGB" else img.convert("RGB")


def _to_srgb(img: Image.Image, profile: bytes, mode: str | None = None) -> Image.Image:
    """Colours converted from the embedded profile (e.g. Display P3) to sRGB; unchanged if the profile is unusable."""
    mode = mode or img.mode
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(profile))
        if img.mode == mode and "sRGB" in ImageCms.getProfileDescription(source):
            return img
        return ImageCms.profileToProfile(img, source, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img if img.mode == mode else img.convert(mode)
