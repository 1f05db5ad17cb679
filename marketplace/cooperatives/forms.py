"""The form of a cooperative's member and their consent, and the confirmation of a withdrawal."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from marketplace.businesses.forms import nib_digits
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.forms_common import Form, strip


class MemberForm(Form):
    name = StringField(_l("Member's name"), filters=[strip],
                       validators=[InputRequired(_l("Enter the member's name.")), Length(max=120)])
    desa = StringField(_l("Desa/kelurahan"), filters=[strip],
                       validators=[InputRequired(_l("Enter the desa or kelurahan.")), Length(max=80)])
    kecamatan = StringField(_l("Kecamatan"), filters=[strip],
                            validators=[InputRequired(_l("Enter the kecamatan.")), Length(max=80)])
    commodities = StringField(_l("Commodities (what they produce)"), filters=[strip],
                              validators=[Optional(), Length(max=300)])
    nib = StringField(_l("NIB (optional)"), filters=[strip], validators=[Optional()],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    # no default: the consent is chosen, never assumed
    consent_scope = RadioField(_l("What the member agreed may be shown publicly"),
                               choices=[SelectChoice(s.value, s.label) for s in ConsentScope],
                               validators=[InputRequired(_l("Choose what the member agreed may be shown publicly."))])
    consent_method = RadioField(_l("How the member gave consent"),
                                choices=[SelectChoice(m.value, m.label) for m in ConsentMethod],
                                validators=[InputRequired(_l("Choose how the member gave consent."))])
    consent_note = TextAreaField(_l("How and when the member confirmed"), filters=[strip],
                                 validators=[Optional(), Length(max=1000)], render_kw={"rows": 2})
    consent_document = FileField(_l("Photo of the signed consent form"), render_kw={"accept": "image/*,application/pdf"})
    document_token = HiddenField()  # a form photo already stored by an earlier, refused submission (signed)

    def validate_nib(self, field):
        if field.data:
            digits = nib_digits(field.data)
            if digits is None:
                raise ValidationError(_l("The NIB has exactly 13 digits."))
            field.data = digits


class WithdrawForm(Form):
    reason = TextAreaField(_l("Note (optional)"), filters=[strip], validators=[Optional(), Length(max=500)],
                           render_kw={"rows": 2})
