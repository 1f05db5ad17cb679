"""Photo state changes: upload (stage), attach to a product, reorder, describe, delete. They flush; the unit of work
commits. Stored files follow the rows: a file written for a row that is rolled back is deleted again, and a file
whose row is deleted goes only once that deletion is committed.

An upload is checked and its smallest renditions made while the owner waits; the larger ones are made by a
job (`finish_photo`) from the original, kept privately in the storage until then. A photo that cannot be decoded
cheaply (a 12 MP HEIC, a large PNG) is checked from its header only and the job makes all its renditions. Until
the job is done the photo is `pending`: pages show the renditions it has, and /media answers a placeholder for
the others.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab

from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.jobs import job, jobs, periodic
from marketplace.media.hints import measure_smallest
from marketplace.media.models import Photo, original_name
from marketplace.media.pipeline import ImageRejected, ProcessedImage, first_renditions, process_image
from marketplace.media.references import is_referenced, referenced_keys
from marketplace.media.storage import storage
from marketplace.models_base import utcnow
from marketplace.timeutil import JAKARTA, today
from marketplace.unit_of_work import after_commit, on_rollback

MAX_PHOTOS = 8


class PhotoLimitReached(DomainError):
    """A product already has MAX_PHOTOS photos."""

    status = 422
    message = _l("A product can have at most %(n)d photos.", n=MAX_PHOTOS)


class UploadQuotaReached(DomainError):
    """The owner has as many unsaved uploads as allowed (STAGED_UPLOADS_MAX), or has uploaded as many photos today
    as allowed (UPLOADS_PER_DAY). Raised before the file is decoded or stored."""

    status = 429


def store_files(files: list[tuple[str, bytes]]) -> list[str]:
    """Store (name, bytes) pairs under their content-hashed names; returns the names this call wrote (raises
    StorageError). A name that exists is left alone and not returned: it is the same content, maybe another row's.
    What this call wrote is deleted again if the transaction rolls back, so no file outlives a row that never was."""
    written = []
    try:
        for name, data in files:
            if storage().put(name, data):
                written.append(name)
    except BaseException:
        storage().delete(written)
        raise
    on_rollback(storage().delete, written)
    return written


def store_renditions(processed: ProcessedImage) -> list[str]:
    """Store each rendition of a processed image (see store_files)."""
    return store_files([(processed.filename(rendition), rendition.data) for rendition in processed.renditions])


def delete_files(names) -> None:
    """Delete stored files once the transaction that stopped referring to them commits."""
    after_commit(storage().delete, sorted(set(names)))


def check_upload_quota(owner) -> None:
    """Refuse (UploadQuotaReached) a new upload of owner's beyond the unsaved or the daily quota (config.py)."""
    config = current_app.config
    staged = db.session.scalar(db.select(db.func.count(Photo.id)).where(
        Photo.owner_id == owner.id, Photo.product_id.is_(None)))
    if staged >= config["STAGED_UPLOADS_MAX"]:
        raise UploadQuotaReached(_l(
            "You have %(n)d photos in forms not yet saved, the most allowed. Save the product you are working on "
            "first; photos of forms never saved are removed automatically at night once they are %(hours)d hours old.",
            n=staged, hours=config["PRUNE_UPLOADS_AFTER_HOURS"]))
    midnight = datetime.combine(today(), time(), JAKARTA)  # the quota is per local day, as owners count days
    uploaded = db.session.scalar(db.select(db.func.count(Photo.id)).where(
        Photo.owner_id == owner.id, Photo.created_at >= midnight))
    if uploaded >= config["UPLOADS_PER_DAY"]:
        raise UploadQuotaReached(_l(
            "You have uploaded %(n)d photos today, the most allowed in one day. Please add more photos tomorrow.",
            n=config["UPLOADS_PER_DAY"]))


