"""The backup archive: one .tar.gz with the database dump, the uploads and a manifest of what is in it.

Layout: `database.sqlite3` or `database.pgdump`, `uploads/<relative path>` for every stored upload (UPLOAD_DIR or the S3 bucket), and
`manifest.json` last (format, version, dialect, Alembic revision, creation time, size and SHA-256 of every file).
An archive is untrusted on the way in: only regular files with plain relative names are accepted, every member
must be in the manifest and match its size and hash, and nothing is ever extracted by tarfile itself.
The hashes detect a damaged or altered file, not a forger who rewrites the manifest too: keep archives private
(they hold password hashes and the owners' private documents).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import tarfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from marketplace.media.storage import Storage

FORMAT = "etalase-umkm-backup"
VERSION = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class BackupError(Exception):
    """A backup that cannot be written, read or restored; the message is for the operator."""


@dataclass(frozen=True)
class FileEntry:
    """One file of the archive: its path (relative to UPLOAD_DIR for uploads), size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What an archive holds, as written in its manifest.json."""

    dialect: str
    alembic_revision: str | None
    created_at: str
    database: FileEntry
    files: tuple[FileEntry, ...]

    @property
    def uploads_size(self) -> int:
        """Bytes of all uploaded files together."""
        return sum(entry.size for entry in self.files)


class _Hashing:
    """A reader that hashes and counts what passes through it (tarfile reads members through it)."""

    def __init__(self, handle: BinaryIO):
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.handle.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def write_archive(target: Path, *, dialect: str, revision: str | None, database_file: Path, files: Storage) -> Manifest:
    """Write the archive to target (mode 0600, atomically: a partial file never carries the final name)."""
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                database = _add_database(tar, DATABASE_FILES[dialect], database_file)
                entries = tuple(_add_uploads(tar, files))
                manifest = Manifest(dialect=dialect, alembic_revision=revision, created_at=datetime.now(UTC).isoformat(),
                                    database=database, files=entries)
                _add_bytes(tar, MANIFEST, json.dumps(_manifest_json(manifest), indent=1).encode())
            raw.flush()
            os.fsync(raw.fileno())
        if target.exists():
            raise BackupError(f"{target} already exists")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _manifest_json(manifest: Manifest) -> dict:
    return {"format": FORMAT, "version": VERSION, **asdict(manifest)}


def _add_database(tar: tarfile.TarFile, name: str, source: Path) -> FileEntry:
    info = tar.gettarinfo(str(source), arcname=name)
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    with source.open("rb") as handle:
        reader = _Hashing(handle)
        tar.addfile(info, reader)
    return FileEntry(name, reader.size, reader.digest.hexdigest())


def _add_uploads(tar: tarfile.TarFile, files: Storage):
    """Add every stored file (the storage leaves out links and unfinished temporaries); yield its entry."""
    for name in files.names():
        try:
            data = files.get(name)
        except FileNotFoundError:  # deleted since the listing (a photo removed while the backup runs)
            continue
        _add_bytes(tar, f"{UPLOADS}/{name}", data)
        yield FileEntry(name, len(data), hashlib.sha256(data).hexdigest())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o644, int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- reading -----------------------------------------------------------------------------------

def read_manifest(path: Path) -> Manifest:
    """The archive's manifest, checked for shape; raises BackupError for anything that is not our archive."""
    with _open(path) as tar:
        _check_members(tar)
        return _load_manifest(tar)


def extract(path: Path, database_target: Path, uploads_target: Path) -> Manifest:
    """Check the whole archive and write its database dump to database_target and its uploads under
    uploads_target (an empty folder); raises BackupError, leaving partial output for the caller to remove."""
    with _open(path) as tar:
        members = _check_members(tar)
        manifest = _load_manifest(tar)
        expected = {manifest.database.path: (manifest.database, database_target)}
        for entry in manifest.files:
            expected[f"{UPLOADS}/{entry.path}"] = (entry, uploads_target.joinpath(*PurePosixPath(entry.path).parts))
        present = {member.name for member in members} - {MANIFEST}
        if present != expected.keys():
            odd = sorted(present ^ expected.keys())[:3]
            raise BackupError(f"{path}: the members do not match the manifest ({', '.join(odd)}): damaged or altered archive")
        for member in members:
            if member.name != MANIFEST:
                entry, target = expected[member.name]
                try:
                    _copy_checked(tar, member, entry, target)
                except (OSError, tarfile.TarError, EOFError) as error:  # e.g. a file and a folder of the same name
                    raise BackupError(f"{member.name}: cannot be extracted: {error}") from None
        return manifest


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:gz")
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"{path} is not a backup archive (.tar.gz): {error}") from None


def _check_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Every member: a regular file with a safe, unique name."""
    try:
        members = tar.getmembers()
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"the archive is damaged: {error}") from None
    seen: set[str] = set()
    for member in members:
        if not member.isreg():
            raise BackupError(f"refusing {member.name!r}: only regular files may be in a backup (no links, devices or folders)")
        if not _safe_name(member.name):
            raise BackupError(f"refusing {member.name!r}: unsafe path in the archive")
        if member.name in seen:
            raise BackupError(f"refusing {member.name!r}: it is in the archive twice")
        seen.add(member.name)
    if MANIFEST not in seen:
        raise BackupError(f"the archive has no {MANIFEST}: not an Etalase UMKM backup")
    return members


def _safe_name(name: str) -> bool:
    """A plain relative POSIX path: no absolute path, no '..', no '.', no empty part, no backslash or NUL."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _load_manifest(tar: tarfile.TarFile) -> Manifest:
    raw = tar.extractfile(MANIFEST)
    try:
        data = json.loads(raw.read(CHUNK).decode()) if raw else None
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("the manifest is unreadable or of another program: not an Etalase UMKM backup")
    if data.get("version") != VERSION:
        raise BackupError(f"unsupported backup format version {data.get('version')!r} (this code reads version {VERSION})")
    try:
        dialect = data["dialect"]
        if dialect not in DATABASE_FILES:
            raise ValueError(f"unknown database dialect {dialect!r}")
        database = _entry(data["database"])
        if database.path != DATABASE_FILES[dialect]:
            raise ValueError(f"unexpected database file {database.path!r}")
        files = tuple(_entry(item) for item in data["files"])
        revision = data["alembic_revision"]
        if revision is not None and not isinstance(revision, str):
            raise ValueError("bad alembic_revision")
        return Manifest(dialect, revision, str(data["created_at"]), database, files)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"the manifest is invalid: {error}") from None


def _entry(item: dict) -> FileEntry:
    path, size, sha256 = item["path"], item["size"], item["sha256"]
    if not isinstance(path, str) or not _safe_name(path):
        raise ValueError(f"unsafe path {path!r}")
    if not isinstance(size, int) or size < 0 or not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError(f"bad size or hash for {path!r}")
    return FileEntry(path, size, sha256)


def _copy_checked(tar: tarfile.TarFile, member: tarfile.TarInfo, entry: FileEntry, target: Path) -> None:
    """Copy one member to target, refusing it unless its size and hash are the manifest's."""
    if member.size != entry.size:
        raise BackupError(f"{member.name}: size differs from the manifest: damaged or altered archive")
    source = tar.extractfile(member)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source, open(target, "xb") as out:  # "x": never write through something already there
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != entry.sha256:
        raise BackupError(f"{member.name}: content does not match the manifest's SHA-256: damaged or altered archive")
