"""The photo pipeline: what is accepted, what is refused, what reaches a buyer. Images are made with Pillow here."""

import hashlib
import os
import struct
import zlib
from io import BytesIO

import pillow_heif
import pytest
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from marketplace.media.pipeline import (
    RENDITION_WIDTHS,
    ImageRejected,
    decode,
    process_image,
)

RED, BLUE, WHITE = (230, 20, 20), (20, 40, 220), (255, 255, 255)
XMP_SECRET = b"etalase-secret-gps-7.7543S-113.2159E"
ALLOWED_JPEG_MARKERS = {0xE0, 0xDB, 0xC0, 0xC1, 0xC2, 0xC4, 0xDD}  # JFIF, tables, frame headers; no APPn with data
ALLOWED_WEBP_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


def encoded(img: Image.Image, fmt: str, **params) -> bytes:
    buf = BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def noisy(size=(600, 400)) -> Image.Image:
    return Image.merge("RGB", [Image.effect_noise(size, 60) for _ in range(3)])


def close(pixel, colour, tolerance=45) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def decoded(rendition) -> Image.Image:
    img = Image.open(BytesIO(rendition.data))
    img.load()
    return img


def jpeg_markers(data: bytes) -> list[int]:
    """The segment markers of a JPEG up to its first scan."""
    assert data[:2] == b"\xff\xd8"
    markers, offset = [], 2
    while data[offset] == 0xFF and data[offset + 1] != 0xDA:
        markers.append(data[offset + 1])
        offset += 2 + int.from_bytes(data[offset + 2:offset + 4], "big")
    return markers


def webp_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, offset = [], 12
    while offset < len(data):
        size = int.from_bytes(data[offset + 4:offset + 8], "little")
        chunks.append(data[offset:offset + 4])
        offset += 8 + size + (size & 1)
    return chunks


def rejection(data: bytes, **limits) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process_image(data, **limits)
    return caught.value


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width x height (8-bit RGB) but carries a few bytes of pixels: a decompression bomb's header."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


# --- orientation and metadata ---------------------------------------------------------------------

def phone_jpeg_with_gps() -> bytes:
    """1800x900 stored pixels, red in the stored top-left corner, EXIF orientation 6, GPS in EXIF and XMP, an ICC profile."""
    img = Image.new("RGB", (1800, 900), BLUE)
    img.paste(RED, (0, 0, 180, 180))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (7.0, 45.0, 15.48), 3: "E", 4: (113.0, 12.0, 57.24)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>' + XMP_SECRET + b"</exif:GPSLatitude></x:xmpmeta>"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(img, "JPEG", quality=90, exif=exif.tobytes(), xmp=xmp, icc_profile=srgb)


def test_the_upload_really_carries_orientation_and_gps():
    """Guards the next test: the source must contain what the renditions must lose."""
    source = Image.open(BytesIO(phone_jpeg_with_gps()))
    assert source.getexif()[0x0112] == 6
    assert source.getexif().get_ifd(0x8825)[1] == "S"
    assert XMP_SECRET in source.info["xmp"] and "icc_profile" in source.info


def test_renditions_are_upright_and_carry_no_metadata():
    processed = process_image(phone_jpeg_with_gps())
    assert [(r.width, r.height) for r in processed.renditions] == [(320, 640)] * 2 + [(800, 1600)] * 2
    for rendition in processed.renditions:
        img = decoded(rendition)
        assert img.height == 2 * img.width  # portrait: the 1800x900 stored pixels were turned
        # orientation 6 turns the stored top-left corner to the top right
        assert close(img.getpixel((img.width - 3, 3)), RED)
        for corner in ((3, 3), (3, img.height - 3), (img.width - 3, img.height - 3)):
            assert close(img.getpixel(corner), BLUE)
        assert not img.getexif()
        assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(img.info)
        for leak in (b"Exif\x00\x00", b"PhoneMaker", XMP_SECRET, b"xmpmeta", b"ICC_PROFILE"):
            assert leak not in rendition.data
        if rendition.format == "jpeg":
            assert set(jpeg_markers(rendition.data)) <= ALLOWED_JPEG_MARKERS
        else:
            assert set(webp_chunks(rendition.data)) <= ALLOWED_WEBP_CHUNKS


def test_a_php_polyglot_loses_its_payload():
    """A real JPEG with PHP in a comment is accepted as a photo, but only re-encoded pixels are kept."""
    data = encoded(Image.new("RGB", (400, 300), BLUE), "JPEG", comment=b"<?php system($_GET['c']); ?>")
    for rendition in process_image(data).renditions:
        assert b"<?php" not in rendition.data


