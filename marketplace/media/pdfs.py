"""Rewriting an uploaded PDF page by page (media/documents.py): imported when a PDF is uploaded, so that pypdf is
not in the memory of every gunicorn worker (docs/PERFORMANCE.md, memory)."""

from io import BytesIO

from flask_babel import lazy_gettext as _l
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    RectangleObject,
    StreamObject,
)

from marketplace.media.pipeline import ImageRejected

MAX_PAGES = 30
# what a page may draw with; its other resource keys are dropped
RESOURCE_KEYS = ("/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font", "/ProcSet", "/Properties")
# keys dropped wherever they appear in what is copied: actions and scripts, links, attachments, metadata
DROPPED_KEYS = {"/A", "/AA", "/JS", "/JavaScript", "/OpenAction", "/URI", "/Names", "/EmbeddedFiles", "/AcroForm",
                "/Annots", "/Metadata", "/PieceInfo", "/Ref", "/OPI"}
STREAM_FILE_KEYS = {"/F", "/FFilter", "/FDecodeParms"}  # a stream whose data would come from another file



def clean_pdf(data: bytes) -> bytes:
    """Copy only what the pages draw into a new PDF: no scripts, forms, attachments, links or metadata survive."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ImageRejected("encrypted", _l("This PDF is password-protected. Please send it without a password."))
        if not 0 < len(reader.pages) <= MAX_PAGES:
            raise ImageRejected("pages", _l("A document may have 1 to %(n)d pages.", n=MAX_PAGES))
        writer = PdfWriter()
        writer.metadata = None  # no /Info; a new catalog has only /Pages: no /OpenAction, /Names, /AcroForm, /Outlines
        for source in reader.pages:
            page = _bare_page(source)
            _strip_keys(page)
            writer.add_page(page)
        buffer = BytesIO()
        writer.write(buffer)
    except ImageRejected:
        raise
    except Exception:  # pypdf on hostile input raises more than PyPdfError: AttributeError was seen
        raise ImageRejected("corrupt", _l("This document is damaged or did not upload completely. Please try again.")) from None
    return buffer.getvalue()


def _bare_page(source: PageObject) -> PageObject:
    """A new page with only the allowed keys of source (an allow-list: whatever else a page carries, /AA, /PresSteps,
    /Metadata, /Annots or a key no reader knows yet, is left behind). add_page copies the values into the writer;
    streams are copied as they are, never inflated."""
    page = PageObject()
    page[NameObject("/Type")] = NameObject("/Page")
    page[NameObject("/MediaBox")] = RectangleObject(source.mediabox)  # inherited values are read through the tree
    if "/CropBox" in source:
        page[NameObject("/CropBox")] = RectangleObject(source.cropbox)
    if source.rotation % 360:
        page[NameObject("/Rotate")] = NumberObject(source.rotation % 360)
    resources = source.get("/Resources")
    if isinstance(resources, DictionaryObject):
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject(key): resources.raw_get(key) for key in RESOURCE_KEYS if key in resources})
    if "/Contents" in source:
        page[NameObject("/Contents")] = source.raw_get("/Contents")
    return page


def _strip_keys(page: PageObject) -> None:
    """Take out of everything the page draws with (fonts, images, form XObjects, copied whole) the keys that start
    actions or scripts, link to other files or carry metadata, and any reference back to a page, the page tree or
    the catalog (through which a hostile file could bring along what the allow-list left behind). This changes the
    parsed source before anything is copied, so nothing dropped is copied; only dictionary keys are read, no stream
    is decoded."""
    seen, todo = set(), [page]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            dropped = DROPPED_KEYS | (STREAM_FILE_KEYS if isinstance(item, StreamObject) else set())
            for key in list(item):
                if key in dropped or _is_document_node(item.raw_get(key)):
                    del item[key]
                else:
                    todo.append(item.raw_get(key))
        elif isinstance(item, ArrayObject):
            for index, value in enumerate(item):
                if _is_document_node(value):
                    item[index] = NullObject()
                else:
                    todo.append(value)


def _is_document_node(value) -> bool:
    target = value.get_object() if isinstance(value, IndirectObject) else value
    return isinstance(target, DictionaryObject) and target.get("/Type") in ("/Page", "/Pages", "/Catalog")
