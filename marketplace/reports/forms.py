"""The region's service standard for moderation."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from marketplace.forms_common import Form


class StandardForm(Form):
    hours = IntegerField(_l("Hours from a product's submission to a decision"),
                         validators=[InputRequired(_l("Enter a number of hours.")),
                                     NumberRange(1, 24 * 60, _l("Between 1 and 1440 hours."))])
