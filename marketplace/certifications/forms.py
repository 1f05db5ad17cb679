"""The certification claim form, with format checks where the format is known."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from marketplace.certifications.models import CertType
from marketplace.forms_common import Form, strip

# Known formats: (pattern on the number without spaces and dashes, message)
FORMATS = {
    CertType.HALAL.value: (r"ID\d{17}", _l("A halal certificate number is ID followed by 17 digits.")),
    CertType.PIRT.value: (r"\d{15}", _l("A P-IRT number has 15 digits, e.g. 1234567890123-45.")),
}


def normalise_number(cert_type: str, number: str) -> str:
    """Halal and P-IRT numbers are compared without spaces and dashes; other numbers are kept as written."""
    if cert_type in FORMATS:
        return re.sub(r"[\s.-]", "", number).upper()
    return number.strip()


class CertificationForm(Form):
    product = SelectField(_l("For"), validate_choice=False)
    cert_type = SelectField(_l("Certificate"), choices=[SelectChoice(t.value, t.label) for t in CertType],
                            validators=[InputRequired(_l("Choose the kind of certificate."))])
    number = StringField(_l("Certificate number"), filters=[strip],
                         validators=[InputRequired(_l("Enter the certificate number.")), Length(max=80)])
    issuer = StringField(_l("Issued by"), filters=[strip],
                         validators=[InputRequired(_l("Enter who issued it, e.g. BPJPH or LSPr-025-IDN.")), Length(max=160)])
    valid_until = DateField(_l("Valid until (leave empty if it has no end date)"), validators=[Optional()])
    document = FileField(_l("Scan or photo of the certificate"), render_kw={"accept": "application/pdf,image/*"})

    def __init__(self, products=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product.choices = [SelectChoice("", _l("the whole business"))] + [
            SelectChoice(str(p.id), p.name) for p in products
        ]

    def validate_product(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a product from the list."))

    def validate_number(self, field):
        rule = FORMATS.get(self.cert_type.data)
        if rule and not re.fullmatch(rule[0], normalise_number(self.cert_type.data, field.data)):
            raise ValidationError(rule[1])

    def validate_document(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Attach a scan or photo of the certificate (PDF, JPEG, PNG, WebP or HEIC)."))