@pytest.mark.parametrize("orientation", [1, 6])
def test_jpeg_draft_decode_stays_wide_enough(orientation):
    """Half-scale decoding must not make a portrait photo narrower than the 1600 px rendition."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encoded(Image.new("RGB", (3400, 1700), BLUE), "JPEG", exif=exif.tobytes())
    img, seen_orientation, widths, _upright = decode(data, max_pixels=40_000_000)
    upright_width = img.height if orientation == 6 else img.width
    assert seen_orientation == orientation and widths == [320, 800, 1600]
    assert upright_width >= 1600
    assert img.size == ((1700, 850) if orientation == 1 else (3400, 1700))  # half scale only when it is enough
    processed = process_image(data)
    assert (processed.width, processed.height) == ((1600, 800) if orientation == 1 else (1600, 3200))


# --- accepted formats -----------------------------------------------------------------------------

def test_png_with_alpha_keeps_it_in_webp_and_is_flattened_on_white_in_jpeg():
    img = Image.new("RGBA", (500, 400), (*RED, 255))
    img.paste((0, 0, 0, 0), (0, 0, 250, 400))  # left half fully transparent
    processed = process_image(encoded(img, "PNG"))
    for rendition in processed.renditions:
        out = decoded(rendition)
        left, right = out.getpixel((5, out.height // 2)), out.getpixel((out.width - 5, out.height // 2))
        if rendition.format == "webp":
            assert out.mode == "RGBA" and left[3] == 0 and right[3] == 255
        else:
            assert out.mode == "RGB" and close(left, WHITE, 10)
        assert close(right, RED)


def test_an_alpha_channel_that_hides_nothing_is_dropped():
    processed = process_image(encoded(Image.new("RGBA", (400, 300), (*RED, 255)), "PNG"))
    assert {decoded(r).mode for r in processed.renditions} == {"RGB"}


@pytest.mark.parametrize("fmt", ["WEBP", "HEIF", "MPO"])
def test_other_phone_formats_are_accepted(fmt):
    img = Image.new("RGB", (640, 480), BLUE)
    img.paste(RED, (0, 0, 64, 64))
    if fmt == "HEIF":
        buf = BytesIO()
        pillow_heif.from_pillow(img).save(buf, quality=80)
        data = buf.getvalue()
    elif fmt == "MPO":  # a JPEG with a second picture appended, as some phones write
        data = encoded(img, "MPO", save_all=True, append_images=[img.resize((160, 120))])
    else:
        data = encoded(img, fmt, quality=80)
    assert Image.open(BytesIO(data)).format == fmt
    processed = process_image(data)
    assert [(r.width, r.format) for r in processed.renditions] == [(320, "webp"), (320, "jpeg")]
    assert close(decoded(processed.renditions[0]).getpixel((3, 3)), RED)


def test_sixteen_bit_grey_png_is_not_clipped_to_white():
    grey = Image.new("I;16", (400, 300), 128 * 257)
    out = decoded(process_image(encoded(grey, "PNG")).renditions[1])
    assert close(out.getpixel((200, 150)), (128, 128, 128), 6)


def test_cmyk_jpeg_and_a_broken_icc_profile_still_give_rgb():
    cmyk = encoded(Image.new("CMYK", (400, 300), (0, 255, 255, 0)), "JPEG")
    junk_profile = encoded(Image.new("RGB", (400, 300), RED), "JPEG", icc_profile=b"not a profile at all")
    for data in (cmyk, junk_profile):
        for rendition in process_image(data).renditions:
            out = decoded(rendition)
            assert out.mode == "RGB" and "icc_profile" not in out.info
            assert close(out.getpixel((200, 150)), (255, 0, 0), 60)


def display_p3_profile() -> bytes:
    """A minimal ICC v2 matrix/TRC profile with Display P3 primaries (D50-adapted) and gamma 2.2, as iPhones embed."""
    def s15(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    text = b"Display P3 (test)\0"
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    tags = [(b"desc", b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 79),
            (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
            (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)), (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve), (b"cprt", b"text\0\0\0\0none\0\0\0\0")]
    start = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", start + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    header = (struct.pack(">I", start + len(body)) + b"none" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + b"\0" * 12
              + b"acsp" + b"\0" * 28 + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + body


def test_wide_gamut_colours_are_converted_to_srgb_not_just_relabelled():
    p3_orange = encoded(Image.new("RGB", (400, 300), (200, 100, 50)), "PNG", icc_profile=display_p3_profile())
    out = decoded(process_image(p3_orange).renditions[1])
    assert close(out.getpixel((200, 150)), (216, 93, 25), 6)  # the same colour in sRGB numbers
    assert "icc_profile" not in out.info


# --- refused uploads ------------------------------------------------------------------------------

def truncated(fmt: str) -> bytes:
    data = encoded(noisy(), fmt)
    return data[: len(data) // 2]


@pytest.mark.parametrize(("data", "code"), [
    pytest.param(b"", "empty", id="zero-bytes"),
    pytest.param(truncated("JPEG"), "corrupt", id="truncated-jpeg"),
    pytest.param(truncated("PNG"), "corrupt", id="truncated-png"),
    pytest.param(b"<!doctype html><html><body><script>alert(1)</script></body></html>", "not_image", id="html"),
    pytest.param(b"<?php system($_GET['c']); ?>", "not_image", id="php"),
    pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
                 "not_image", id="svg"),
    pytest.param(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "not_image", id="pdf"),
    pytest.param(b"harga batik tulis Rp 150.000\n", "not_image", id="text"),
    pytest.param(encoded(Image.new("RGB", (40, 30), RED), "GIF"), "not_image", id="gif"),
    pytest.param(encoded(Image.new("RGB", (40, 30), RED), "BMP"), "not_image", id="bmp"),
    pytest.param(encoded(Image.new("RGB", (40, 30), RED), "TIFF"), "not_image", id="tiff"),
    pytest.param(os.urandom(12 * 1024 * 1024), "too_large", id="12-MB-blob"),
    pytest.param(png_header_only(30_000, 30_000), "too_many_pixels", id="30000x30000-png-header"),
    pytest.param(png_header_only(8000, 6000), "too_many_pixels", id="48-MP-png-header"),
    pytest.param(encoded(Image.new("L", (100, 20_000)), "PNG"), "too_long", id="too-long-for-any-rendition"),
])
def test_refused_with_the_right_code(data, code):
    assert rejection(data).code == code


def test_truncated_images_are_never_loaded_leniently():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_size_limit_is_checked_before_decoding():
    photo = encoded(noisy((1200, 900)), "JPEG", quality=95)
    assert rejection(photo, max_bytes=len(photo) - 1).code == "too_large"
    assert process_image(photo, max_bytes=len(photo)).renditions


def test_pixel_bombs_are_refused_from_the_header_without_decoding(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_decoding)
    assert rejection(png_header_only(30_000, 30_000)).code == "too_many_pixels"
    assert rejection(png_header_only(8000, 6000)).code == "too_many_pixels"


@pytest.mark.parametrize(("width", "height"), [(10_000, 10_000), (30_000, 30_000)])
def test_pillows_own_bomb_checks_become_too_many_pixels(width, height):
    """With our limit lifted, Pillow's warning (1x-2x its limit) and its error (over 2x) are refusals too."""
    assert rejection(png_header_only(width, height), max_pixels=10**10).code == "too_many_pixels"


