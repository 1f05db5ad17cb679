"""Upload attacks added by the security review (docs/SECURITY.md lists the whole corpus): each file is refused with
a message or stored without its payload, never a 500."""

import tracemalloc
import zlib
from io import BytesIO

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from marketplace.accounts.models import Role
from marketplace.certifications.models import Certification
from marketplace.extensions import db
from marketplace.media.documents import document_name, process_document
from marketplace.media.pipeline import ImageRejected, process_image
from marketplace.media.storage import storage
from tests.conftest import jpeg_bytes

MB = 1024 * 1024


def pdf_bytes(pages: int = 1, customise=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if customise:
        customise(writer)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(**save_kwargs) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 10)).save(buffer, "PNG", **save_kwargs)
    return buffer.getvalue()


@pytest.fixture
def business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


def claim(client, business, data: bytes, filename: str):
    form = {"product": "", "cert_type": "halal", "number": "ID35110000123450724", "issuer": "BPJPH",
            "valid_until": "2029-07-24", "document": (BytesIO(data), filename)}
    return client.submit(f"/my/businesses/{business.id}/certifications/new?lang=en", form, content_type="multipart/form-data")


def stored_document() -> bytes:
    cert = db.session.scalar(db.select(Certification))
    return storage().get(document_name(cert.document))


# --- photos ----------------------------------------------------------------------------------------------------

def test_gif_javascript_polyglot_named_jpg_is_refused():
    """GIF89a/*...*/=alert(1): a GIF that is also a script. GIF is not an accepted format, whatever the name."""
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (9, 9, 9)).save(buffer, "GIF")
    gif = bytearray(buffer.getvalue())
    gif[6:8] = b"/*"  # the logical screen width opens a JavaScript comment
    polyglot = bytes(gif) + b"*/=alert(document.domain);"
    with pytest.raises(ImageRejected) as caught:
        process_image(polyglot)
    assert caught.value.code == "not_image"


def test_html_behind_jpeg_magic_bytes_is_refused():
    with pytest.raises(ImageRejected) as caught:
        process_image(b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>")
    assert caught.value.code in {"corrupt", "not_image"}


def test_jpeg_with_html_and_a_zip_appended_keeps_only_the_pixels():
    """A valid JPEG followed by HTML and a ZIP (a JPEG/ZIP polyglot) is a photo: only re-encoded pixels are stored."""
    payload = b"<html><script>alert(1)</script></html>PK\x03\x04" + b"\x00" * 26 + b"evil.php<?php system($_GET[1]);"
    processed = process_image(jpeg_bytes((900, 600)) + payload)
    for rendition in processed.renditions:
        assert b"<script" not in rendition.data and b"PK\x03\x04" not in rendition.data and b"<?php" not in rendition.data


def test_png_text_chunks_with_script_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta><rdf:Description onload='alert(1)'/></x:xmpmeta>")
    processed = process_image(png_bytes(pnginfo=info))
    for rendition in processed.renditions:
        assert b"<script" not in rendition.data and b"xmpmeta" not in rendition.data


# --- certificate documents -------------------------------------------------------------------------------------

def test_a_pdf_whose_page_is_a_bare_reference_is_refused_as_damaged(client, business):
    """pypdf raised AttributeError on this one (found by fuzzing): it was a 500 instead of a message."""
    hostile = pdf_bytes().replace(b"4 0 obj\n<<", b"4 0 obj 1 0 R\n<<")
    response = claim(client, business, hostile, "halal.pdf")
    assert response.status_code == 200
    assert "damaged" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Certification.id))) == 0


def test_an_encrypted_pdf_is_refused(client, business):
    html = claim(client, business, pdf_bytes(customise=lambda w: w.encrypt("rahasia")), "halal.pdf").get_data(as_text=True)
    assert "password-protected" in html
    assert db.session.scalar(db.select(db.func.count(Certification.id))) == 0


