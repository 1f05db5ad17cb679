"""Reading the definitions: which attributes a category has (its ancestors' first), for the form, the product page,
the search index and the catalogue's facets alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from marketplace.catalog.attributes.models import AttributeKind, CategoryAttribute
from marketplace.catalog.attributes.values import shown
from marketplace.catalog.models import Category, Product
from marketplace.extensions import db


def chain_of(category: Category) -> list[Category]:
    """The category's ancestors from the top, then the category."""
    chain = [category]
    while chain[0].parent is not None and len(chain) < 10:
        chain.insert(0, chain[0].parent)
    return chain


def order_by_chain(attributes: Iterable[CategoryAttribute], chain_ids: list[int]) -> list[CategoryAttribute]:
    """Inherited attributes first (the top category's), then each level's own, each level by position."""
    depth = {category_id: n for n, category_id in enumerate(chain_ids)}
    return sorted((a for a in attributes if a.category_id in depth),
                  key=lambda a: (depth[a.category_id], a.position, a.id))


def attributes_of(category: Category | int | None, *, retired: bool = False) -> list[CategoryAttribute]:
    """The attributes a category's products describe, inherited ones first, options loaded (two queries)."""
    if category is None:
        return []
    if isinstance(category, int):
        category = db.session.get(Category, category)
        if category is None:
            return []
    chain_ids = [c.id for c in chain_of(category)]
    stmt = db.select(CategoryAttribute).where(CategoryAttribute.category_id.in_(chain_ids)) \
        .options(selectinload(CategoryAttribute.options))
    if not retired:
        stmt = stmt.where(CategoryAttribute.retired_at.is_(None))
    return order_by_chain(db.session.scalars(stmt), chain_ids)


def all_attributes() -> list[CategoryAttribute]:
    """Every attribute in use (not retired), with its options: what the product form offers for each category."""
    return list(db.session.scalars(
        db.select(CategoryAttribute).where(CategoryAttribute.retired_at.is_(None))
        .options(selectinload(CategoryAttribute.options)).order_by(CategoryAttribute.position, CategoryAttribute.id)))


def facet_attributes(category: Category) -> list[CategoryAttribute]:
    """The choice attributes of a category's products, the catalogue's facets within it: its own and inherited ones,
    then its subcategories' (which some of its products have). Two queries."""
    chain_ids = [c.id for c in chain_of(category)]
    below = db.select(Category.id).where(Category.parent_id == category.id)
    found = list(db.session.scalars(
        db.select(CategoryAttribute)
        .where(CategoryAttribute.kind == AttributeKind.CHOICE, CategoryAttribute.retired_at.is_(None),
               CategoryAttribute.category_id.in_(chain_ids) | CategoryAttribute.category_id.in_(below))
        .options(selectinload(CategoryAttribute.options))))
    own = order_by_chain(found, chain_ids)
    return own + sorted((a for a in found if a not in own), key=lambda a: (a.category_id, a.position, a.id))


@dataclass(frozen=True)
class Row:
    """One attribute as a page shows it."""

    code: str
    name: str
    value: str


def rows(attributes: list[CategoryAttribute], values: dict[str, str], locale: str) -> list[Row]:
    """The values given, in the definitions' order and the reader's language; values of attributes no longer in the
    category (an older category's, before a change of category) are left out, retired ones are shown."""
    return [Row(a.code, a.name(locale), shown(a, values[a.code], locale)) for a in attributes if values.get(a.code)]


def product_rows(product: Product, locale: str, values: dict[str, str] | None = None) -> list[Row]:
    """What the product page (or the moderator, with the proposed values) shows of a product's attributes."""
    return rows(attributes_of(product.category_id, retired=True), product.attributes if values is None else values, locale)


def missing_required(category: Category | int | None, values: dict[str, str]) -> list[CategoryAttribute]:
    """The category's required attributes (not retired) that values leaves empty."""
    return [a for a in attributes_of(category) if a.required and not (values.get(a.code) or "").strip()]


def required_attributes_filled(product: Product) -> bool:
    """Whether the product gives every required attribute of its category a value: of the content the owner works on
    (a published product's edit awaiting review), else of the product itself. For the review rule and the listing coach."""
    if product.revision is not None and "attributes" in product.revision.data:
        data = product.revision.data
        return not missing_required(data.get("category_id", product.category_id), data["attributes"] or {})
    return not missing_required(product.category_id, product.attributes)


def attribute_changes(before: tuple[int, dict[str, str]], after: tuple[int, dict[str, str]],
                      locale: str) -> list[tuple[str, str, str]]:
    """(attribute name, approved value, proposed value) for each attribute an edit changes, as the reader reads
    them; before and after are (category id, values)."""
    old = {a.code: a for a in attributes_of(before[0], retired=True)}
    new = {a.code: a for a in attributes_of(after[0], retired=True)}
    changes = []
    for code in dict.fromkeys([*new, *old]):
        old_value, new_value = (before[1] or {}).get(code, ""), (after[1] or {}).get(code, "")
        if code not in old:
            old_value = ""
        if code not in new:
            new_value = ""
        if old_value != new_value:
            attribute = new.get(code) or old[code]
            changes.append((attribute.name(locale), shown(old.get(code, attribute), old_value, locale) if old_value else "",
                            shown(attribute, new_value, locale) if new_value else ""))
    return changes
