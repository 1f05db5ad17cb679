"""Small pieces shared by the forms of several features."""

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice

from marketplace.extensions import db
from marketplace.models_base import MAX_ID
from marketplace.phone import normalise_phone
from marketplace.regions.models import Region


class _AppCatalogue:
    """WTForms' own messages ("Not a valid choice.") read from the app's catalogue, where forms_messages.py puts them:
    WTForms ships no Indonesian. Unformatted: WTForms fills in %(min)d and the like itself."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    """The base of every form of the app: FlaskForm (CSRF), with WTForms' messages in the reader's language."""

    class Meta:
        def get_translations(self, form):
            return _AppCatalogue()


def as_integer(value) -> int | None:
    """A whole number (0 to the INTEGER columns' limit) from a form field or query argument, or None for anything else:
    a sign, other digits ("²" is a digit to isdigit() but not to int()), or a number no id or position can be."""
    text = value.strip() if isinstance(value, str) else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def strip(value):
    """WTForms filter: trim surrounding spaces (phones paste numbers with them)."""
    return value.strip() if isinstance(value, str) else value


def region_choices() -> list[SelectChoice]:
    regions = db.session.scalars(db.select(Region).order_by(Region.code)).all()
    return [SelectChoice("", _l("— choose a region —"))] + [SelectChoice(r.code, f"{r.full_name} ({r.code})") for r in regions]


def validate_region_choice(field) -> None:
    if field.data and field.data not in {choice.value for choice in field.choices}:
        raise ValidationError(_l("Choose a region from the list."))


def validate_phone_number(field) -> None:
    """Accept 0812-3456-7890, +62 812…, 812…; keep the normalised 62… form on field.normalised."""
    if field.data:
        normalised = normalise_phone(field.data)
        if normalised is None:
            raise ValidationError(_l("Enter an Indonesian phone number, e.g. 0812-3456-7890."))
        field.normalised = normalised
