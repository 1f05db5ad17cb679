"""Locale choice and the display helpers for money and dates."""

from datetime import date, datetime
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    """?lang= wins (and is remembered), then the session, then the user's choice, then Indonesian."""
    if not has_request_context():  # CLI and background work: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    requested = request.args.get("lang")
    if requested in languages:
        session["lang"] = requested
        return requested
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def rupiah(amount: int | None) -> str:
    """Whole Rupiah with dot thousands: 150000 -> 'Rp 150.000'."""
    if amount is None:
        return ""
    return "Rp " + f"{int(amount):,}".replace(",", ".")  # what format_decimal(locale="id") gives, 24 times a page faster


def long_date(value: date | datetime | None, locale: str | None = None) -> str:
    """A date as people write it: '17 Agustus 2025' in Indonesian, 'August 17, 2025' in English."""
    if value is None:
        return ""
    loc = locale or str(get_locale() or "id")
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y", tzinfo=current_app.config["BABEL_DEFAULT_TIMEZONE"], locale=loc)
    return format_date(value, "long" if loc == "en" else "d MMMM y", locale=loc)


def date_time(value: datetime | None, locale: str | None = None) -> str:
    """A moment with its date and time in Asia/Jakarta: '17 Agustus 2025 14.05 WIB', 'August 17, 2025, 14:05 WIB'."""
    if value is None:
        return ""
    loc = locale or str(get_locale() or "id")
    pattern = "MMMM d, y, HH:mm" if loc == "en" else "d MMMM y HH.mm"
    return format_datetime(value, pattern, tzinfo=current_app.config["BABEL_DEFAULT_TIMEZONE"], locale=loc) + " WIB"


def lang_url(code: str) -> str:
    """The current URL with ?lang= set to code, keeping the other query arguments."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.script_root + request.path + "?" + urlencode([*args, ("lang", code)])


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["rupiah"] = rupiah
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_time"] = date_time
    app.jinja_env.globals["lang_url"] = lang_url
    app.jinja_env.globals["get_locale"] = get_locale
