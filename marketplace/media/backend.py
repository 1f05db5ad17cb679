"""The interface every storage of uploaded files implements (storage.py: the folder; s3.py: a bucket), its names
and its refusals.

Names are relative paths of one or two plain parts: `<hash>-800.webp` for public photo renditions and
`documents/<hash>.pdf` for private certificate documents. Names are content-hashed, so a name that exists
already holds the same bytes: `put` never overwrites, and reports whether it wrote, so that a caller cleaning
up after a failure deletes only what it wrote itself.
"""

from __future__ import annotations

import errno
import logging
import mimetypes
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path, PurePosixPath

from flask import Response, request
from flask_babel import lazy_gettext as _l

from marketplace.domain import DomainError

log = logging.getLogger(__name__)

NO_SPACE = (errno.ENOSPC, errno.EDQUOT)  # what a full disk (or quota) answers a write


class StorageError(DomainError):
    """The storage could not do what was asked (unreachable, refused); the upload should be tried again later.

    .message is for the person uploading, like ImageRejected's; str(error) is the detail, for the log and
    check-config."""

    status = 503
    message = _l("Files cannot be stored right now. Nothing you typed is lost: please try again in a few minutes.")

    def __init__(self, detail: str):
        super().__init__()
        self.args = (detail,)
        log.error("storage: %s", detail)


class StorageFull(StorageError):
    """No space left where uploads are kept."""

    status = 507
    message = _l("The server has no room left for files right now. Nothing you typed is lost: please try again later.")


def check_name(name: str) -> PurePosixPath:
    """The name as a path of one or two plain parts; anything that could leave the storage is refused."""
    path = PurePosixPath(name)
    if (not name or name != path.as_posix() or path.is_absolute() or not 0 < len(path.parts) <= 2
            or any(part in (".", "..") or part.startswith(".") or "\\" in part or "\x00" in part for part in path.parts)):
        raise ValueError(f"refusing file name {name!r}: not a plain name inside the storage")
    return path


def content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class Storage(ABC):
    """Uploaded files by name."""

    @abstractmethod
    def put(self, name: str, data: bytes) -> bool:
        """Store data under name unless the name exists; True if this call wrote it. Raises StorageError."""

    @abstractmethod
    def get(self, name: str) -> bytes:
        """The file's bytes; FileNotFoundError if there is none."""

    @abstractmethod
    def exists(self, name: str) -> bool: ...

    @abstractmethod
    def delete(self, names: Iterable[str]) -> None:
        """Delete these files; missing ones are fine. All names are checked before anything is deleted."""

    @abstractmethod
    def entries(self) -> Iterator[tuple[str, datetime]]:
        """Every stored name, sorted, with when it was written (UTC)."""

    def names(self) -> Iterator[str]:
        """Every stored name, sorted."""
        return (name for name, _written in self.entries())

    @abstractmethod
    def replace_all(self, folder: Path) -> None:
        """Make the storage hold exactly the files under folder (a restore); folder may be consumed."""

    @abstractmethod
    def describe(self) -> str:
        """Where the files are, for people (check-config, restore)."""

    def send(self, name: str, *, cache_control: str, download_name: str | None = None) -> Response:
        """A response with the file for the current request (conditional GETs answered with 304); with download_name,
        as an attachment of that name (`Content-Disposition: attachment`)."""
        response = Response(self.get(name), mimetype=content_type(name))
        response.set_etag(name.rsplit("/", 1)[-1])  # content-hashed: the name is the version
        response.headers["Cache-Control"] = cache_control
        if download_name:
            response.headers.set("Content-Disposition", "attachment", filename=download_name)
        return response.make_conditional(request)
