"""The buyer's inquiry form and the owner's status form."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.forms_common import Form, region_choices, strip, validate_region_choice
from marketplace.inquiries.models import InquiryStatus
from marketplace.phone import normalise_phone

EMAIL_SHAPE = r"[^@\s]+@[^@\s]+\.[^@\s]+"


class InquiryForm(Form):
    name = StringField(_l("Your name"), filters=[strip], validators=[InputRequired(_l("Enter your name.")), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    contact = StringField(_l("WhatsApp number or email"), filters=[strip],
                          validators=[InputRequired(_l("Enter a WhatsApp number or an email so the seller can answer.")),
                                      Length(max=254)], render_kw={"autocomplete": "tel"})
    quantity = IntegerField(_l("Quantity"), validators=[
        InputRequired(_l("Enter how many you want.")), NumberRange(min=1, max=10_000_000, message=_l("At least 1."))],
        render_kw={"inputmode": "numeric"})
    region = SelectField(_l("Your region"), validators=[InputRequired(_l("Choose your region."))], validate_choice=False)
    message = TextAreaField(_l("Message"), filters=[strip], validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    website = StringField(render_kw={"autocomplete": "off", "tabindex": "-1"})  # honeypot: people leave it empty

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()

    @staticmethod
    def defaults_for(user, product) -> dict:
        """Prefill from the account: name, phone or email, home region; the quantity starts at the minimum order."""
        data = {"quantity": product.min_order}
        if user.is_authenticated:
            data.update(name=user.name, contact=user.phone or user.email, region=user.region_code)
        return data

    def validate_region(self, field):
        validate_region_choice(field)

    def validate_contact(self, field):
        if re.fullmatch(EMAIL_SHAPE, field.data or ""):
            field.normalised = field.data.lower()
            return
        phone = normalise_phone(field.data)
        if phone is None:
            raise ValidationError(_l("Enter a WhatsApp number (e.g. 0812-3456-7890) or an email address."))
        field.normalised = phone


class InquiryStatusForm(Form):
    status = SelectField(_l("Status"), choices=[SelectChoice(status.value, status.label) for status in InquiryStatus])


class MessageForm(Form):
    body = TextAreaField(_l("Your message"), filters=[strip],
                         validators=[DataRequired(_l("Write your message.")), Length(max=2000)], render_kw={"rows": 3})
