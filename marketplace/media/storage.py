"""Where uploaded files live: one interface, a folder on this machine (the default) or an S3-compatible bucket.

Names are relative paths of one or two plain parts: `<hash>-800.webp` for public photo renditions and
`documents/<hash>.pdf` for private certificate documents. Names are content-hashed, so a name that exists
already holds the same bytes: `put` never overwrites, and reports whether it wrote, so that a caller cleaning
up after a failure deletes only what it wrote itself.

Writes are atomic in both: a reader never sees half a file, and a process killed while writing (even by
SIGKILL) leaves nothing behind under any name (docs/ARCHITECTURE.md, "Storage").
"""

from __future__ import annotations

import errno
import logging
import mimetypes
import os
import secrets
import shutil
import stat
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from flask import Flask, Response, current_app, request, send_file
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


class StorageError(Exception):
    """The storage could not do what was asked (unreachable, refused); the upload should be tried again later.

    .message is for the person uploading, like ImageRejected's; the details go to the log."""

    message = _l("Files cannot be stored right now. Nothing you typed is lost: please try again in a few minutes.")

    def __init__(self, detail: str):
        super().__init__(detail)
        log.error("storage: %s", detail)


class StorageFull(StorageError):
    """No space left where uploads are kept."""

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

    def send(self, name: str, *, cache_control: str) -> Response:
        """A response with the file for the current request (conditional GETs answered with 304)."""
        response = Response(self.get(name), mimetype=content_type(name))
        response.set_etag(name.rsplit("/", 1)[-1])  # content-hashed: the name is the version
        response.headers["Cache-Control"] = cache_control
        return response.make_conditional(request)


