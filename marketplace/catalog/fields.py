"""What the fields of a product's content and its attributes are called, for buyers' and moderators' pages."""

from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "name": _l("Product name"), "description": _l("Description"), "category_id": _l("Category"), "unit": _l("Unit"),
    "min_order": _l("Minimum order"), "attributes": _l("Attributes"), "technique": _l("Batik technique"),
    "motif": _l("Motif"), "fabric": _l("Fabric"), "dye": _l("Dye"), "size": _l("Size"), "net_weight": _l("Net weight"),
    "shelf_life": _l("Shelf life"), "pirt": _l("P-IRT number"), "grade": _l("Grade"),
    "supply_capacity": _l("Supply capacity per period"), "member_id": _l("Produced by"),
}
