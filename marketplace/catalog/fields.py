"""What the fields of a product's content are called, for buyers' and moderators' pages (attributes are named by
their definitions: catalog/attributes/)."""

from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "name": _l("Product name"), "description": _l("Description"), "category_id": _l("Category"), "unit": _l("Unit"),
    "min_order": _l("Minimum order"), "attributes": _l("Attributes"), "member_id": _l("Produced by"),
}
