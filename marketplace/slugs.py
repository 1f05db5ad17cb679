"""URL slugs from Indonesian names (python-slugify), unique where a table needs it."""

from slugify import slugify
from sqlalchemy.orm import InstrumentedAttribute

from marketplace.extensions import db


def make_slug(text: str, max_length: int = 120) -> str:
    return slugify(text, max_length=max_length, word_boundary=True) or "item"


def unique_slug(text: str, column: InstrumentedAttribute, max_length: int = 120) -> str:
    """A slug not yet used in column: 'batik-manggur', then 'batik-manggur-2', …"""
    base = make_slug(text, max_length)
    taken = set(db.session.scalars(db.select(column).where(column.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
