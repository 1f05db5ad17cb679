"""Forms of the staples pages. Every check says what is wrong in the reader's language, beside the field, and the
page keeps what was typed (WTForms renders a field's raw input back when it could not read it)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.forms_common import Form, strip
from marketplace.staples.models import DeliveryTerms, Period, PostKind, Transport
from marketplace.staples.posts import MAX_PRICE, MAX_QUANTITY, MAX_WINDOW_DAYS
from marketplace.timeutil import today
from marketplace.units import unit_label

QUANTITY = NumberRange(min=1, max=MAX_QUANTITY, message=_l("Enter a whole number above 0, at most 10.000.000."))
PRICE = NumberRange(min=1, max=MAX_PRICE, message=_l("Enter a price in whole Rupiah above 0."))


def _choices(enum_cls) -> list[SelectChoice]:
    return [SelectChoice(m.value, m.label) for m in enum_cls]


def _integer(label, *validators, required=False):
    first = InputRequired(_l("Enter a number.")) if required else Optional()
    return IntegerField(label, validators=[first, *validators], render_kw={"inputmode": "numeric"})


class PostForm(Form):
    business = SelectField(_l("Business"), validate_choice=False)
    kind = RadioField(_l("This post is"), choices=_choices(PostKind), validators=[InputRequired(_l("Choose offer or need."))])
    commodity = SelectField(_l("Commodity"), validate_choice=False, validators=[InputRequired(_l("Choose a commodity."))])
    grade = SelectField(_l("Grade or quality (optional)"), validate_choice=False)
    quantity = _integer(_l("Quantity"), QUANTITY, required=True)
    unit = SelectField(_l("Unit"), validate_choice=False, validators=[InputRequired(_l("Choose a unit."))])
    period = SelectField(_l("How often"), choices=_choices(Period))
    min_lot = _integer(_l("Minimum lot, in the same unit (offers, optional)"), QUANTITY)
    starts_on = DateField(_l("Available or needed from"), validators=[InputRequired(_l("Enter a date."))])
    ends_on = DateField(_l("Until"), validators=[InputRequired(_l("Enter a date."))])
    price_min = _integer(_l("Lowest price per unit (Rp)"), PRICE)
    price_max = _integer(_l("Highest price per unit (Rp, optional)"), PRICE)
    negotiable = BooleanField(_l("Price negotiable"))
    delivery_terms = SelectField(_l("Delivery"), choices=_choices(DeliveryTerms))
    transport_by = SelectField(_l("Transport"), choices=_choices(Transport))
    notes = TextAreaField(_l("Notes (optional)"), filters=[strip], validators=[Optional(), Length(max=2000)],
                          render_kw={"rows": 3})
    member = SelectField(_l("Member producer (cooperatives, optional)"), validate_choice=False)

    def __init__(self, *args, businesses=(), commodities=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        # a cooperative's active members (its own posts may name one), each kept with its cooperative
        self.member_business = {str(m.id): str(m.business_id) for m in members}
        self.member.choices = [SelectChoice("", _l("— the business itself —"))] + [
            SelectChoice(str(m.id), f"{m.name} ({m.desa}) · {m.business.name}") for m in members]
        self.commodities = {str(c.id): c for c in commodities}
        self.business.choices = [SelectChoice(str(b.id), f"{b.name} · {b.region.full_name}") for b in businesses]
        self.commodity.choices = [SelectChoice("", _l("— choose —"))] + [
            SelectChoice(str(c.id), c.name) for c in commodities]
        self.grade.choices = [SelectChoice("", _l("any / not graded"))] + [
            SelectChoice(str(g.id), f"{c.name}: {g.name}") for c in commodities for g in c.grades]
        units = {}
        for c in commodities:
            for u in c.units:
                units.setdefault(u.code, unit_label(u.code))
        self.unit.choices = [SelectChoice("", _l("— choose —"))] + [SelectChoice(code, label) for code, label in units.items()]

    @property
    def chosen_commodity(self):
        return self.commodities.get(self.commodity.data or "")

    def validate_business(self, field):
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose one of your verified businesses."))

    def validate_member(self, field):
        if field.data and self.member_business.get(field.data) != self.business.data:
            raise ValidationError(_l("Choose a member of the chosen cooperative, or the business itself."))

    def member_id(self) -> int | None:
        return int(self.member.data) if self.member.data else None

    def validate_commodity(self, field):
        if self.chosen_commodity is None:
            raise ValidationError(_l("Choose a commodity from the list."))

    def validate_unit(self, field):
        commodity = self.chosen_commodity
        if commodity is not None and commodity.unit(field.data or "") is None:
            raise ValidationError(_l("%(unit)s is not a unit of %(commodity)s: choose one of %(units)s.",
                                     unit=unit_label(field.data or ""), commodity=commodity.name,
                                     units=", ".join(unit_label(u.code) for u in commodity.units)))

    def validate_grade(self, field):
        commodity = self.chosen_commodity
        if field.data and commodity is not None and field.data not in {str(g.id) for g in commodity.grades}:
            raise ValidationError(_l("This grade is not a grade of %(commodity)s.", commodity=commodity.name))

    def validate_min_lot(self, field):
        if field.data is not None and self.quantity.data is not None and field.data > self.quantity.data:
            raise ValidationError(_l("The minimum lot cannot be more than the quantity."))

    def validate_ends_on(self, field):
        if field.data is None or self.starts_on.data is None:
            return
        if field.data < self.starts_on.data:
            raise ValidationError(_l("The window ends before it starts: the last day must be on or after the first."))
        if field.data < today():
            raise ValidationError(_l("The window has already ended: choose a last day from today on."))
        if (field.data - self.starts_on.data).days > MAX_WINDOW_DAYS:
            raise ValidationError(_l("A window can be at most three years long."))

    def validate_price_max(self, field):
        if field.data is None:
            return
        if self.price_min.data is None:
            raise ValidationError(_l("Enter the lowest price too, or leave both empty."))
        if field.data < self.price_min.data:
            raise ValidationError(_l("The highest price is lower than the lowest: swap them or correct one."))

    def content(self) -> dict:
        return {
            "commodity_id": int(self.commodity.data), "grade_id": int(self.grade.data) if self.grade.data else None,
            "unit_code": self.unit.data, "quantity": self.quantity.data, "period": Period(self.period.data),
            "min_lot": self.min_lot.data, "starts_on": self.starts_on.data, "ends_on": self.ends_on.data,
            "price_min": self.price_min.data, "price_max": self.price_max.data, "negotiable": self.negotiable.data,
            "delivery_terms": DeliveryTerms(self.delivery_terms.data), "transport_by": Transport(self.transport_by.data),
            "notes": self.notes.data or "",
        }

    def fill(self, content: dict) -> None:
        """Show a post's content (GET of the edit page)."""
        self.commodity.data, self.grade.data = str(content["commodity_id"]), str(content["grade_id"] or "")
        self.unit.data, self.quantity.data, self.period.data = content["unit_code"], content["quantity"], content["period"].value
        self.min_lot.data, self.starts_on.data, self.ends_on.data = content["min_lot"], content["starts_on"], content["ends_on"]
        self.price_min.data, self.price_max.data, self.negotiable.data = (content["price_min"], content["price_max"],
                                                                          content["negotiable"])
        self.delivery_terms.data, self.transport_by.data = content["delivery_terms"].value, content["transport_by"].value
        self.notes.data = content["notes"]


