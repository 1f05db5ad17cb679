"""Forms of the showcases: the showcase itself, a nomination, a decision on one."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from marketplace.forms_common import Form, strip


class ShowcaseForm(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(_l("Enter the title.")), Length(max=160)])
    agreement = SelectField(_l("Under the agreement"), validators=[InputRequired(_l("Choose the agreement."))],
                            validate_choice=False)
    host_region = SelectField(_l("Host region"), validate_choice=False)
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 4})
    starts_on = DateField(_l("Starts on (empty: already running)"), validators=[Optional()])
    ends_on = DateField(_l("Ends on (empty: permanent)"), validators=[Optional()])
    venue = StringField(_l("Event venue (optional)"), filters=[strip], validators=[Optional(), Length(max=200)])
    event_dates = StringField(_l("Event dates (optional)"), filters=[strip], validators=[Optional(), Length(max=120)])
    cover = FileField(_l("Cover image (optional)"), render_kw={"accept": "image/*"})
    published = BooleanField(_l("Published (visible to the public in its window)"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date is before the start date."))


class NominateForm(Form):
    showcase = SelectField(_l("Showcase"), validators=[InputRequired(_l("Choose a showcase."))], validate_choice=False)
    pitch = TextAreaField(_l("Why this product? (short)"), filters=[strip], validators=[Optional(), Length(max=500)],
                          render_kw={"rows": 3})


class AddProductForm(Form):
    product_id = HiddenField(validators=[InputRequired()])


class NominationDecisionForm(Form):
    decision = RadioField(_l("Decision"), choices=[SelectChoice("accept", _l("Accept")), SelectChoice("decline", _l("Decline"))],
                          validators=[InputRequired(_l("Choose a decision."))])
    reason = TextAreaField(_l("Reason for the owner"), filters=[strip], validators=[Optional(), Length(max=1000)],
                           render_kw={"rows": 2})
