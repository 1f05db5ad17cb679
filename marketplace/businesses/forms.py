"""The business profile form."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from marketplace.businesses.models import SizeClass
from marketplace.forms_common import Form, region_choices, strip, validate_phone_number, validate_region_choice

LINK_FIELDS = ("instagram", "facebook", "tiktok", "website")

# An account name as people write it: "@batik.siti", "batik_siti".
_HANDLE = re.compile(r"@?(?P<name>[A-Za-z0-9._-]{1,100})")
# The network's address without "https://" or with "http://", "www." or "m.": "instagram.com/batik.siti".
_SOCIAL_SITES = {"instagram": "instagram.com", "facebook": "facebook.com", "tiktok": "tiktok.com"}


def social_link(network: str, value: str | None) -> str | None:
    """An account of a network as its https:// address: "@name", "name" and "instagram.com/name" become
    "https://instagram.com/name" (TikTok's accounts are "https://tiktok.com/@name"). Anything else is left as typed,
    for the URL check to judge."""
    value = (value or "").strip()
    if not value:
        return value
    site = _SOCIAL_SITES[network]
    handle = _HANDLE.fullmatch(value)
    if handle:
        path = handle["name"]
    else:
        match = re.fullmatch(rf"(?:https?://)?(?:www\.|m\.)?{re.escape(site)}/(?P<path>\S+)", value, re.IGNORECASE)
        if not match:
            return value
        path = match["path"]
    if network == "tiktok" and not path.startswith("@"):
        path = "@" + path
    return f"https://{site}/{path}"


def website_link(value: str | None) -> str | None:
    """A website typed without its scheme ("batiksiti.id", "www.batiksiti.id/toko") gets "https://"."""
    value = (value or "").strip()
    if value and not re.match(r"[a-z][a-z0-9+.-]*://", value, re.IGNORECASE) and re.match(r"[\w-]+(\.[\w-]+)+(/\S*)?$", value):
        return "https://" + value
    return value


def _link(label, normalise, message):
    # A text input (inputmode url), not type=url: browsers would refuse "@name" before the server could accept it.
    return StringField(label, filters=[strip, normalise], render_kw={"inputmode": "url", "autocomplete": "off"},
                       validators=[Optional(), URL(message=message), Length(max=300)])


def _social(label, network: str, example: str):
    return _link(label, lambda value: social_link(network, value),
                 _l("Enter the account as @name or as its address, e.g. %(example)s.", example=example))


class BusinessForm(Form):
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
    kecamatan = StringField(_l("Kecamatan (optional)"), filters=[strip], validators=[Optional(), Length(max=80)])
    description = TextAreaField(_l("About the business"), filters=[strip], validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 4})
    logo = FileField(_l("Logo (optional)"), render_kw={"accept": "image/*"})
    instagram = _social(_l("Instagram"), "instagram", "@batiksiti")
    facebook = _social(_l("Facebook"), "facebook", "facebook.com/batiksiti")
    tiktok = _social(_l("TikTok"), "tiktok", "@batiksiti")
    website = _link(_l("Website"), website_link, _l("Enter a full address starting with https://"))

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