class FilesystemStorage(Storage):
    """Files in a folder (UPLOAD_DIR)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, name: str) -> Path:
        return self.root.joinpath(*check_name(name).parts)

    def put(self, name: str, data: bytes) -> bool:
        target = self.path(name)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                return False
            return _write_new(target, data)
        except OSError as error:
            if error.errno in NO_SPACE:
                raise StorageFull(f"no space left in {self.root}") from error
            raise StorageError(f"cannot write {target}: {error}") from error

    def get(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def delete(self, names: Iterable[str]) -> None:
        paths = [self.path(name) for name in names]
        for path in paths:
            path.unlink(missing_ok=True)

    def entries(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root).as_posix()
            if path.is_symlink() or not path.is_file():
                continue
            try:
                check_name(relative)
                written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except ValueError:  # a temporary of the fallback writer, or something put there by hand
                continue
            except FileNotFoundError:  # deleted since the walk saw it
                continue
            yield relative, written

    def replace_all(self, folder: Path) -> None:
        """Two renames when folder is on the same file system as the root, else file by file."""
        root = self.root.resolve()  # a symlinked UPLOAD_DIR: replace the real folder
        if root.is_dir():
            os.chmod(folder, stat.S_IMODE(root.stat().st_mode))
        old = root.with_name(f".{root.name}.old-{secrets.token_hex(4)}")
        try:
            if root.exists():
                root.rename(old)
            try:
                folder.rename(root)
            except OSError:
                if old.exists():
                    old.rename(root)
                raise
        except OSError:
            # root is a mount point, or folder is on another file system: empty root, then move the files in
            root.mkdir(parents=True, exist_ok=True)
            for child in list(root.iterdir()):
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
            for child in list(folder.iterdir()):
                shutil.move(child, root / child.name)
            return
        shutil.rmtree(old, ignore_errors=True)

    def describe(self) -> str:
        return f"folder {self.root}"

    def send(self, name: str, *, cache_control: str) -> Response:
        response = send_file(self.path(name), mimetype=content_type(name), conditional=True, etag=True)
        response.headers["Cache-Control"] = cache_control
        return response


def _write_new(target: Path, data: bytes) -> bool:
    """Write a new file atomically; False if target appeared meanwhile.

    On Linux the bytes go into an unnamed file (O_TMPFILE) that gets its name only when complete and synced:
    a process killed half-way leaves nothing at all, not even a temporary. Elsewhere a hidden temporary is
    renamed into place, and a kill can leave that temporary (never a half file under a real name)."""
    if not hasattr(os, "O_TMPFILE"):
        return _write_via_rename(target, data)
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fd = os.open(".", os.O_TMPFILE | os.O_WRONLY, 0o644, dir_fd=folder)
        except OSError as error:
            if error.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):  # a file system without O_TMPFILE
                return _write_via_rename(target, data)
            raise
        try:
            _write_all(fd, data)
            try:
                # linkat(AT_SYMLINK_FOLLOW) gives the unnamed file its name; it never replaces an existing one
                os.link(f"/proc/self/fd/{fd}", target.name, dst_dir_fd=folder, follow_symlinks=True)
            except FileExistsError:
                return False
        finally:
            os.close(fd)
        os.fsync(folder)
    finally:
        os.close(folder)
    return True


def _write_via_rename(target: Path, data: bytes) -> bool:
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # never through someone else's link
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        if target.exists():
            return False
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(target.parent)
    return True


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    # durable before it has a name: an empty file under a content-hashed name would be "already there" forever
    os.fsync(fd)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class S3Storage(Storage):
    """Objects in an S3-compatible bucket (AWS, MinIO, Ceph, Garage...), under an optional key prefix.

    Objects stay private; the app serves them (photos with a year's caching, documents after its own checks).
    Credentials come from boto3's usual places: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment,
    or the machine's role."""

    def __init__(self, bucket: str, *, prefix: str = "", endpoint_url: str | None = None, region: str | None = None):
        import boto3
        from botocore.config import Config as BotoConfig

        self.bucket, self.prefix, self.endpoint_url = bucket, prefix.strip("/") + "/" if prefix.strip("/") else "", endpoint_url
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            config=BotoConfig(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                              s3={"addressing_style": "path"} if endpoint_url else None),
        )

    def key(self, name: str) -> str:
        return self.prefix + check_name(name).as_posix()

    def put(self, name: str, data: bytes) -> bool:
        key = self.key(name)
        try:
            if self._head(key):
                return False
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type(name))
        except self._errors() as error:
            raise StorageError(f"cannot store s3://{self.bucket}/{key}: {error}") from error
        return True

    def get(self, name: str) -> bytes:
        key = self.key(name)
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(name) from None

    def exists(self, name: str) -> bool:
        return self._head(self.key(name))

    def _head(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, names: Iterable[str]) -> None:
        keys = [self.key(name) for name in names]
        self._delete_keys(keys)

    def _delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # the most one DeleteObjects call takes
            batch = [{"Key": key} for key in keys[start:start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    def entries(self) -> Iterator[tuple[str, datetime]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        found = []
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                try:
                    check_name(name)
                except ValueError:
                    continue
                found.append((name, item["LastModified"]))
        yield from sorted(found)

    def replace_all(self, folder: Path) -> None:
        """Upload every file of folder (overwriting), then delete the objects it does not have."""
        wanted = set()
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                wanted.add(name)
                self.client.put_object(Bucket=self.bucket, Key=self.key(name), Body=path.read_bytes(),
                                       ContentType=content_type(name))
        self._delete_keys([self.key(name) for name in self.names() if name not in wanted])

    def describe(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"bucket s3://{self.bucket}/{self.prefix}{where}"

    def probe(self) -> None:
        """Raise StorageError unless the bucket answers."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._errors() as error:
            raise StorageError(f"{self.describe()} does not answer: {error}") from error

    @staticmethod
    def _errors() -> tuple[type[Exception], ...]:
        from botocore.exceptions import BotoCoreError, ClientError

        return (BotoCoreError, ClientError)


def storage_from_config(config) -> Storage:
    """The storage the settings ask for: STORAGE=filesystem (UPLOAD_DIR) or STORAGE=s3 (S3_BUCKET, ...)."""
    kind = (config.get("STORAGE") or "filesystem").lower()
    if kind == "filesystem":
        return FilesystemStorage(config["UPLOAD_DIR"])
    if kind == "s3":
        if not config.get("S3_BUCKET"):
            raise RuntimeError("STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a store other than AWS).")
        return S3Storage(config["S3_BUCKET"], prefix=config.get("S3_PREFIX") or "",
                         endpoint_url=config.get("S3_ENDPOINT_URL"), region=config.get("S3_REGION"))
    raise RuntimeError(f"STORAGE must be 'filesystem' or 's3', not {kind!r}.")


def init_app(app: Flask) -> None:
    app.extensions["storage"] = storage_from_config(app.config)


def storage() -> Storage:
    """The current app's storage."""
    return current_app.extensions["storage"]
