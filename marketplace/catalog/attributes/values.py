"""Checking a typed attribute value against its attribute, and showing a stored one in the reader's language.

Stored values are text in one canonical form per kind: a choice is its option's code, a number "1500" or "2.5", a
date ISO "2026-03-01", text and identifiers as typed (trimmed)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l

from marketplace.catalog.attributes.models import AttributeKind, AttributeOption, CategoryAttribute

MAX_LENGTH = 200
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class AttributeValueError(ValueError):
    """A typed value that breaks its attribute's kind or format; .message says why in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def parse_number(text: str) -> Decimal | None:
    """A number written the Indonesian way (1.500 / 2,5) or the English way (1500 / 2.5); None when it is not one."""
    text = text.replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif _THOUSANDS.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"\d{1,12}(\.\d{1,4})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above already refuses what Decimal would
        return None


def canonical_number(number: Decimal) -> str:
    """'1500', '2.5': no exponent, no trailing zeros."""
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_date(text: str) -> date | None:
    match = _DAY_MONTH_YEAR.match(text)
    try:
        if match:
            day, month, year = map(int, match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def option_for(attribute: CategoryAttribute, text: str) -> AttributeOption | None:
    """The option a value names, by code or by either label (case-insensitive)."""
    wanted = text.strip().casefold()
    for option in attribute.options:
        if wanted in (option.code.casefold(), option.label_id.casefold(), option.label_en.casefold()):
            return option
    return None


def check_value(attribute: CategoryAttribute, raw: str | None, *, keep: str | None = None) -> tuple[str, AttributeOption | None]:
    """(the value to store, its option for a choice) for a typed value; ("", None) when empty.

    Raises AttributeValueError with a message naming the attribute. keep is the value already stored: a retired option
    a product already has stays acceptable (nothing the owner did not touch is refused)."""
    text = (raw or "").strip()
    if not text:
        return "", None
    if len(text) > MAX_LENGTH:
        raise AttributeValueError(_l("At most %(n)d characters.", n=MAX_LENGTH))
    kind = attribute.kind
    if kind is AttributeKind.CHOICE:
        option = option_for(attribute, text)
        if option is None or (option.retired and option.code != keep):
            raise AttributeValueError(_l("Choose one of the options in the list."))
        return option.code, option
    if kind is AttributeKind.NUMBER:
        number = parse_number(text)
        if number is None:
            raise AttributeValueError(_l("Enter a number, e.g. 250 or 2,5 (without the unit)."))
        return canonical_number(number), None
    if kind is AttributeKind.DATE:
        day = parse_date(text)
        if day is None:
            raise AttributeValueError(_l("Enter a date, e.g. 17-08-2026."))
        return day.isoformat(), None
    if kind is AttributeKind.IDENTIFIER and attribute.pattern and not _matches(attribute.pattern, text):
        if attribute.example:
            raise AttributeValueError(_l("This is not in the right format; it should look like %(example)s.",
                                         example=attribute.example))
        raise AttributeValueError(_l("This is not in the right format."))
    return text, None


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:  # an admin's pattern is checked when saved; an unreadable one refuses nothing
        return True


def shown(attribute: CategoryAttribute, value: str, locale: str) -> str:
    """A stored value as the reader reads it: a choice's label, a number with its unit, a date written out."""
    if attribute.kind is AttributeKind.CHOICE:
        option = next((o for o in attribute.options if o.code == value), None)
        return option.label(locale) if option else value
    if attribute.kind is AttributeKind.NUMBER:
        number = parse_number(value)
        if number is None:  # a value kept from before the attribute was a number
            return value
        text = format_decimal(number, locale=locale)
        unit = attribute.unit(locale)
        return f"{text} {unit}" if unit else text
    if attribute.kind is AttributeKind.DATE:
        day = parse_date(value)
        return format_date(day, "long" if locale == "en" else "d MMMM y", locale=locale) if day else value
    return value
