"""Serving stored renditions: content-hashed names never change, so they are cached for a year."""

import re

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("media", __name__, url_prefix="/media")

NAME = re.compile(r"[0-9a-f]{32}-\d{2,4}\.(webp|jpg)")
ONE_YEAR = 365 * 24 * 3600


@bp.route("/<name>")
def file(name: str):
    if not NAME.fullmatch(name):
        abort(404)
    response = send_from_directory(current_app.config["UPLOAD_DIR"], name, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
