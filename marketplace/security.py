"""What every request and response goes through: hostile input made harmless before any view reads it, security
headers, and no caching of anything a logged-in user is shown.

Input (docs/SECURITY.md, finding 5): no query argument, form field, header or path segment may cost a 5xx.
- Query arguments and form fields are read through `CleanParameters`: the control characters no keyboard types (NUL,
  escape, ...; tab and line breaks stay) are dropped from names and values, so they never reach the database
  (PostgreSQL refuses a NUL in text), a page, a CSV or mail. Nothing visible that was typed is lost.
- A header with a control character is answered 400 (gunicorn refuses them too; this holds under any server).
- Path segments with a control character match no route (404), and an `<int:...>` above the ids' INTEGER range is
  no id (404), instead of a query that fails.
- Redirects that keep the query string append it (`with_query`) instead of passing it to url_for, where `?slug=`,
  `?endpoint=` or `?_method=` would collide with url_for's own arguments.
"""

import re
from collections.abc import Iterable
from urllib.parse import urlencode

from flask import Flask, Request, Response, abort, current_app, g, request, session
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter, UnicodeConverter

from marketplace.models_base import MAX_ID

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
# C0 controls but tab, LF and CR (textareas send line breaks), and DEL
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# what a header value may not hold (RFC 9110 5.5; gunicorn's own rule): tab is the one control allowed
HEADER_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
NO_CONTROL_CHARACTERS = r"[^/\x00-\x1f\x7f]"
# the same bytes for everyone, cached by their own rules (assets.py, media/views.py): never made no-store
PUBLIC_FILES = {"static", "media.file"}


def allow_framing_by(origins: list[str]) -> None:
    """Let this one response be framed by the given origins (embeddable pages only)."""
    g.frame_ancestors = origins


def with_query(url: str, keep: Iterable[str] | None = None) -> str:
    """url followed by the current request's query arguments (only those named in keep, when given)."""
    args = [(name, value) for name, value in request.args.items(multi=True) if keep is None or name in keep]
    return f"{url}?{urlencode(args)}" if args else url


def _clean(value):
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict):
    """Query arguments and form fields without control characters (uploaded files are left as they are)."""

    def __init__(self, mapping=None):
        super().__init__([(_clean(name), _clean(value)) for name, value in iter_multi_items(mapping or ())])


class CleanRequest(Request):
    parameter_storage_class = CleanParameters


class IdConverter(IntegerConverter):
    """`<int:...>`: an id fits the INTEGER columns; a larger number names nothing (404, not an overflow)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False):
        super().__init__(map, fixed_digits, min, max, signed)


class TextConverter(UnicodeConverter):
    """`<name>`: one path segment without control characters."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = None, length: int | None = None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", NO_CONTROL_CHARACTERS, 1)


def register_input(app: Flask) -> None:
    """How requests are read. Called before any blueprint adds its rules, which take their converters when added."""
    app.request_class = CleanRequest
    app.url_map.converters.update(default=TextConverter, string=TextConverter, int=IdConverter)

    @app.before_request
    def refuse_control_characters_in_headers():
        if any(HEADER_CONTROL_CHARACTERS.search(value) for value in request.headers.values()):
            abort(400)


def _to_logged_in_user() -> bool:
    """Whether the response goes to someone logged in (or coming back with a remember cookie), without a query."""
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        return True
    return "_user_id" in session or current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


def register(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        ancestors = " ".join(g.get("frame_ancestors") or []) or "'none'"
        response.headers.setdefault("Content-Security-Policy", CSP.format(ancestors=ancestors))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if ancestors == "'none'":
            response.headers["X-Frame-Options"] = "DENY"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response

    @app.after_request
    def never_store_what_a_logged_in_user_sees(response: Response) -> Response:
        """ASVS 8.2.1 (finding 7): no browser or proxy cache keeps a page, a redirect, an error page or a file that
        a logged-in user was sent. Visitors' pages keep their caching, and so do static files and renditions."""
        if ((request.endpoint in PUBLIC_FILES and response.status_code in (200, 304))
                or "no-store" in (response.headers.get("Cache-Control") or "")):
            return response
        if _to_logged_in_user():
            response.headers["Cache-Control"] = "no-store"
        return response
