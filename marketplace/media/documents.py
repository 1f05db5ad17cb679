"""Certificate documents: a PDF rewritten page by page (media/pdfs.py), or a photo re-encoded; never stored as
uploaded."""

import hashlib

from flask_babel import lazy_gettext as _l

from marketplace.media.pipeline import ImageRejected, process_image
from marketplace.media.storage import storage


def process_document(data: bytes, *, max_bytes: int) -> tuple[str, bytes]:
    """(file name, clean bytes) for a PDF or an image; raises ImageRejected with a user message."""
    if data[:5] == b"%PDF-":
        if len(data) > max_bytes:
            raise ImageRejected("too_large", _l("This file is larger than %(mb)s MB. Please send a smaller one.",
                                                mb=f"{max_bytes / 1024 / 1024:g}"))
        from marketplace.media.pdfs import clean_pdf  # pypdf only when a PDF comes (docs/PERFORMANCE.md, memory)

        clean = clean_pdf(data)
        return f"{hashlib.sha256(data).hexdigest()[:32]}.pdf", clean
    processed = process_image(data, max_bytes=max_bytes)
    largest = max((r for r in processed.renditions if r.format == "jpeg"), key=lambda r: r.width)
    return f"{processed.content_hash}.jpg", largest.data


def document_name(name: str) -> str:
    """A certificate document's name in the storage: apart from the photos, and never served as one."""
    return f"documents/{name}"


def store_document(name: str, data: bytes) -> bool:
    """Store the cleaned document (content-hashed names: an existing file is the same document)."""
    return storage().put(document_name(name), data)


def send_document(name: str):
    """The document for a viewer the caller has checked, as a download (a browser does not open it in a tab of this
    site, whatever a PDF reader there would do with it); never cached, 404 if its file is gone."""
    from flask import abort

    try:
        return storage().send(document_name(name), cache_control="private, no-store", download_name=name)
    except FileNotFoundError:
        abort(404)
