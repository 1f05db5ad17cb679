"""Admin forms: agreements, categories and their attributes, staff accounts, and the filters of the lists of accounts and businesses."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.accounts.models import Role
from marketplace.businesses.models import Verification
from marketplace.catalog.attributes.models import AttributeKind
from marketplace.forms_common import Form, region_choices, strip, validate_region_choice
from marketplace.regions.models import Scope


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes: easier on a phone than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AgreementForm(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(_l("Enter the title.")), Length(max=200)])
    number = StringField(_l("Number"), filters=[strip], validators=[Optional(), Length(max=120)])
    signed_on = DateField(_l("Signed on"), validators=[InputRequired(_l("Enter the date it was signed."))])
    valid_from = DateField(_l("Valid from"), validators=[InputRequired(_l("Enter the first day it counts."))])
    valid_until = DateField(_l("Valid until (empty: no end date)"), validators=[Optional()])
    scopes = CheckboxesField(_l("Scopes"), choices=[SelectChoice(scope.value, scope.label) for scope in Scope])
    regions = CheckboxesField(_l("Regions that are parties"), validate_choice=False)
    businesses = CheckboxesField(_l("Cooperatives that are parties"), validate_choice=False, coerce=str)
    # INSTITUTION PARTIES (issue 18): a CheckboxesField `institutions` of Institution records goes here, like businesses.
    drop_notes = CheckboxesField(_l("Remove these free-text notes"), validate_choice=False, coerce=str)
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 3})

    def __init__(self, *args, businesses=(), notes=(), **kwargs):
        """businesses: the cooperatives that may be chosen (Business rows); notes: the agreement's free-text parties
        kept from before parties were records (AgreementParty rows with a name), which the admin may remove."""
        super().__init__(*args, **kwargs)
        self.regions.choices = region_choices()[1:]
        self.businesses.choices = [SelectChoice(str(b.id), f"{b.name} — {b.region.full_name} ({b.region_code})")
                                   for b in businesses]
        self.notes = list(notes)
        self.drop_notes.choices = [SelectChoice(str(n.id), f"{n.institution}" + (f" | {n.region_code}" if n.region_code else ""))
                                   for n in self.notes]

    def validate_scopes(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one scope."))

    def validate_regions(self, field):
        known = {c.value for c in field.choices}
        if any(code not in known for code in field.data or []):
            raise ValidationError(_l("Choose regions from the list."))
        if not field.data and not self.businesses.data and not self.kept_notes:
            raise ValidationError(_l("An agreement needs at least one party."))

    def validate_businesses(self, field):
        known = {c.value for c in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError(_l("Choose cooperatives from the list."))

    def validate_valid_until(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    @property
    def business_ids(self) -> list[int]:
        return [int(value) for value in self.businesses.data or [] if value.isdigit()]

    @property
    def kept_notes(self) -> list[tuple[str, str | None]]:
        """The free-text parties the admin keeps, as (name, region code)."""
        dropped = set(self.drop_notes.data or [])
        return [(n.institution, n.region_code) for n in self.notes if str(n.id) not in dropped]


class CategoryForm(Form):
    name_id = StringField(_l("Name in Indonesian"), filters=[strip], validators=[InputRequired(_l("Enter the name.")), Length(max=120)])
    name_en = StringField(_l("Name in English"), filters=[strip], validators=[InputRequired(_l("Enter the name.")), Length(max=120)])
    parent = SelectField(_l("Parent category"), validate_choice=False)


class StaffForm(Form):
    """A new staff account: no password here, the person chooses one through the emailed invitation."""

    email = EmailField(_l("Email"), filters=[strip], validators=[
        InputRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False)])
    name = StringField(_l("Full name"), filters=[strip], validators=[InputRequired(_l("Enter your name.")), Length(max=120)])
    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, role.label)
                                            for role in (Role.MODERATOR, Role.ADMIN, Role.INSTITUTION_STAFF,
                                                         Role.FIELD_OFFICER)])
    region = SelectField(_l("Region (moderators, field officers)"), validate_choice=False)
    institution = SelectField(_l("Institution (institution staff)"), validate_choice=False)
    locale = SelectField(_l("Language of the invitation"), choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
                         default="id")

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()
        self.institution.choices = [SelectChoice("", _l("— choose an institution —"))] + [
            SelectChoice(str(i.id), i.name) for i in institutions]

    def validate_region(self, field):
        validate_region_choice(field)
        if self.role.data == Role.MODERATOR.value and not field.data:
            raise ValidationError(_l("A moderator must be bound to a region."))
        if self.role.data == Role.FIELD_OFFICER.value and not field.data:
            raise ValidationError(_l("A field officer must be bound to a region."))

    def validate_institution(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose an institution from the list."))
        if self.role.data == Role.INSTITUTION_STAFF.value and not field.data:
            raise ValidationError(_l("Institution staff must be bound to an institution."))


class _ListFilters(Form):
    """The filters of a list, read from the query string (a GET form: no CSRF); a value not offered is no filter."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), filters=[strip])

    def query(self) -> str:
        """The search text, at most 200 characters."""
        return (self.q.data or "")[:200]

    def value(self, field) -> str:
        """The field's value if it is one of its choices, else ""."""
        return field.data if field.data in {choice.value for choice in field.choices} else ""


