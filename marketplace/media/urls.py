"""Paths of stored renditions for templates: a product card names eight of them, and building each through the
router cost a sixth of the catalogue page's time (issue 22's profile), so the prefix is built once per request."""

from flask import g, url_for


def media_url(name: str) -> str:
    """The same path as url_for('media.file', name=name), for a name the media pipeline made (hex hash, width,
    extension: nothing to quote)."""
    prefix = g.get("_media_prefix")
    if prefix is None:
        prefix = g._media_prefix = url_for("media.file", name="_")[:-1]
    return prefix + name
