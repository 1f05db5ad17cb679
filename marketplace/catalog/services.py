"""Category state changes, shared by the CLI and the admin views."""

from marketplace.catalog.models import Category
from marketplace.catalog.reference import CATEGORIES
from marketplace.extensions import db


def load_reference_categories() -> int:
    """Insert or rename the shipped category tree (keyed by slug); returns how many were added."""
    existing = {c.slug: c for c in db.session.scalars(db.select(Category))}
    added = 0

    def upsert(rows, parent):
        nonlocal added
        for position, (slug, name_id, name_en, children) in enumerate(rows):
            category = existing.get(slug)
            if category is None:
                category = Category(slug=slug)
                db.session.add(category)
                added += 1
            category.name_id, category.name_en, category.parent, category.position = name_id, name_en, parent, position
            upsert(children, category)

    upsert(CATEGORIES, None)
    db.session.commit()
    return added
