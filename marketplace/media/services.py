"""Photo state changes: upload (stage), attach to a product, reorder, describe, delete; each function commits."""

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.media.pipeline import delete_files, process_image, store_renditions
from marketplace.models_base import utcnow

MAX_PHOTOS = 8


class PhotoLimitReached(ValueError):
    """A product already has MAX_PHOTOS photos."""


def stage_photo(owner: User, data: bytes, alt_text: str = "") -> Photo:
    """Decode, re-encode and store an upload for owner, not yet attached (raises ImageRejected)."""
    processed = process_image(data, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    store_renditions(processed, current_app.config["UPLOAD_DIR"])
    photo = Photo(
        owner_id=owner.id, content_hash=processed.content_hash, width=processed.width, height=processed.height,
        rendition_widths=sorted({r.width for r in processed.renditions}), alt_text=alt_text.strip()[:200],
    )
    db.session.add(photo)
    db.session.commit()
    return photo


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
    delete_files may remove once these rows are gone."""
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
    delete_files(names, current_app.config["UPLOAD_DIR"])


def prune_staged(older_than: timedelta) -> int:
    """Delete uploads never attached to a product (a form abandoned half-way) once they are older than this."""
    cutoff = utcnow() - older_than
    stale = list(db.session.scalars(db.select(Photo).where(Photo.product_id.is_(None), Photo.created_at < cutoff)))
    delete_photos(stale)
    return len(stale)