def test_a_pdf_with_too_many_pages_is_refused(client, business):
    html = claim(client, business, pdf_bytes(pages=31), "halal.pdf").get_data(as_text=True)
    assert "1 to 30 pages" in html
    assert db.session.scalar(db.select(db.func.count(Certification.id))) == 0


def test_html_pdf_polyglot_is_refused(client, business):
    """HTML first, a PDF after it: browsers sniff HTML, PDF readers find the PDF. Only a file that starts as a PDF is one."""
    polyglot = b"<!doctype html><html><script>alert(1)</script>" + pdf_bytes()
    html = claim(client, business, polyglot, "halal.pdf").get_data(as_text=True)
    assert "not a photo we can read" in html
    assert db.session.scalar(db.select(db.func.count(Certification.id))) == 0


def _attachment_launch_and_link(writer: PdfWriter) -> None:
    writer.add_attachment("payload.exe", b"MZ-not-really-an-executable")
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(99), NumberObject(99)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/URI"),
                                            NameObject("/URI"): TextStringObject("http://evil.example/phish")})})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])


def test_attachments_launch_actions_and_links_are_not_kept(client, business):
    source = pdf_bytes(customise=_attachment_launch_and_link)
    needles = (b"/EmbeddedFile", b"/Filespec", b"payload", b"/Launch", b"cmd", b"/URI", b"evil")
    assert all(needle in source for needle in needles)  # the upload really carries them
    assert claim(client, business, source, "halal.pdf").status_code == 302
    stored = stored_document()
    for needle in needles:
        assert needle not in stored, needle
    assert len(PdfReader(BytesIO(stored)).pages) == 1


def test_a_pdf_stream_bomb_is_copied_without_being_inflated():
    """A page whose content inflates to 80 MB: the document is rewritten without decompressing it."""
    bomb = zlib.compress(b"0 0 m " * (80 * MB // 6), 1)

    def add_bomb(writer: PdfWriter) -> None:
        stream = DecodedStreamObject()
        stream.set_data(b"")
        stream._data = bomb
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)

    data = pdf_bytes(customise=add_bomb)
    tracemalloc.start()
    try:
        name, clean = process_document(data, max_bytes=10 * MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert name.endswith(".pdf") and len(clean) < 10 * MB
    assert peak < 40 * MB  # the inflated content alone would be 80 MB


# --- a page rebuilt from an allow-list (issue 14, finding 6) -----------------------------------------------------

HIDDEN_KEYS = {"/PresSteps", "/Metadata", "/Evil", "/OpenAction", "/Names", "/JavaScript", "/JS", "/AA", "/Info",
               "/Producer", "/Author", "/F"}
PAGE_TEXT = "Sertifikat Halal ID35110000123450724"


def _js(code: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)})


def _stream(data: bytes, **keys) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in keys.items():
        stream[NameObject(f"/{key}")] = value
    return stream


def _hidden_actions(writer: PdfWriter) -> None:
    """A real page (text in a font) that also carries what the old clean-up let through: a JavaScript action under
    /PresSteps, an XMP /Metadata stream, a custom key holding a script; a form XObject with its own /AA, /Metadata
    and data from an external file; a font pointing back at the page; a document /OpenAction, /Names JavaScript
    and /Info."""
    page = writer.pages[0]
    add = writer._add_object
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Back"): page.indirect_reference})  # would bring the whole page along
    form = _stream(b"0 0 m 10 10 l S", Type=NameObject("/XObject"), Subtype=NameObject("/Form"),
                   BBox=ArrayObject([NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]),
                   AA=DictionaryObject({NameObject("/PO"): add(_js("app.alert('xobject')"))}),
                   Metadata=add(_stream(b"<x:xmpmeta>form</x:xmpmeta>")),
                   F=TextStringObject("http://evil.example/stream"))
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): add(font)}),
        NameObject("/XObject"): DictionaryObject({NameObject("/X1"): add(form)}),
        NameObject("/Evil"): add(_js("app.alert('resources')")),
    })
    page[NameObject("/Contents")] = add(_stream(f"BT /F1 12 Tf 72 720 Td ({PAGE_TEXT}) Tj ET /X1 Do".encode()))
    page[NameObject("/PresSteps")] = DictionaryObject({NameObject("/Type"): NameObject("/NavNode"),
                                                       NameObject("/NA"): add(_js("app.alert('presteps')"))})
    page[NameObject("/Metadata")] = add(_stream(b"<x:xmpmeta>Pemilik: Siti, 0812</x:xmpmeta>",
                                                Type=NameObject("/Metadata"), Subtype=NameObject("/XML")))
    page[NameObject("/Evil")] = add(_js("app.alert('custom')"))
    writer.root_object[NameObject("/OpenAction")] = _js("app.alert('open')")
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("x"), add(_js("app.alert('names')"))])})})
    writer.add_metadata({"/Author": "Siti", "/Producer": "Evil Producer"})


