"""The coach's forms: holiday mode and archiving for owners; follow-up, nudge, archive and restore for DKUPP."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from marketplace.coach.services import LOGGED_BY_HAND
from marketplace.forms_common import Form, strip


class AwayForm(Form):
    until = DateField(_l("Away until (the last day you cannot answer)"),
                      validators=[InputRequired(_l("Choose the last day you are away."))])


class EmptyForm(Form):
    """A button that only needs its CSRF token (end holiday mode, send a reminder)."""


class OwnerArchiveForm(Form):
    confirm = BooleanField(_l("Yes, this business no longer trades: hide its products from buyers"),
                           validators=[InputRequired(_l("Tick the box to confirm."))])
    reason = TextAreaField(_l("Note (optional)"), filters=[strip], validators=[Optional(), Length(max=1000)],
                           render_kw={"rows": 2})


class FollowUpForm(Form):
    kind = SelectField(_l("What happened"), validators=[InputRequired(_l("Choose what happened."))],
                       choices=[SelectChoice("", "—"), *(SelectChoice(kind.value, kind.label) for kind in LOGGED_BY_HAND)])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})


class StaffArchiveForm(Form):
    reason = TextAreaField(_l("Reason for archiving"), filters=[strip], render_kw={"rows": 2},
                           validators=[InputRequired(_l("Give the reason: what you found out, and how.")),
                                       Length(max=1000)])


class RestoreForm(Form):
    note = TextAreaField(_l("Note (optional)"), filters=[strip], validators=[Optional(), Length(max=1000)],
                         render_kw={"rows": 2})
