"""Admin forms: agreements, categories, staff accounts."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.accounts.forms import NewPasswordMixin, new_password_field
from marketplace.accounts.models import Role
from marketplace.forms_common import region_choices, strip, validate_region_choice
from marketplace.regions.models import Scope

INSTITUTION_LINE = re.compile(r"^(?P<name>[^|]+?)\s*(\|\s*(?P<code>35\.\d{2}))?\s*$")


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes: easier on a phone than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AgreementForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(_l("Enter the title.")), Length(max=200)])
    number = StringField(_l("Number"), filters=[strip], validators=[Optional(), Length(max=120)])
    signed_on = DateField(_l("Signed on"), validators=[InputRequired(_l("Enter the date it was signed."))])
    valid_from = DateField(_l("Valid from"), validators=[InputRequired(_l("Enter the first day it counts."))])
    valid_until = DateField(_l("Valid until (empty: no end date)"), validators=[Optional()])
    scopes = CheckboxesField(_l("Scopes"), choices=[SelectChoice(scope.value, scope.label) for scope in Scope])
    regions = CheckboxesField(_l("Regions that are parties"), validate_choice=False)
    institutions = TextAreaField(_l("Institutions that are parties, one a line: name | region code"), filters=[strip],
                                 validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 3})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions.choices = region_choices()[1:]
        self.parsed_institutions: list[tuple[str, str | None]] = []

    def validate_scopes(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one scope."))

    def validate_regions(self, field):
        known = {c.value for c in field.choices}
        if any(code not in known for code in field.data or []):
            raise ValidationError(_l("Choose regions from the list."))
        if not field.data and not self.institutions.data:
            raise ValidationError(_l("An agreement needs at least one party."))

    def validate_valid_until(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_institutions(self, field):
        for line in (field.data or "").splitlines():
            if not line.strip():
                continue
            match = INSTITUTION_LINE.match(line.strip())
            if not match:
                raise ValidationError(_l("Write each institution as: name | region code, e.g. Koperasi Berkah Telur | 35.05"))
            self.parsed_institutions.append((match["name"].strip(), match["code"]))


class CategoryForm(FlaskForm):
    name_id = StringField(_l("Name in Indonesian"), filters=[strip], validators=[InputRequired(_l("Enter the name.")), Length(max=120)])
    name_en = StringField(_l("Name in English"), filters=[strip], validators=[InputRequired(_l("Enter the name.")), Length(max=120)])
    parent = SelectField(_l("Parent category"), validate_choice=False)


class StaffForm(NewPasswordMixin, FlaskForm):
    email = EmailField(_l("Email"), filters=[strip], validators=[
        InputRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False)])
    name = StringField(_l("Full name"), filters=[strip], validators=[InputRequired(_l("Enter your name.")), Length(max=120)])
    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, role.label) for role in (Role.MODERATOR, Role.ADMIN)])
    region = SelectField(_l("Region (moderators)"), validate_choice=False)
    password = new_password_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()

    def password_role(self) -> Role:
        """The staff role chosen on the form: the policy for staff applies to either."""
        return Role.ADMIN if self.role.data == Role.ADMIN.value else Role.MODERATOR

    def password_inputs(self) -> tuple[str, ...]:
        return (self.email.data or "", self.name.data or "")

    def validate_region(self, field):
        validate_region_choice(field)
        if self.role.data == Role.MODERATOR.value and not field.data:
            raise ValidationError(_l("A moderator must be bound to a region."))
