"""The product form: content, price, attributes by category, and photos."""

from __future__ import annotations

import json
import re

from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from sqlalchemy.orm import selectinload
from wtforms import Field, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from marketplace.catalog.attributes.definitions import all_attributes, attributes_of
from marketplace.catalog.attributes.forms import field_name, groups_of, make_field
from marketplace.catalog.attributes.values import check_value
from marketplace.catalog.models import UNITS, Availability, Category
from marketplace.extensions import db
from marketplace.forms_common import Form, as_integer, strip
from marketplace.units import unit_label

AVAILABILITY_CHOICES = [SelectChoice(availability.value, availability.label) for availability in Availability]
PRICE_MODES = [
    SelectChoice("fixed", _l("One price")),
    SelectChoice("range", _l("A price range")),
    SelectChoice("request", _l("Price on request")),
]
class RupiahField(Field):
    """Whole Rupiah typed the way people write it: 150000, 150.000 or Rp 150.000."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}".replace(",", ".")

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        digits = re.sub(r"^rp\.?\s*", "", text, flags=re.IGNORECASE).replace(".", "").replace(" ", "")
        if not re.fullmatch(r"\d{1,12}", digits):
            raise ValueError(_l("Enter a price in whole Rupiah, e.g. 150.000."))
        self.data = int(digits)


def top_categories_with_children() -> list[Category]:
    """The top categories in their order, each with its subcategories loaded (one query for the form)."""
    return list(db.session.scalars(
        db.select(Category)
        .where(Category.parent_id.is_(None))
        .options(selectinload(Category.children))
        .order_by(Category.position)
    ))


def category_choices(tops: list[Category]) -> list[SelectChoice]:
    """Subcategories grouped under their top category (optgroups); a top category without children is itself a choice."""
    locale = str(get_locale() or "id")
    choices = [SelectChoice("", _l("— choose a category —"))]
    for top in tops:
        if not top.children:
            choices.append(SelectChoice(str(top.id), top.name(locale)))
        for child in top.children:
            choices.append(SelectChoice(str(child.id), child.name(locale), optgroup=top.name(locale)))
    return choices


class ProductForm(Form):
    category = SelectField(_l("Category"), validators=[InputRequired(_l("Choose a category."))], validate_choice=False)
    name = StringField(_l("Product name"), filters=[strip],
                       validators=[InputRequired(_l("Enter the product name.")), Length(max=140)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=5000)],
                                render_kw={"rows": 6})
    price_mode = RadioField(_l("Price"), choices=PRICE_MODES, default="fixed")
    price = RupiahField(_l("Price (Rp)"), render_kw={"inputmode": "numeric"})
    price_max = RupiahField(_l("Highest price (Rp), for a range"), render_kw={"inputmode": "numeric"})
    unit = SelectField(_l("Unit"), choices=[SelectChoice(u, LazyString(unit_label, u)) for u in UNITS], default="pcs")
    min_order = IntegerField(_l("Minimum order"), default=1, validators=[
        InputRequired(_l("Enter the minimum order.")), NumberRange(min=1, max=1_000_000, message=_l("At least 1."))],
        render_kw={"inputmode": "numeric"})
    availability = SelectField(_l("Availability"), choices=AVAILABILITY_CHOICES, default=Availability.READY.value)
    # a cooperative's products: the member who produced it (choices set by offer_members; empty for other businesses)
    member = SelectField(_l("Produced by"), choices=[], validate_choice=False, default="")


    photos = MultipleFileField(_l("Photos"), render_kw={"accept": "image/*"})
    staged = HiddenField()  # ids of photos already uploaded with an earlier, refused submission

    @classmethod
    def build(cls, *args, strict: bool = False, current: dict[str, str] | None = None, **kwargs) -> ProductForm:
        """The form with a field for every attribute in use (catalog/attributes/forms.py). strict: the product's edits
        go straight to review (it is published), so required attributes must be filled. current: the product's stored
        attribute values (code -> value), so a retired option it has stays offered."""
        locale = str(get_locale() or "id")
        tops = top_categories_with_children()
        attributes = all_attributes()
        groups = groups_of(attributes, tops)
        current = current or {}
        fields = {field_name(a): make_field(a, locale, group.applies_to, current.get(a.code))
                  for group in groups for a in group.attributes}
        form = type("ProductForm", (cls,), fields)(*args, **kwargs)
        form.strict, form.attribute_groups = strict, groups
        form.category.choices = category_choices(tops)
        chosen_groups = {}
        for group in groups:
            for category_id in group.applies_to:
                chosen_groups.setdefault(category_id, []).append(group.category.slug)
        # for static/js/product-form.js, which shows only the chosen category's groups
        form.category.render_kw = {"data-attribute-groups": json.dumps(chosen_groups, separators=(",", ":"))}
        return form

    @property
    def chosen_category_id(self) -> str | None:
        """The chosen category's id as the select sends it, None while none (or no known one) is chosen."""
        if self.category.data not in {c.value for c in self.category.choices if c.value}:
            return None
        return self.category.data

    def shows(self, group) -> bool:
        """Whether a group of attribute fields is shown: the chosen category has it, or none is chosen yet."""
        chosen = self.chosen_category_id
        return chosen is None or chosen in group.applies_to

    def offer_members(self, members, current=None) -> None:
        """Offer the cooperative's active members (and the product's current member, whatever their consent now)."""
        chosen = [m for m in members if m.id != getattr(current, "id", None)] + ([current] if current else [])
        self.member.choices = [SelectChoice("", _l("— the cooperative itself —"))] + [
            SelectChoice(str(m.id), f"{m.name} ({m.desa})") for m in sorted(chosen, key=lambda m: (m.name, m.id))]

    def validate_member(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a member of this cooperative from the list."))

    @property
    def member_id(self) -> int | None:
        return as_integer(self.member.data) if self.member.choices and self.member.data else None

    def validate_category(self, field):
        if field.data not in {c.value for c in field.choices if c.value}:
            raise ValidationError(_l("Choose a category from the list."))

    def validate_price(self, field):
        if self.price_mode.data in ("fixed", "range") and field.data is None and not field.errors:
            raise ValidationError(_l("Enter the price, or choose “Price on request”."))

    def validate_price_max(self, field):
        if self.price_mode.data != "range":
            return
        if field.data is None:
            raise ValidationError(_l("Enter the highest price of the range."))
        if self.price.data is not None and field.data <= self.price.data:
            raise ValidationError(_l("The highest price must be more than the lowest."))

    @property
    def staged_ids(self) -> list[int]:
        return [i for i in map(as_integer, (self.staged.data or "").split(",")) if i is not None]

    def prices(self) -> tuple[int | None, int | None]:
        mode = self.price_mode.data
        if mode == "request":
            return None, None
        return self.price.data, (self.price_max.data if mode == "range" else None)

    def attributes_for(self, category: Category, current: dict[str, str] | None = None) -> dict[str, str]:
        """The chosen category's attribute values as they will be stored (code -> value), plus the values the product
        already has for retired attributes of that category, which the form no longer asks for."""
        values = {}
        wanted = {str(category.id)}
        for group in self.attribute_groups:
            if group.applies_to & wanted:
                for attribute in group.attributes:
                    text, _option = check_value(attribute, self[field_name(attribute)].data)
                    if text:
                        values[attribute.code] = text
        asked = {a.code for group in self.attribute_groups for a in group.attributes if group.applies_to & wanted}
        retired = {a.code for a in attributes_of(category, retired=True) if a.retired}
        values.update({code: value for code, value in (current or {}).items() if code in retired and code not in asked})
        return values


class PhotosForm(Form):
    """Manage a product's photos: per photo `alt-<id>`, `position-<id>`, `delete-<id>`, and `cover`; plus new uploads."""

    photos = MultipleFileField(_l("Add photos"), render_kw={"accept": "image/*"})

    def photo_changes(self, formdata, photo_ids: list[int]) -> tuple[dict[int, str], list[int], list[int]]:
        """(alt texts by id, ids in the new order with the cover first, ids to delete) from the posted fields."""
        alt = {pid: formdata.get(f"alt-{pid}", "") for pid in photo_ids if f"alt-{pid}" in formdata}
        delete = [pid for pid in photo_ids if formdata.get(f"delete-{pid}")]

        def position(pid: int) -> int:
            value = as_integer(formdata.get(f"position-{pid}", ""))
            return value if value is not None else photo_ids.index(pid) + 1

        order = sorted(photo_ids, key=lambda pid: (position(pid), photo_ids.index(pid)))
        cover = as_integer(formdata.get("cover", ""))
        if cover in order:
            order.remove(cover)
            order.insert(0, cover)
        return alt, [pid for pid in order if pid not in delete], delete
