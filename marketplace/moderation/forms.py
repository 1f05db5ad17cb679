"""Decision forms for moderators, the audit filter, and the public report form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from marketplace.forms_common import as_integer, strip
from marketplace.moderation.models import ReportReason

REASON_TEMPLATES = [
    _l("The photos are unclear or do not show the product itself."),
    _l("The price is missing or does not match the product."),
    _l("The description is incomplete: add material, size or weight."),
    _l("The product is not allowed on Etalase UMKM."),
    _l("The business is not located in this region."),
    _l("The NIB could not be confirmed in OSS."),
    _l("The certificate number does not match the document."),
]


def reason_template_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("— common reasons —"))] + [SelectChoice(str(i), text) for i, text in enumerate(REASON_TEMPLATES)]


class _DecisionForm(FlaskForm):
    reason_template = SelectField(_l("Common reason"), validate_choice=False)
    reason = TextAreaField(_l("Reason for the owner"), filters=[strip], validators=[Optional(), Length(max=2000)],
                           render_kw={"rows": 3})
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_template.choices = reason_template_choices()

    @property
    def full_reason(self) -> str:
        """The chosen common reason followed by the moderator's own words."""
        template = self.reason_template.data
        number = as_integer(template)
        parts = [str(REASON_TEMPLATES[number])] if number is not None and number < len(REASON_TEMPLATES) else []
        if self.reason.data:
            parts.append(self.reason.data)
        return " ".join(parts)

    @property
    def seen_version(self) -> int | None:
        return as_integer(str(self.version.data or ""))


class ProductDecisionForm(_DecisionForm):
    action = RadioField(_l("Decision"), choices=[
        SelectChoice("approve", _l("Approve and publish")),
        SelectChoice("request_changes", _l("Ask for changes")),
        SelectChoice("reject", _l("Reject")),
    ], validators=[InputRequired(_l("Choose a decision."))])


class BusinessRevisionDecisionForm(ProductDecisionForm):
    """The same three decisions as on a product, on an edit of a business's public profile."""


class BusinessDecisionForm(_DecisionForm):
    action = RadioField(_l("Decision"), choices=[
        SelectChoice("verify", _l("Verify (NIB and region checked)")),
        SelectChoice("suspend", _l("Suspend")),
        SelectChoice("reinstate", _l("Reinstate")),
    ], validators=[InputRequired(_l("Choose a decision."))])


class CertificationDecisionForm(_DecisionForm):
    action = RadioField(_l("Decision"), choices=[
        SelectChoice("verify", _l("Verify")), SelectChoice("reject", _l("Reject")),
    ], validators=[InputRequired(_l("Choose a decision."))])


class ReportDecisionForm(_DecisionForm):
    action = RadioField(_l("Decision"), choices=[
        SelectChoice("resolve", _l("Resolved (I acted on it)")), SelectChoice("dismiss", _l("Dismiss")),
    ], validators=[InputRequired(_l("Choose a decision."))])


REPORT_REASONS = [SelectChoice(reason.value, reason.label) for reason in ReportReason]


class ReportForm(FlaskForm):
    reason = RadioField(_l("What is wrong?"), choices=REPORT_REASONS, validators=[InputRequired(_l("Choose what is wrong."))])
    note = TextAreaField(_l("Details (optional)"), filters=[strip], validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 3})
    website = StringField(render_kw={"autocomplete": "off", "tabindex": "-1"})  # honeypot: people leave it empty


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = StringField(_l("Action"), filters=[strip], validators=[Optional(), Length(max=40)])
    object_type = SelectField(_l("Object"), choices=[
        SelectChoice("", _l("all")), SelectChoice("product", _l("products")), SelectChoice("business", _l("businesses")),
        SelectChoice("certification", _l("certifications")), SelectChoice("report", _l("reports")),
        SelectChoice("agreement", _l("agreements")), SelectChoice("category", _l("categories")), SelectChoice("user", _l("accounts")),
    ], validators=[Optional()])
    actor = StringField(_l("Staff email"), filters=[strip], validators=[Optional(), Length(max=254)])
    region = StringField(_l("Region code"), filters=[strip], validators=[Optional(), Length(max=5)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
