"""Photo state changes: upload (stage), attach to a product, reorder, describe, delete; each function commits.

An upload is checked and its smallest renditions made while the owner waits; the larger ones are made by a
job (`finish_photo`) from the original, kept privately in the storage until then. Until the job is done the
photo is `pending`: pages show the renditions it has, and /media answers a placeholder for the others.
"""

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.jobs import jobs
from marketplace.media.documents import document_name
from marketplace.media.models import Photo, original_name
from marketplace.media.pipeline import ImageRejected, ProcessedImage, first_renditions, process_image
from marketplace.media.storage import storage
from marketplace.models_base import utcnow

MAX_PHOTOS = 8


class PhotoLimitReached(ValueError):
    """A product already has MAX_PHOTOS photos."""


def store_renditions(processed: ProcessedImage) -> list[str]:
    """Store each rendition under its content-hashed name; returns the names this call wrote (raises StorageError).

    A name that exists is left alone and not returned: it is the same picture, maybe another product's, so
    a caller cleaning up after a failure deletes only what this call wrote."""
    files = storage()
    written = []
    try:
        for rendition in processed.renditions:
            name = processed.filename(rendition)
            if files.put(name, rendition.data):
                written.append(name)
    except BaseException:
        files.delete(written)
        raise
    return written


def stage_photo(owner: User, data: bytes, alt_text: str = "") -> Photo:
    """Check an upload for owner and store its first renditions, not yet attached; the rest is queued.

    Raises ImageRejected for a file that is not a usable photo, StorageError when it cannot be stored."""
    first, widths = first_renditions(data, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    later = len(widths) > 1
    written = store_renditions(first)
    try:
        if later and storage().put(original_name(first.content_hash), data):
            written.append(original_name(first.content_hash))
        photo = Photo(
            owner_id=owner.id, content_hash=first.content_hash, width=first.width, height=first.height,
            rendition_widths=[widths[0]], pending=later, alt_text=alt_text.strip()[:200],
        )
        db.session.add(photo)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage().delete(written)
        raise
    if later:
        jobs().render_photo(photo.id)
    return photo


def finish_photo(photo_id: int) -> None:
    """The job: make the photo's remaining renditions from its original, then forget the original."""
    photo = db.session.get(Photo, photo_id)
    if photo is None or not photo.pending:  # deleted meanwhile, or done by an earlier try
        return
    name = original_name(photo.content_hash)
    try:
        data = storage().get(name)
    except FileNotFoundError:
        photo.pending = False  # nothing to make the rest from: the photo keeps the renditions it has
        db.session.commit()
        return
    try:
        processed = process_image(data, max_bytes=len(data))
    except ImageRejected:  # it passed the same checks at upload: only a changed pipeline gets here
        current_app.logger.exception("photo %s: the original no longer decodes", photo_id)
        photo.pending = False
        db.session.commit()
        return
    written = store_renditions(processed)
    db.session.expire_all()
    photo = db.session.get(Photo, photo_id)
    if photo is None:  # deleted while its renditions were being made: take back what no other photo uses
        if not db.session.scalar(db.select(Photo.id).where(Photo.content_hash == processed.content_hash).limit(1)):
            storage().delete([*written, name])
        return
    photo.rendition_widths = sorted({r.width for r in processed.renditions})
    photo.width, photo.height, photo.pending = processed.width, processed.height, False
    db.session.commit()
    still_needed = db.select(Photo.id).where(Photo.content_hash == photo.content_hash, Photo.pending).limit(1)
    if db.session.scalar(still_needed) is None:
        storage().delete([name])


def staged_photos(owner: User, photo_ids: Iterable[int]) -> list[Photo]:
    """owner's own unattached uploads among photo_ids (ids of anyone else's photos are ignored)."""
    ids = [int(i) for i in photo_ids]
    if not ids:
        return []
    stmt = db.select(Photo).where(Photo.id.in_(ids), Photo.owner_id == owner.id, Photo.product_id.is_(None))
    return sorted(db.session.scalars(stmt), key=lambda p: ids.index(p.id))


def attach_photos(product, photos: list[Photo]) -> None:
    """Append staged photos to product, up to MAX_PHOTOS; they await approval with the product."""
    room = MAX_PHOTOS - len(product.photos)
    if len(photos) > room:
        raise PhotoLimitReached(MAX_PHOTOS)
    for photo in photos:
        photo.approved = False
        product.photos.append(photo)
    for position, photo in enumerate(product.photos):
        photo.position = position
    db.session.commit()


def _renumber(photos: list[Photo]) -> None:
    for position, photo in enumerate(sorted(photos, key=lambda p: p.position)):
        photo.position = position


def reorder_photos(product, ordered_ids: list[int]) -> None:
    """Put photos in the given order (ids not of this product are ignored); the first is the cover."""
    by_id = {photo.id: photo for photo in product.photos}
    ordered = [by_id[i] for i in ordered_ids if i in by_id]
    ordered += [photo for photo in product.photos if photo not in ordered]
    for position, photo in enumerate(ordered):
        photo.position = position
    db.session.commit()


def set_alt_texts(product, alt_texts: dict[int, str]) -> None:
    for photo in product.photos:
        if photo.id in alt_texts:
            photo.alt_text = alt_texts[photo.id].strip()[:200]
    db.session.commit()


def files_of(photos: list[Photo]) -> set[str]:
    """The files of photos that no other photo row uses (identical uploads share content-hashed files): what
    may be deleted once these rows are gone."""
    names = {name for photo in photos for name in photo.filenames}
    ids = {photo.id for photo in photos}
    hashes = {photo.content_hash for photo in photos}
    others = db.session.scalars(db.select(Photo).where(Photo.content_hash.in_(hashes), Photo.id.not_in(ids)))
    return names - {name for other in others for name in other.filenames}


def delete_photos(photos: list[Photo]) -> None:
    """Delete photo rows, then their files once nothing refers to them."""
    if not photos:
        return
    names = files_of(photos)
    products = {photo.product for photo in photos if photo.product is not None}
    for photo in photos:
        if photo.product is not None:
            photo.product.photos.remove(photo)
        db.session.delete(photo)
    for product in products:
        _renumber(product.photos)
    db.session.commit()
    storage().delete(names)


def prune_orphan_files(older_than: timedelta) -> int:
    """Delete stored files that nothing refers to once they are older than this: what an upload leaves when its
    process dies after writing the files and before committing the row. Returns how many were deleted."""
    from marketplace.businesses.models import Business
    from marketplace.certifications.models import Certification
    from marketplace.showcases.models import Showcase

    cutoff = utcnow() - older_than
    hashes = set(db.session.scalars(db.select(Photo.content_hash).distinct()))
    for column in (Business.logo, Showcase.cover):  # '<hash>-<width>'
        hashes |= {value.split("-", 1)[0] for value in db.session.scalars(db.select(column).where(column.is_not(None)))}
    documents = {document_name(name) for name in db.session.scalars(db.select(Certification.document))}
    orphans = []
    for name, written in storage().entries():
        if written >= cutoff:  # an upload may be between its files and its row right now
            continue
        if name.startswith("documents/"):
            if name not in documents:
                orphans.append(name)
        elif name.rsplit("/", 1)[-1].split("-", 1)[0].split(".", 1)[0] not in hashes:
            orphans.append(name)
    storage().delete(orphans)
    return len(orphans)


def prune_staged(older_than: timedelta) -> int:
    """Delete uploads never attached to a product (a form abandoned half-way) once they are older than this."""
    cutoff = utcnow() - older_than
    stale = list(db.session.scalars(db.select(Photo).where(Photo.product_id.is_(None), Photo.created_at < cutoff)))
    delete_photos(stale)
    return len(stale)
