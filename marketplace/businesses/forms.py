"""The business profile form."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TelField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from marketplace.businesses.models import SizeClass
from marketplace.forms_common import region_choices, strip, validate_phone_number, validate_region_choice

LINK_FIELDS = ("instagram", "facebook", "tiktok", "website")


def _link(label):
    return URLField(label, filters=[strip], validators=[Optional(), URL(message=_l("Enter a full address starting with https://")),
                                                        Length(max=300)])


class BusinessForm(FlaskForm):
    name = StringField(_l("Business name"), filters=[strip], validators=[InputRequired(_l("Enter the business name.")),
                                                                         Length(max=120)])
    region = SelectField(_l("Region"), validators=[InputRequired(_l("Choose the region where the business is."))],
                         validate_choice=False)
    nib = StringField(_l("NIB (Nomor Induk Berusaha)"), filters=[strip],
                      validators=[InputRequired(_l("Enter the NIB from OSS: 13 digits."))],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    size_class = RadioField(_l("Size class"), choices=[SelectChoice(size.value, size.label) for size in SizeClass],
                            default=SizeClass.MIKRO.value, validators=[InputRequired(_l("Choose a size class."))])
    whatsapp = TelField(_l("WhatsApp number"), filters=[strip],
                        validators=[InputRequired(_l("Enter the WhatsApp number buyers can reach."))],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    address = TextAreaField(_l("Address"), filters=[strip], validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    description = TextAreaField(_l("About the business"), filters=[strip], validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 4})
    logo = FileField(_l("Logo (optional)"), render_kw={"accept": "image/*"})
    instagram = _link(_l("Instagram"))
    facebook = _link(_l("Facebook"))
    tiktok = _link(_l("TikTok"))
    website = _link(_l("Website"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()

    def validate_region(self, field):
        validate_region_choice(field)

    def validate_whatsapp(self, field):
        validate_phone_number(field)

    def validate_nib(self, field):
        digits = re.sub(r"[\s.-]", "", field.data or "")
        if not re.fullmatch(r"\d{13}", digits):
            raise ValidationError(_l("The NIB has exactly 13 digits."))
        field.data = digits

    @property
    def links(self) -> dict[str, str]:
        return {name: getattr(self, name).data for name in LINK_FIELDS if getattr(self, name).data}
