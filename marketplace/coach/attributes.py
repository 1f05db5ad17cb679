"""Which attributes a category expects: the one place the coach asks, reading the catalogue's own definitions
(catalog/attributes/: attributes as data per category, inherited by subcategories), so an attribute an admin makes
required is coached at once."""

from marketplace.catalog.attributes.definitions import all_attributes, order_by_chain
from marketplace.catalog.attributes.models import CategoryAttribute
from marketplace.catalog.models import Category
from marketplace.extensions import db

# Top categories whose products buyers expect a food permit for: a verified halal or P-IRT certificate.
FOOD_TOP_CATEGORIES = frozenset({"makanan-olahan", "minuman"})


def required_by_category() -> dict[int, list[CategoryAttribute]]:
    """Category id -> its required attributes in use (inherited ones first), for every category at once: three
    queries (categories, attributes, their options) whatever the number of products scored."""
    parent_of = dict(db.session.execute(db.select(Category.id, Category.parent_id)).all())
    required = [attribute for attribute in all_attributes() if attribute.required]
    result = {}
    for category_id in parent_of:
        chain, current = [], category_id
        while current is not None and len(chain) < 10:
            chain.insert(0, current)
            current = parent_of.get(current)
        result[category_id] = order_by_chain(required, chain)
    return result


def expects_food_certificate(top_category_slug: str) -> bool:
    """Whether buyers of this top category look for a halal or P-IRT badge."""
    return top_category_slug in FOOD_TOP_CATEGORIES