def stage_photo(owner, data: bytes, alt_text: str = "") -> Photo:
    """Check an upload for owner and store its first renditions, not yet attached; the rest is queued.

    Raises UploadQuotaReached (before looking at the file) when owner may not upload more now, ImageRejected for a
    file that is not a usable photo, StorageError when it cannot be stored."""
    check_upload_quota(owner)
    first, widths = first_renditions(data, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    # a large HEIC, PNG or WebP comes back checked from its header but without renditions: the job makes them all,
    # and until then /media answers the placeholder for the smallest one too
    later = len(widths) > 1 or not first.renditions
    files = [(first.filename(rendition), rendition.data) for rendition in first.renditions]
    store_files(files + ([(original_name(first.content_hash), data)] if later else []))
    photo = Photo(
        owner_id=owner.id, content_hash=first.content_hash, width=first.width, height=first.height,
        rendition_widths=[widths[0]], pending=later, alt_text=alt_text.strip()[:200],
    )
    if not later:  # no job will make the 320 px rendition again: its hints are measured now
        set_hints(photo, first.renditions)
    db.session.add(photo)
    db.session.flush()
    if later:
        after_commit(lambda photo_id=photo.id: jobs().render_photo(photo_id))
    return photo


@job(retries=3, retry_delay=30)
def render_photo(photo_id: int) -> None:
    """The job of an upload: make its larger renditions."""
    finish_photo(photo_id)


def finish_photo(photo_id: int) -> None:
    """The job: make the photo's remaining renditions (all of them for a photo checked from its header only) from
    its original, then forget the original."""
    photo = db.session.get(Photo, photo_id)
    if photo is None or not photo.pending:  # deleted meanwhile, or done by an earlier try
        return
    name = original_name(photo.content_hash)
    try:
        data = storage().get(name)
    except FileNotFoundError:
        _give_up(photo, "its original is gone")  # nothing to make the rest from
        return
    try:
        processed = process_image(data, max_bytes=len(data))
    except ImageRejected as error:  # a file whose header passed at upload but whose pixels do not decode
        _give_up(photo, f"the original does not decode ({error})")
        return
    written = store_renditions(processed)
    db.session.expire_all()
    photo = db.session.get(Photo, photo_id)
    if photo is None:  # deleted while its renditions were being made: take back what no other photo uses
        if not db.session.scalar(db.select(Photo.id).where(Photo.content_hash == processed.content_hash).limit(1)):
            delete_files([*written, name])
        return
    photo.rendition_widths = sorted({r.width for r in processed.renditions})
    photo.width, photo.height, photo.pending = processed.width, processed.height, False
    set_hints(photo, processed.renditions)
    db.session.flush()
    still_needed = db.select(Photo.id).where(Photo.content_hash == photo.content_hash, Photo.pending).limit(1)
    if db.session.scalar(still_needed) is None:
        delete_files([name])


def _give_up(photo: Photo, reason: str) -> None:
    """The job cannot make the photo's renditions: it keeps those it has, or, when it has none (a photo checked from
    its header only, e.g. a truncated HEIC), it is deleted, so no page names a picture that will never exist."""
    if photo.rendition_widths and storage().exists(photo.filename(photo.rendition_widths[0], "jpg")):
        current_app.logger.error("photo %s: %s; it keeps its smallest renditions", photo.id, reason)
        photo.pending = False
        return
    current_app.logger.error("photo %s: %s; it has no rendition and is deleted", photo.id, reason)
    delete_photos([photo])


def set_hints(photo: Photo, renditions) -> None:
    """Keep what the listing coach tells the owner about the photo (how dark, how sharp), measured on its smallest
    rendition; a measurement that fails leaves the hints empty and never the photo."""
    try:
        measured = measure_smallest(renditions)
    except Exception:  # the rendition was just encoded by us: only a broken Pillow gets here
        current_app.logger.exception("photo %s: could not measure its hints", photo.id)
        return
    if measured is not None:
        photo.mean_luminance, photo.sharpness = measured


def staged_photos(owner, photo_ids: Iterable[int]) -> list[Photo]:
    """owner's own unattached uploads among photo_ids (ids of anyone else's photos are ignored)."""
    ids = [int(i) for i in photo_ids]
    if not ids:
        return []
    stmt = db.select(Photo).where(Photo.id.in_(ids), Photo.owner_id == owner.id, Photo.product_id.is_(None))
    return sorted(db.session.scalars(stmt), key=lambda p: ids.index(p.id))


def attach_photos(product, photos: list[Photo]) -> None:
    """Append staged photos to product, after its own, up to MAX_PHOTOS (raises PhotoLimitReached); they await
    approval with the product."""
    if len(photos) > MAX_PHOTOS - len(product.photos):
        raise PhotoLimitReached
    _renumber(product)
    for photo in photos:
        photo.approved = False
        photo.position = len(product.photos)
        product.photos.append(photo)


def _renumber(product) -> None:
    """Positions 0, 1, 2... in the current order; the loaded list follows, so the rest of the request sees it."""
    product.photos.sort(key=lambda photo: photo.position)
    for position, photo in enumerate(product.photos):
        photo.position = position


def reorder_photos(product, ordered_ids: list[int]) -> None:
    """Put photos in the given order (ids not of this product are ignored; the others follow); the first is the
    cover."""
    by_id = {photo.id: photo for photo in product.photos}
    ordered = [by_id[i] for i in ordered_ids if i in by_id]
    ordered += [photo for photo in product.photos if photo not in ordered]
    for position, photo in enumerate(ordered):
        photo.position = position
    _renumber(product)


def set_alt_texts(product, alt_texts: dict[int, str]) -> None:
    """Describe photos for people who cannot see them (ids not of this product are ignored)."""
    for photo in product.photos:
        if photo.id in alt_texts:
            photo.alt_text = alt_texts[photo.id].strip()[:200]


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
        _renumber(product)
    db.session.flush()
    delete_files(names)


def prune_orphan_files(older_than: timedelta) -> int:
    """Delete stored files that nothing refers to once they are older than this: what an upload leaves when its
    process dies after writing the files and before committing the row. Returns how many were deleted.

    Which files rows refer to comes from every feature that keeps files (media/references.py)."""
    cutoff = utcnow() - older_than
    keys = referenced_keys()
    orphans = [name for name, written in storage().entries()
               if written < cutoff  # an upload may be between its files and its row right now
               and not is_referenced(name, keys)]
    delete_files(orphans)
    return len(orphans)


def prune_staged(older_than: timedelta) -> int:
    """Delete uploads never attached to a product (a form abandoned half-way) once they are older than this."""
    cutoff = utcnow() - older_than
    stale = list(db.session.scalars(db.select(Photo).where(Photo.product_id.is_(None), Photo.created_at < cutoff)))
    delete_photos(stale)
    return len(stale)


@periodic(crontab(minute="17", hour="3"))
def prune_uploads() -> None:
    """The nightly clean-up: abandoned uploads, then files no row refers to."""
    age = timedelta(hours=current_app.config["PRUNE_UPLOADS_AFTER_HOURS"])
    orphans = prune_orphan_files(age)  # first: the files of the abandoned uploads are not counted twice
    current_app.logger.info("pruned %d abandoned uploads and %d files without a row", prune_staged(age), orphans)