@pytest.mark.parametrize(("data", "limits", "english"), [
    (b"", {}, "The file is empty"),
    (b"<?php echo 1; ?>", {}, "Use a JPEG, PNG, WebP or HEIC picture"),
    (truncated("JPEG"), {}, "damaged or did not upload completely"),
    (os.urandom(600 * 1024), {"max_bytes": 1024 * 1024 // 2}, "larger than 0.5 MB"),
    (os.urandom(11 * 1024 * 1024), {}, "larger than 10 MB"),
    (png_header_only(30_000, 30_000), {}, "over 40 megapixels"),
    (encoded(Image.new("L", (100, 20_000)), "PNG"), {}, "too long and narrow"),
], ids=["empty", "not_image", "corrupt", "too_large-0.5", "too_large-10", "too_many_pixels", "too_long"])
def test_messages_are_clear_in_english_and_present_in_indonesian(app, data, limits, english):
    error = rejection(data, **limits)
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert english in str(error.message)
    with app.app_context(), app.test_request_context("/?lang=id"):
        assert str(error.message).strip()


# --- renditions and names -------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "expected"), [
    ((2000, 1500), [(320, 240), (800, 600), (1600, 1200)]),
    ((1600, 900), [(320, 180), (800, 450), (1600, 900)]),
    ((1000, 500), [(320, 160), (800, 400)]),  # no 1600: never upscale
    ((320, 320), [(320, 320)]),
    ((200, 100), [(200, 100)]),  # narrower than the smallest: one rendition at its own width
    ((3000, 2), [(320, 1), (800, 1), (1600, 1)]),
    ((850, 18_000), [(320, 6776)]),  # a long screenshot: 800 px wide it would pass WebP's 16383 px limit
])
def test_rendition_sizes(size, expected):
    processed = process_image(encoded(Image.new("L", size, 80), "PNG"))
    assert [(r.width, r.height, r.format) for r in processed.renditions] == [
        (w, h, fmt) for w, h in expected for fmt in ("webp", "jpeg")]
    assert (processed.width, processed.height) == expected[-1]
    for rendition in processed.renditions:
        assert decoded(rendition).size == (rendition.width, rendition.height)
        assert decoded(rendition).format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.format]
    assert {r.width for r in processed.renditions} <= {*RENDITION_WIDTHS, size[0]}


def test_jpeg_renditions_are_progressive():
    for rendition in process_image(encoded(noisy(), "JPEG")).renditions:
        if rendition.format == "jpeg":
            assert decoded(rendition).info.get("progressive")


def test_filenames_are_content_hashed_and_stable():
    data = encoded(noisy((900, 600)), "PNG")
    first, second = process_image(data), process_image(data)
    assert first.content_hash == hashlib.sha256(data).hexdigest()[:32]
    names = [first.filename(r) for r in first.renditions]
    assert names == [second.filename(r) for r in second.renditions]
    assert names == [f"{first.content_hash}-{w}.{ext}" for w in (320, 800) for ext in ("webp", "jpg")]
    other = process_image(encoded(noisy(), "PNG"))
    assert other.content_hash != first.content_hash
