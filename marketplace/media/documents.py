"""Certificate documents: a PDF rewritten page by page, or a photo re-encoded; never stored as uploaded."""

import hashlib
from io import BytesIO

from flask_babel import lazy_gettext as _l
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from marketplace.media.pipeline import ImageRejected, process_image
from marketplace.media.storage import storage

MAX_PAGES = 30


def process_document(data: bytes, *, max_bytes: int) -> tuple[str, bytes]:
    """(file name, clean bytes) for a PDF or an image; raises ImageRejected with a user message."""
    if data[:5] == b"%PDF-":
        if len(data) > max_bytes:
            raise ImageRejected("too_large", _l("This file is larger than %(mb)s MB. Please send a smaller one.",
                                                mb=f"{max_bytes / 1024 / 1024:g}"))
        clean = _clean_pdf(data)
        return f"{hashlib.sha256(data).hexdigest()[:32]}.pdf", clean
    processed = process_image(data, max_bytes=max_bytes)
    largest = max((r for r in processed.renditions if r.format == "jpeg"), key=lambda r: r.width)
    return f"{processed.content_hash}.jpg", largest.data


def _clean_pdf(data: bytes) -> bytes:
    """Copy only the pages' content into a new PDF: no scripts, forms, attachments, links or metadata survive."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ImageRejected("encrypted", _l("This PDF is password-protected. Please send it without a password."))
        if not 0 < len(reader.pages) <= MAX_PAGES:
            raise ImageRejected("pages", _l("A document may have 1 to %(n)d pages.", n=MAX_PAGES))
        writer = PdfWriter()
        for page in reader.pages:
            for key in ("/Annots", "/AA"):
                if key in page:
                    del page[NameObject(key)]
            writer.add_page(page)
        buffer = BytesIO()
        writer.write(buffer)
    except ImageRejected:
        raise
    except Exception:  # pypdf on hostile input raises more than PyPdfError: AttributeError was seen
        raise ImageRejected("corrupt", _l("This document is damaged or did not upload completely. Please try again.")) from None
    return buffer.getvalue()


def document_name(name: str) -> str:
    """A certificate document's name in the storage: apart from the photos, and never served as one."""
    return f"documents/{name}"


def store_document(name: str, data: bytes) -> bool:
    """Store the cleaned document (content-hashed names: an existing file is the same document)."""
    return storage().put(document_name(name), data)


def send_document(name: str):
    """The document for a viewer the caller has checked; never cached, 404 if its file is gone."""
    from flask import abort

    try:
        return storage().send(document_name(name), cache_control="private, no-store")
    except FileNotFoundError:
        abort(404)
