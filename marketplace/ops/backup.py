"""Backups of the whole site: `create_backup` writes the database and the uploads' storage into one archive,
`restore_backup` checks an archive completely and then puts both back. The CLI only calls these."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import inspect

from marketplace.extensions import db
from marketplace.media.storage import FilesystemStorage
from marketplace.ops import archive, databases
from marketplace.ops.archive import DATABASE_FILES, BackupError, Manifest

__all__ = ["BackupError", "Manifest", "check_archive", "create_backup", "restore_backup"]


def create_backup(app: Flask, output: str | Path | None = None) -> Path:
    """Write the database and every stored upload into a new archive and return its path. output is a file
    name, or a folder for `backup-<UTC time>.tar.gz`; by default the folder is instance/backups/."""
    target = _target(app, output)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name not in DATABASE_FILES:
            raise BackupError(f"backups support SQLite and PostgreSQL, not {engine.dialect.name}")
        # The dump is written next to the archive: /tmp may be a small tmpfs.
        with tempfile.TemporaryDirectory(prefix=".etalase-backup-", dir=target.parent) as work:
            dump_file = Path(work) / DATABASE_FILES[engine.dialect.name]
            # Database first, files second: every file the dump refers to already exists when the files are read.
            revision = databases.dump(engine, dump_file)
            archive.write_archive(target, dialect=engine.dialect.name, revision=revision, database_file=dump_file,
                                  files=app.extensions["storage"])
    return target


def _target(app: Flask, output: str | Path | None) -> Path:
    name = None
    if output is None:
        folder = Path(app.instance_path) / "backups"
    elif Path(output).is_dir():
        folder = Path(output)
    else:
        folder, name = Path(output).parent, Path(output).name
    if folder.resolve().is_relative_to(Path(app.config["UPLOAD_DIR"]).resolve()):
        raise BackupError("write the archive outside UPLOAD_DIR: it would contain itself, and be served with the photos")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / (name or f"backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz")
    if target.exists():
        raise BackupError(f"{target} already exists")
    return target


def check_archive(app: Flask, path: str | Path) -> Manifest:
    """The archive's manifest, if the archive is ours and holds a database of the kind app uses."""
    manifest = archive.read_manifest(Path(path))
    with app.app_context():
        dialect = db.engine.dialect.name
    if manifest.dialect != dialect:
        raise BackupError(f"the archive holds a {manifest.dialect} database but this site uses {dialect}")
    return manifest


def restore_backup(app: Flask, path: str | Path) -> None:
    """Replace the database and the stored uploads with the archive's. Nothing changes unless every file
    of the archive is safe and matches the manifest. Stop the app first: its connections would hold locks."""
    path = Path(path)
    check_archive(app, path)
    files = app.extensions["storage"]
    work = _work_dir(files.root.resolve().parent if isinstance(files, FilesystemStorage) else None)
    try:
        staged = work / "uploads"
        staged.mkdir()
        dump_file = work / "database"
        archive.extract(path, dump_file, staged)
        _release_connections(app)
        with app.app_context():
            try:
                databases.load(db.engine, dump_file)
                _forget_cached_counts()
            finally:
                db.session.remove()
                db.engine.dispose()
        files.replace_all(staged)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _work_dir(near: Path | None) -> Path:
    """A private scratch folder, beside UPLOAD_DIR when possible so that the swap is a rename."""
    if near is None:
        return Path(tempfile.mkdtemp(prefix="etalase-restore-"))
    try:
        near.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".etalase-restore-", dir=near))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="etalase-restore-"))


def _release_connections(app: Flask) -> None:
    """Close every pooled connection; also end the caller's session, whose open transaction would hold locks."""
    if has_app_context() and current_app._get_current_object() is app:
        db.session.remove()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _forget_cached_counts() -> None:
    """The restored catalogue generation may equal one that cached counts were computed for: move it on."""
    from marketplace.catalog.visibility import bump_generation

    if inspect(db.engine).has_table("catalogue_state"):  # an archive from before that migration has none
        bump_generation(db.session)
        # the restore runs with the app stopped and replaces the database under any unit of work: it commits alone
        db.session.commit()
