"""Serving stored renditions: content-hashed names never change, so they are cached for a year.

A rendition its job has not made yet is answered with a placeholder picture that is never cached, so a
page, a feed or a shared link that names it shows "photo being processed", never a broken image."""

import re

from flask import Blueprint, abort, current_app

from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.media.storage import storage

bp = Blueprint("media", __name__, url_prefix="/media")

NAME = re.compile(r"(?P<hash>[0-9a-f]{32})-\d{2,4}\.(webp|jpg)")
ONE_YEAR = 365 * 24 * 3600
PLACEHOLDER = "img/photo-pending.svg"


@bp.route("/<name>")
def file(name: str):
    match = NAME.fullmatch(name)
    if not match:
        abort(404)
    try:
        return storage().send(name, cache_control=f"public, max-age={ONE_YEAR}, immutable")
    except FileNotFoundError:
        pending = db.select(Photo.id).where(Photo.content_hash == match["hash"], Photo.pending).limit(1)
        if db.session.scalar(pending) is None:
            abort(404)
    response = current_app.send_static_file(PLACEHOLDER)
    response.headers["Cache-Control"] = "no-store"
    return response
