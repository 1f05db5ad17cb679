"""Decision forms for moderators, the audit filter, and the public report form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from marketplace.audit.actions import OBJECT_LABELS
from marketplace.forms_common import Form, as_integer, strip
from marketplace.moderation.models import ReportReason
from marketplace.notifications.reasons import REASONS, REASONS_FOR, compose

ALL = object()  # a form built without the object's state offers every action


def reason_template_choices(kind: str) -> list[SelectChoice]:
    """The common reasons of one kind of decision (notifications.reasons.REASONS_FOR), by key."""
    return [SelectChoice("", _l("— common reasons —"))] + [SelectChoice(key, REASONS[key]) for key in REASONS_FOR[kind]]


class _DecisionForm(Form):
    """A decision: one of the actions the object's state allows, a common reason of its kind, the moderator's words.
    `offered` (the action values the state allows) narrows what the page shows; any known action is accepted, so a
    decision sent from a page that is out of date meets the service's "already decided" rather than a form error."""

    reason_kind = "product"
    needs_reason: frozenset[str] = frozenset()
    reason_template = SelectField(_l("Common reason"), validate_choice=False)
    reason = TextAreaField(_l("Reason for the owner"), filters=[strip], validators=[Optional(), Length(max=2000)],
                           render_kw={"rows": 3})
    version = HiddenField()

    def __init__(self, *args, offered=ALL, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_template.choices = reason_template_choices(self.reason_kind)
        self.known_actions = {choice.value for choice in self.action.choices}
        if offered is not ALL:
            self.action.choices = [choice for choice in self.action.choices if choice.value in offered]

    def validate_action(self, field):
        if field.data not in self.known_actions:
            raise ValidationError(_l("Choose a decision."))

    @property
    def asks_for_reason(self) -> bool:
        """Whether any action the page offers takes a reason (otherwise the page shows no reason fields)."""
        return any(choice.value in self.needs_reason for choice in self.action.choices)

    @property
    def full_reason(self) -> str:
        """The stored reason: the chosen common reason of this kind (as a key) followed by the moderator's own words."""
        key = self.reason_template.data
        return compose(key if key in REASONS_FOR[self.reason_kind] else None, self.reason.data or "")

    @property
    def seen_version(self) -> int | None:
        return as_integer(str(self.version.data or ""))


def _action(*choices) -> RadioField:
    return RadioField(_l("Decision"), choices=[SelectChoice(value, label) for value, label in choices],
                      validate_choice=False, validators=[InputRequired(_l("Choose a decision."))])


class ProductDecisionForm(_DecisionForm):
    reason_kind = "product"
    needs_reason = frozenset({"request_changes", "reject"})
    action = _action(("approve", _l("Approve and publish")), ("request_changes", _l("Ask for changes")),
                     ("reject", _l("Reject")))


class BusinessRevisionDecisionForm(ProductDecisionForm):
    """The same three decisions as on a product, on an edit of a business's public profile, with its own reasons."""

    reason_kind = "business_revision"


class BusinessDecisionForm(_DecisionForm):
    """Only the move the business's state allows (moderation.services.BUSINESS_ACTIONS) is offered."""

    reason_kind = "business"
    needs_reason = frozenset({"suspend"})
    action = _action(("verify", _l("Verify (NIB and region checked)")), ("suspend", _l("Suspend")),
                     ("reinstate", _l("Reinstate")))


class CertificationDecisionForm(_DecisionForm):
    reason_kind = "certification"
    needs_reason = frozenset({"reject"})
    action = _action(("verify", _l("Verify")), ("reject", _l("Reject")))
    confirm_expired = BooleanField(_l("I have checked it: verify this certificate although it has expired."))


class ReportDecisionForm(_DecisionForm):
    reason_kind = "report"
    needs_reason = frozenset({"dismiss"})
    action = _action(("resolve", _l("Resolved (I acted on it)")), ("dismiss", _l("Dismiss")))


REPORT_REASONS = [SelectChoice(reason.value, reason.label) for reason in ReportReason]


class ReportForm(Form):
    reason = RadioField(_l("What is wrong?"), choices=REPORT_REASONS, validators=[InputRequired(_l("Choose what is wrong."))])
    note = TextAreaField(_l("Details (optional)"), filters=[strip], validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 3})
    website = StringField(render_kw={"autocomplete": "off", "tabindex": "-1"})  # honeypot: people leave it empty


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    # the view fills the actions (a moderator's log holds no admin-only ones) and the regions; an unknown code from an
    # old link finds nothing rather than an error
    action = SelectField(_l("Action"), validate_choice=False)
    object_type = SelectField(_l("Object"), choices=[SelectChoice("", _l("all"))] + [
        SelectChoice(code, label) for code, label in OBJECT_LABELS.items()], validators=[Optional()])
    actor = StringField(_l("Staff email"), filters=[strip], validators=[Optional(), Length(max=254)])
    region = SelectField(_l("Region"), validate_choice=False)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
