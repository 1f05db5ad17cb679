"""Where uploaded files live: a folder on this machine (the default, here) or an S3-compatible bucket (s3.py), both
behind one interface (backend.py); `storage()` is the current app's.

Writes are atomic in both: a reader never sees half a file, and a process killed while writing (even by
SIGKILL) leaves nothing behind under any name (docs/ARCHITECTURE.md, "Storage").
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, current_app, send_file

from marketplace.media.backend import NO_SPACE, Storage, StorageError, StorageFull, check_name, content_type
from marketplace.media.s3 import S3Storage

__all__ = ["FilesystemStorage", "S3Storage", "Storage", "StorageError", "StorageFull", "check_name", "init_app",
           "storage", "storage_from_config"]


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

    def send(self, name: str, *, cache_control: str, download_name: str | None = None) -> Response:
        response = send_file(self.path(name), mimetype=content_type(name), conditional=True, etag=True,
                             as_attachment=bool(download_name), download_name=download_name)
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
