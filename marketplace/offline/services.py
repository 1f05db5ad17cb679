"""Idempotency of queued submissions. A key is claimed in the same transaction as what it makes: the database's
UNIQUE (owner_id, key) lets exactly one of two replays (concurrent or not) claim it; the other finds the first
one's row once that has committed and answers with what it made.

The claim is `INSERT ... ON CONFLICT DO NOTHING RETURNING id` (PostgreSQL and SQLite both have it): a lost claim
neither raises nor spoils the transaction, and on PostgreSQL it waits for a concurrent claimer's commit, after which
the row is there to read (READ COMMITTED)."""

import uuid

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.media.services import stage_photo
from marketplace.models_base import utcnow
from marketplace.offline.models import SubmissionKey


def parse_key(value: str | None) -> str | None:
    """The canonical form of a client UUID, or None for anything else (an absent or malformed key is no key)."""
    try:
        return str(uuid.UUID((value or "").strip()))
    except ValueError:
        return None


def earlier(owner, key: str) -> SubmissionKey | None:
    """The row of a key owner already used, or None."""
    return db.session.scalar(db.select(SubmissionKey).where(SubmissionKey.owner_id == owner.id,
                                                            SubmissionKey.key == key))


def claim(owner, key: str) -> SubmissionKey | None:
    """Claim key for owner; None when another request has it (see the module's docstring)."""
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (insert(SubmissionKey).values(owner_id=owner.id, key=key, created_at=utcnow())
                 .on_conflict_do_nothing(index_elements=["owner_id", "key"]).returning(SubmissionKey.id))
    row_id = db.session.scalar(statement)
    return db.session.get(SubmissionKey, row_id) if row_id is not None else None


def made(row: SubmissionKey, *, product_id: int | None = None, photo_id: int | None = None) -> None:
    """Record what the request that claimed row made."""
    row.product_id = product_id if product_id is not None else row.product_id
    row.photo_id = photo_id if photo_id is not None else row.photo_id
    db.session.flush()


def stage_photo_once(owner, key: str, data: bytes) -> tuple[Photo, bool]:
    """Stage one uploaded photo of owner under its client key; (photo, True) when staged now, (the photo staged by
    an earlier try, False) when a retry sends it again: a retry after a lost answer never stages it twice. A photo
    refused (ImageRejected, UploadQuotaReached, StorageError: raised as stage_photo raises them) leaves the key
    free to try again."""
    row = earlier(owner, key) or claim(owner, key) or earlier(owner, key)
    if row.photo_id is not None:
        photo = db.session.get(Photo, row.photo_id)
        if photo is not None:
            return photo, False
    photo = stage_photo(owner, data)
    made(row, photo_id=photo.id)
    return photo, True