def _every_key(reader: PdfReader) -> set[str]:
    """Every dictionary key of every object reachable from the trailer and of every object in the cross-reference."""
    keys, seen = set(), set()
    todo = [reader.trailer] + [reader.get_object(num) for num in range(1, int(reader.trailer["/Size"]))]
    while todo:
        item = todo.pop()
        if hasattr(item, "idnum"):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            keys.update(item.keys())
            todo.extend(item.raw_get(key) for key in item)
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    return keys


def test_hidden_page_actions_metadata_and_custom_keys_are_not_kept(client, business):
    """Finding 6: only page /Annots and /AA were removed; now each page is rebuilt from /Type, /MediaBox, /CropBox,
    /Rotate, /Resources and /Contents, and what the page draws with is swept of actions, metadata and external files."""
    source = pdf_bytes(customise=_hidden_actions)
    assert _every_key(PdfReader(BytesIO(source))) >= HIDDEN_KEYS  # the upload really carries them
    assert claim(client, business, source, "halal.pdf").status_code == 302
    stored = stored_document()
    reader = PdfReader(BytesIO(stored))
    keys = _every_key(reader)
    for key in HIDDEN_KEYS:
        assert key not in keys, key
    for needle in (b"JavaScript", b"app.alert", b"xmpmeta", b"Siti", b"evil.example", b"Evil"):
        assert needle not in stored, needle
    page = reader.pages[0]
    assert set(page.keys()) <= {"/Type", "/Parent", "/MediaBox", "/CropBox", "/Rotate", "/Resources", "/Contents"}
    assert PAGE_TEXT in page.extract_text()  # what the page shows survives, fonts and form XObject too
    assert "/X1" in page["/Resources"]["/XObject"]
    assert set(reader.trailer["/Root"].keys()) == {"/Type", "/Pages"}


def test_a_rotated_page_with_a_crop_box_keeps_them(client, business):
    def rotate_and_crop(writer: PdfWriter) -> None:
        writer.pages[0].rotate(90)
        writer.pages[0].cropbox = RectangleObject([10, 10, 500, 800])

    assert claim(client, business, pdf_bytes(customise=rotate_and_crop), "halal.pdf").status_code == 302
    page = PdfReader(BytesIO(stored_document())).pages[0]
    assert page.rotation == 90 and [float(v) for v in page.cropbox] == [10, 10, 500, 800]


@pytest.mark.parametrize("viewer", ["owner", "moderator"])
def test_documents_are_served_as_downloads(client, auth, business, make_user, viewer):
    """A PDF opened in a tab of this site would run in a PDF reader there: the owner and the moderator download it."""
    claim(client, business, pdf_bytes(), "halal.pdf")
    cert = db.session.scalar(db.select(Certification))
    url = f"/my/certifications/{cert.id}/document"
    if viewer == "moderator":
        auth.logout()
        auth.login(make_user(role=Role.MODERATOR, region=business.region_code).email)
        url = f"/moderation/certifications/{cert.id}/document"
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == f"attachment; filename={cert.document}"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