class DecisionForm(Form):
    action = RadioField(_l("Decision"), choices=[
        SelectChoice("approve", _l("Approve and publish")), SelectChoice("request_changes", _l("Ask for changes")),
        SelectChoice("reject", _l("Reject"))], validators=[InputRequired(_l("Choose a decision."))])
    reason = TextAreaField(_l("Reason for the business"), filters=[strip], validators=[Optional(), Length(max=2000)],
                           render_kw={"rows": 3})
    version = HiddenField()


class DealForm(Form):
    volume = _integer(_l("Agreed volume (in the commodity's base unit)"), QUANTITY, required=True)
    unit_price = _integer(_l("Unit price per base unit (Rp)"), PRICE, required=True)
    starts_on = DateField(_l("Deliveries from"), validators=[InputRequired(_l("Enter a date."))])
    ends_on = DateField(_l("Until"), validators=[InputRequired(_l("Enter a date."))])
    delivery_terms = SelectField(_l("Delivery"), choices=_choices(DeliveryTerms))
    transport_by = SelectField(_l("Transport"), choices=_choices(Transport))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The period ends before it starts: the last day must be on or after the first."))


class DeliveryForm(Form):
    delivered_on = DateField(_l("Delivered on"), validators=[InputRequired(_l("Enter a date."))])
    quantity = _integer(_l("Quantity delivered (in the commodity's base unit)"), QUANTITY, required=True)
    quality = StringField(_l("Quality accepted (e.g. moisture measured)"), filters=[strip], validators=[Length(max=200)])
    received_by = StringField(_l("Received by"), filters=[strip],
                              validators=[InputRequired(_l("Enter who received it.")), Length(max=120)])
    note_photo = FileField(_l("Photo of the delivery note (optional)"), render_kw={"accept": "image/*,application/pdf"})


class ReasonForm(Form):
    """A reason (closing a deal, disputing a delivery). Used with a prefix, twice on the deal page; the page's token
    is checked for every POST by CSRFProtect (extensions.csrf), so the prefixed copy of it is not needed here."""

    class Meta:
        csrf = False

    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[
        InputRequired(_l("Give a reason.")), Length(max=2000)], render_kw={"rows": 3})
