"""Static files under versioned URLs, so a phone keeps them for a year and still gets a new file the day it changes.

`url_for('static', filename=...)` adds `?v=<hash of the file's content>`; a request carrying the current hash is
answered with a year-long, immutable Cache-Control. Any other request for a static file (no `v`, an old one) keeps
Flask's `no-cache`, so it is checked again next time.
"""

import hashlib
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600
VERSION_LENGTH = 12  # hex digits of SHA-256: collisions between two versions of one file are not a concern


def register(app: Flask) -> None:
    versions: dict[str, tuple[int, str]] = {}  # filename -> (mtime_ns, hash); a changed file is hashed again

    def version_of(filename: str) -> str | None:
        """The current content hash of a static file, or None if there is no such file."""
        path = safe_join(str(app.static_folder), filename)
        if path is None or not Path(path).is_file():
            return None
        mtime = Path(path).stat().st_mtime_ns
        cached = versions.get(filename)
        if cached is None or cached[0] != mtime:
            cached = (mtime, hashlib.sha256(Path(path).read_bytes()).hexdigest()[:VERSION_LENGTH])
            versions[filename] = cached
        return cached[1]

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = version_of(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_versioned_static(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304) or not request.view_args:
            return response
        requested = request.args.get("v")
        if requested and requested == version_of(request.view_args["filename"]):
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        return response
