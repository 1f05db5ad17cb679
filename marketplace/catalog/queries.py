"""Read-side selects for categories."""

from sqlalchemy.orm import selectinload

from marketplace.catalog.models import Category
from marketplace.extensions import db


def top_categories() -> list[Category]:
    """Top-level categories with their children loaded in one extra query."""
    stmt = (
        db.select(Category)
        .where(Category.parent_id.is_(None))
        .options(selectinload(Category.children))
        .order_by(Category.position, Category.slug)
    )
    return list(db.session.scalars(stmt))