class UserFilterForm(_ListFilters):
    role = SelectField(_l("Role"), choices=[SelectChoice("", _l("all roles"))] + [SelectChoice(role.value, role.label) for role in Role])
    region = SelectField(_l("Region"), validate_choice=False)
    state = SelectField(_l("State"), choices=[SelectChoice("", _l("all states")), SelectChoice("active", _l("active")),
                                             SelectChoice("invited", _l("invited, no password yet")),
                                             SelectChoice("deactivated", _l("deactivated"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [SelectChoice("", _l("all regions"))] + region_choices()[1:]


class BusinessFilterForm(_ListFilters):
    region = SelectField(_l("Region"), validate_choice=False)
    verification = SelectField(_l("Verification"), choices=[SelectChoice("", _l("all states"))]
                               + [SelectChoice(v.value, v.label) for v in Verification])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [SelectChoice("", _l("all regions"))] + region_choices()[1:]


class RegionOfficeForm(Form):
    """A region's cooperative and trade office: reference data an admin fills in; everything may stay empty."""

    office_name = StringField(_l("Name of the office"), filters=[strip], validators=[Optional(), Length(max=200)])
    office_address = TextAreaField(_l("Address"), filters=[strip], validators=[Optional(), Length(max=500)],
                                   render_kw={"rows": 2})
    office_phone = TelField(_l("Phone"), filters=[strip], validators=[Optional(), Length(max=40)],
                            render_kw={"inputmode": "tel"})
    office_email = EmailField(_l("Email"), filters=[strip], validators=[
        Optional(), Length(max=254),
        Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False)])
    office_website = URLField(_l("Website"), filters=[strip], validators=[
        Optional(), Length(max=300), URL(message=_l("Enter a full address starting with https://"))])

    def validate_office_phone(self, field):
        if field.data and not re.fullmatch(r"[0-9+()\s.-]{6,40}", field.data):
            raise ValidationError(_l("Enter a phone number with digits only, e.g. (0335) 421234."))


class AttributeForm(Form):
    """A category's attribute: names, kind (chosen once: values rely on it), and the kind's details."""

    name_id = StringField(_l("Name in Indonesian"), filters=[strip], validators=[InputRequired(_l("Enter the name.")), Length(max=80)])
    name_en = StringField(_l("Name in English"), filters=[strip], validators=[InputRequired(_l("Enter the name.")), Length(max=80)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind.value, kind.label) for kind in AttributeKind],
                       default=AttributeKind.TEXT.value)
    unit_id = StringField(_l("Unit in Indonesian (numbers), e.g. gram"), filters=[strip], validators=[Length(max=20)])
    unit_en = StringField(_l("Unit in English (numbers), e.g. grams"), filters=[strip], validators=[Length(max=20)])
    pattern = StringField(_l("Format (identifiers): a regular expression the whole value must match, e.g. \\d{13}"),
                          filters=[strip], validators=[Length(max=200)])
    example = StringField(_l("Example of a valid value (identifiers), shown to owners"), filters=[strip],
                          validators=[Length(max=60)])
    required = BooleanField(_l("Required before a product goes to review"))

    def validate_pattern(self, field):
        if self.kind.data == AttributeKind.IDENTIFIER.value and not field.data:
            raise ValidationError(_l("An identifier needs its format."))
        if field.data:
            try:
                re.compile(field.data)
            except re.error:
                raise ValidationError(_l("This is not a valid regular expression.")) from None

    def validate_example(self, field):
        if self.kind.data != AttributeKind.IDENTIFIER.value:
            return
        if not field.data:
            raise ValidationError(_l("Give an example, so owners see what to type."))
        if self.pattern.data and not self.pattern.errors and re.fullmatch(self.pattern.data, field.data) is None:
            raise ValidationError(_l("The example does not match the format."))

    def validate_unit_id(self, field):
        if self.kind.data == AttributeKind.NUMBER.value and not field.data:
            raise ValidationError(_l("A number needs its unit."))

    def validate_unit_en(self, field):
        if self.kind.data == AttributeKind.NUMBER.value and not field.data:
            raise ValidationError(_l("A number needs its unit."))


class AttributeOptionForm(Form):
    label_id = StringField(_l("Label in Indonesian"), filters=[strip], validators=[InputRequired(_l("Enter the label.")), Length(max=80)])
    label_en = StringField(_l("Label in English"), filters=[strip], validators=[InputRequired(_l("Enter the label.")), Length(max=80)])
