"""Forms of events: the event, a booth type, an owner's application, a decision, a sales report."""

from datetime import datetime, time
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.events.models import Decision, EventKind
from marketplace.forms_common import Form, strip
from marketplace.inquiries.forms import InquiryForm
from marketplace.timeutil import JAKARTA


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes: easier on a phone than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def local_moment(day, at: time) -> datetime:
    """A date and a time in Asia/Jakarta as an aware datetime."""
    return datetime.combine(day, at, tzinfo=JAKARTA)


class EventForm(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(_l("Enter the title.")), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind.value, kind.label) for kind in EventKind])
    host_region = SelectField(_l("Host region"), validate_choice=False)
    venue_name = StringField(_l("Venue"), filters=[strip],
                             validators=[InputRequired(_l("Enter the venue.")), Length(max=200)])
    venue_address = StringField(_l("Venue address"), filters=[strip], validators=[Optional(), Length(max=300)])
    map_url = URLField(_l("Map link (optional)"), filters=[strip], validators=[Optional(), Length(max=500)])
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day."))])
    opens_at = TimeField(_l("Opens at (WIB)"), validators=[InputRequired(_l("Enter the opening time."))])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day."))])
    closes_at = TimeField(_l("Closes at (WIB)"), validators=[InputRequired(_l("Enter the closing time."))])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 4})
    occasion = StringField(_l("Tourism occasion (optional), e.g. Yadnya Kasada"), filters=[strip],
                           validators=[Optional(), Length(max=160)])
    destination = StringField(_l("Destination (optional), e.g. Bromo"), filters=[strip],
                              validators=[Optional(), Length(max=160)])
    season = StringField(_l("Season (optional)"), filters=[strip], validators=[Optional(), Length(max=160)])
    agreement = SelectField(_l("Under a promotion agreement (optional)"), validate_choice=False)
    partners_only = BooleanField(_l("Only businesses of the host region and its partners under that agreement"))
    apply_by = DateField(_l("Applications until (last day)"), validators=[InputRequired(_l("Enter the application deadline."))])
    confirm_days = IntegerField(_l("Days an accepted owner has to confirm"), default=3, validators=[
        InputRequired(_l("Enter a number of days.")), NumberRange(min=1, max=30, message=_l("Between 1 and 30 days."))])
    cover = FileField(_l("Cover image (optional)"), render_kw={"accept": "image/*"})
    published = BooleanField(_l("Published (visible to the public)"))

    def validate_map_url(self, field):
        if field.data and (urlsplit(field.data).scheme != "https" or not urlsplit(field.data).netloc):
            raise ValidationError(_l("Enter a full address starting with https://"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day is before the first day."))

    def moments(self) -> dict:
        """The event's start, end and application deadline (end of that day) from the form, in Asia/Jakarta."""
        return {"starts_at": local_moment(self.starts_on.data, self.opens_at.data),
                "ends_at": local_moment(self.ends_on.data, self.closes_at.data),
                "apply_by": local_moment(self.apply_by.data, time(23, 59))}


class BoothTypeForm(Form):
    name = StringField(_l("Booth type"), filters=[strip], validators=[InputRequired(_l("Enter the name.")), Length(max=120)])
    count = IntegerField(_l("Number of booths"), validators=[
        InputRequired(_l("Enter how many booths.")), NumberRange(min=1, max=1000, message=_l("Between 1 and 1,000."))])
    fee = IntegerField(_l("Fee in Rupiah (0: free)"), default=0, validators=[
        InputRequired(_l("Enter the fee, or 0 if free.")),
        NumberRange(min=0, max=1_000_000_000, message=_l("Enter a fee of 0 or more."))], render_kw={"inputmode": "numeric"})
    size = StringField(_l("Size, e.g. 3 x 3 m"), filters=[strip], validators=[Optional(), Length(max=60)])
    categories = CheckboxesField(_l("Categories wanted (none: any)"), validate_choice=False)


class ApplyForm(Form):
    booth_type = RadioField(_l("Booth type"), validators=[InputRequired(_l("Choose a booth type."))], validate_choice=False)
    business = SelectField(_l("Business"), validators=[InputRequired(_l("Choose the business."))], validate_choice=False)
    products = CheckboxesField(_l("Products you will bring"), validate_choice=False)
    note = TextAreaField(_l("Note for the organiser (optional)"), filters=[strip], validators=[Optional(), Length(max=500)],
                         render_kw={"rows": 2})

    def validate_products(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one product."))


class DecisionForm(Form):
    decision = RadioField(_l("Decision"), choices=[SelectChoice(d.value, d.label) for d in Decision],
                          validators=[InputRequired(_l("Choose a decision."))])
    reason = TextAreaField(_l("Reason for the owner"), filters=[strip], validators=[Optional(), Length(max=1000)],
                           render_kw={"rows": 2})


class WithdrawForm(Form):
    """The host's staff take back an accepted or confirmed booth; the owner is told the reason."""

    reason = TextAreaField(_l("Reason for the owner"), filters=[strip], validators=[
        InputRequired(_l("Give a reason the owner can act on.")), Length(max=1000)], render_kw={"rows": 2})


class SalesForm(Form):
    amount = IntegerField(_l("Sales at the event in Rupiah (optional)"), validators=[
        Optional(), NumberRange(min=0, max=10_000_000_000, message=_l("Enter an amount of 0 or more."))],
        render_kw={"inputmode": "numeric"})


class BoothInquiryForm(InquiryForm):
    """The inquiry form on a booth's page: the same fields, and which of the booth's products."""

    product = SelectField(_l("Product"), validators=[InputRequired(_l("Choose a product."))], validate_choice=False)

    @staticmethod
    def defaults_for(user) -> dict:
        data = {"quantity": 1}
        if user.is_authenticated:
            data.update(name=user.name, contact=user.phone or user.email, region=user.region_code)
        return data
