"""The business profile form."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from marketplace.businesses.models import BusinessKind, CooperativeKind, SizeClass
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


# A cooperative's legal-entity number: AHU-0001234.AH.01.26.TAHUN 2021 since the Ministry of Law registers cooperatives
# (2019), or an older number of the cooperative office, with "BH" in it: 503/12/BH/XVI.15/2015.
_AHU_NUMBER = re.compile(r"AHU-\d{4,7}\.AH\.01\.\d{2}\.TAHUN \d{4}")
_OLD_NUMBER = re.compile(r"[0-9A-Z.-]+(/[0-9A-Z.-]+)*/BH/[0-9A-Z.-]+(/[0-9A-Z.-]+)*")


def legal_entity_number(value: str | None) -> str | None:
    """The number in one spelling (upper case, single spaces, "AHU-" and "TAHUN" as the Ministry writes them), or None
    when it is neither an AHU number nor an older …/BH/… number."""
    text = " ".join((value or "").upper().split())
    text = re.sub(r"^AHU\s*-?\s*", "AHU-", text)
    text = re.sub(r"\s*([./])\s*", r"\1", text).replace(".TAHUN", ".TAHUN ").replace("TAHUN  ", "TAHUN ")
    if _AHU_NUMBER.fullmatch(text) or (_OLD_NUMBER.fullmatch(text) and re.search(r"\d", text)):
        return text
    return None


def nib_digits(value: str | None) -> str | None:
    """An NIB as its 13 digits (spaces, dots and dashes dropped), or None when it is not 13 digits."""
    digits = re.sub(r"[\s.-]", "", value or "")
    return digits if re.fullmatch(r"\d{13}", digits) else None


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
    kind = RadioField(_l("Kind of business"), choices=[SelectChoice(kind.value, kind.label) for kind in BusinessKind],
                      default=BusinessKind.ENTERPRISE.value, validators=[Optional()])  # not sent: a business (usaha)
    cooperative_kind = SelectField(_l("Kind of cooperative"), choices=[SelectChoice("", _l("— choose —"))] + [
        SelectChoice(kind.value, kind.label) for kind in CooperativeKind], validate_choice=False)
    legal_entity_number = StringField(_l("Legal-entity number (nomor badan hukum)"), filters=[strip],
                                      validators=[Length(max=80)], render_kw={"autocomplete": "off"})
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
        digits = nib_digits(field.data)
        if digits is None:
            raise ValidationError(_l("The NIB has exactly 13 digits."))
        field.data = digits

    @property
    def is_cooperative(self) -> bool:
        return self.kind.data == BusinessKind.COOPERATIVE.value

    @property
    def business_kind(self) -> BusinessKind:
        return BusinessKind.COOPERATIVE if self.is_cooperative else BusinessKind.ENTERPRISE

    def validate_cooperative_kind(self, field):
        if not self.is_cooperative:
            return
        if field.data not in {kind.value for kind in CooperativeKind}:
            raise ValidationError(_l("Choose the kind of cooperative."))

    def validate_legal_entity_number(self, field):
        if not self.is_cooperative:
            return
        if not field.data:
            raise ValidationError(_l("Enter the cooperative's legal-entity number, e.g. AHU-0001234.AH.01.26.TAHUN 2021."))
        number = legal_entity_number(field.data)
        if number is None:
            raise ValidationError(_l("Write the legal-entity number as on the deed, e.g. AHU-0001234.AH.01.26.TAHUN 2021 "
                                     "or, for an older one, 503/12/BH/XVI.15/2015."))
        field.data = number

    @property
    def links(self) -> dict[str, str]:
        return {name: getattr(self, name).data for name in LINK_FIELDS if getattr(self, name).data}

    def service_fields(self) -> dict:
        """What businesses.services.create_business / update_business take from this form (the logo apart)."""
        return {
            "name": self.name.data, "region_code": self.region.data, "nib": self.nib.data,
            "size_class": SizeClass(self.size_class.data), "whatsapp": self.whatsapp.normalised,
            "address": self.address.data or "", "description": self.description.data or "", "links": self.links,
            "kecamatan": self.kecamatan.data or None,
            "kind": self.business_kind, "cooperative_kind": self.cooperative_kind.data or None,
            "legal_entity_number": self.legal_entity_number.data or None,
        }

    def logo_bytes(self, limit: int) -> bytes | None:
        """The uploaded logo's first limit + 1 bytes (enough to tell it is too large), or None without one."""
        upload = self.logo.data
        if not upload or not getattr(upload, "filename", ""):
            return None
        return upload.read(limit + 1)

    @staticmethod
    def data_of(business) -> dict:
        """The form's data for editing business: the owner goes on from their pending edit, if there is one."""
        profile = business.proposed_profile()
        return {
            "name": profile["name"], "region": business.region_code, "nib": business.nib,
            "size_class": profile["size_class"], "whatsapp": profile["whatsapp"], "address": profile["address"],
            "description": profile["description"], "kecamatan": business.kecamatan, "kind": profile["kind"],
            "cooperative_kind": profile["cooperative_kind"] or "", "legal_entity_number": profile["legal_entity_number"],
            **{name: profile["links"].get(name) for name in LINK_FIELDS},
        }
