"""Forms of assisted onboarding: the owner's account, their consent, the claim link, a moderator's invitation of a
field officer. The business and product forms are the owners' own (businesses/forms.py, catalog/forms.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import EmailField, RadioField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from marketplace.fieldofficers.models import ConsentMethod
from marketplace.forms_common import Form, strip, validate_phone_number

LOCALES = [SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]


def _email_field(label):
    return EmailField(label, filters=[strip], validators=[
        InputRequired(_l("Enter the email address.")),
        Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False), Length(max=254)])


class OwnerForm(Form):
    """The owner's account, created by the officer with the owner beside them."""

    name = StringField(_l("Owner's full name"), filters=[strip],
                       validators=[InputRequired(_l("Enter the owner's name.")), Length(max=120)])
    email = _email_field(_l("Owner's email"))
    phone = TelField(_l("Owner's phone / WhatsApp"), filters=[strip], validators=[Optional(), Length(max=30)],
                     render_kw={"autocomplete": "off", "inputmode": "tel"})
    locale = SelectField(_l("Owner's language"), choices=LOCALES, default="id")

    def validate_phone(self, field):
        validate_phone_number(field)


class ConsentForm(Form):
    """How the owner gives consent: a photo of the signed form now, or a link the owner confirms."""

    method = RadioField(_l("How the owner gives consent"), choices=[SelectChoice(m.value, m.label) for m in ConsentMethod],
                        validators=[InputRequired(_l("Choose how the owner gives consent."))])
    consent_name = StringField(_l("Name of the person who consents"), filters=[strip],
                               validators=[InputRequired(_l("Enter the name of the person who consents.")),
                                           Length(max=120)])
    document = FileField(_l("Photo of the signed consent form"), render_kw={"accept": "image/*,application/pdf"})

    def validate_document(self, field):
        if self.method.data == ConsentMethod.SIGNED_FORM.value and not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Attach a photo of the consent form the owner signed."))


class ClaimLinkForm(Form):
    by = RadioField(_l("Send the link by"), default=ConsentMethod.EMAIL.value,
                    choices=[SelectChoice(ConsentMethod.EMAIL.value, _l("Email")),
                             SelectChoice(ConsentMethod.WHATSAPP.value, _l("WhatsApp or SMS (you send it)"))],
                    validators=[InputRequired(_l("Choose how to send the link."))])


class ConfirmForm(Form):
    """A button that only needs its CSRF token (the owner confirms consent)."""


class InviteOfficerForm(Form):
    email = _email_field(_l("Email"))
    name = StringField(_l("Full name"), filters=[strip], validators=[InputRequired(_l("Enter the name.")),
                                                                     Length(max=120)])
    locale = SelectField(_l("Language of the invitation"), choices=LOCALES, default="id")
