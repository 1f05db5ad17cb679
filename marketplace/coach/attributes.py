"""Which attributes a category expects: the one place the coach asks, so it can follow catalog's own definitions.

Today the definitions live with the product form (catalog/forms.py: ATTRIBUTE_GROUPS, GROUP_OF_TOP_CATEGORY), which
the coach's services may not import (services import no forms); they are mirrored here and a test
(tests/test_coach_quality.py) fails the day they drift apart. When categories carry their attributes as data,
only `required_attributes` changes."""

ATTRIBUTES_OF_TOP_CATEGORY = {
    "batik": ("technique", "motif", "fabric", "dye", "size"),
    "makanan-olahan": ("net_weight", "shelf_life", "pirt"),
    "minuman": ("net_weight", "shelf_life", "pirt"),
    "hasil-pertanian": ("grade", "supply_capacity"),
    "hasil-peternakan": ("grade", "supply_capacity"),
    "hasil-perikanan": ("grade", "supply_capacity"),
}
# Top categories whose products buyers expect a food permit for: a verified halal or P-IRT certificate.
FOOD_TOP_CATEGORIES = frozenset({"makanan-olahan", "minuman"})


def required_attributes(top_category_slug: str) -> tuple[str, ...]:
    """The attribute names a product of a category under this top category should have filled in."""
    return ATTRIBUTES_OF_TOP_CATEGORY.get(top_category_slug, ())


def expects_food_certificate(top_category_slug: str) -> bool:
    """Whether buyers of this top category look for a halal or P-IRT badge."""
    return top_category_slug in FOOD_TOP_CATEGORIES
