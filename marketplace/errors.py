"""Error pages, in the user's language, and the one handler of refusals (DomainError)."""

from http import HTTPStatus
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, jsonify, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from marketplace.domain import DomainError
from marketplace.unit_of_work import rollback

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Access denied"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or has been moved.")),
    405: (_l("Method not allowed"), _l("This address cannot be used that way.")),
    409: (_l("Changed at the same moment"), _l("This was changed somewhere else at the same moment, so nothing you sent was "
                                                "saved. Go back, reload the page and try again.")),
    422: (_l("This cannot be done"), _l("The site refused this request. Go back, check what you sent and try again.")),
    413: (_l("File too large"), _l("What you sent is larger than the site accepts. Send smaller files or fewer at once.")),
    429: (_l("Too many attempts"), _l("You have tried too often. Please wait a few minutes and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. It has been logged; please try again later.")),
}


def render_error(code: int, detail: str | None = None):
    """The error page for an HTTP status code."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def for_api() -> bool:
    """Whether the request is for the API, whose every answer, errors included, is JSON (api/schemas/common.py)."""
    return request.path == "/api" or request.path.startswith("/api/")


def json_error(code: int, message: str | None = None, errors: dict | None = None, headers=None):
    """An error of the API as its ErrorSchema describes it: code, status, message and, for a 400, the refused
    arguments."""
    status = HTTPStatus(code) if code in HTTPStatus._value2member_map_ else HTTPStatus.INTERNAL_SERVER_ERROR
    body = {"code": code, "status": status.phrase, "message": message or status.description}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    response.headers.extend(headers or [])
    return response


def _api_http_error(error: HTTPException):
    """An HTTP error of the API (404, 405 with its Allow header, 429, a webargs 400 with the refused arguments)."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    refused = data.get("messages")  # webargs: the query arguments the endpoint's schema refused
    message = "Some query arguments are not valid: see errors." if refused else error.description if code != 500 else None
    return json_error(code, message, refused, headers)


def form_refusal(field, error: DomainError) -> None:
    """Show a refusal beside a form field, the form keeping what was typed. Everything the request changed so far is
    undone first: a refused request changes nothing."""
    rollback()
    field.errors = [*field.errors, str(error.message)] if isinstance(field.errors, list) else [str(error.message)]


def _page_sent_from() -> str | None:
    """The page of this site the request came from (path and query), or None."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    # a path "//evil.example/…" (also as "/\\evil.example" or "/<TAB>/evil.example": browsers drop tabs and newlines
    # in a URL) is another host to a browser, an open redirect (review of wave 2)
    path = parts.path
    if not path.startswith("/") or any(ord(c) < 32 or ord(c) == 127 for c in path) \
            or "\\" in path or path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if for_api():
            return json_error(400, str(error.description))
        return render_error(400, str(_l("The form has expired or was sent from another page. Please reload it and send it again.")))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if for_api():
            return _api_http_error(error)
        code = error.code or 500
        if code not in MESSAGES:
            return error
        return render_error(code)

    @app.errorhandler(DomainError)
    def refused(error: DomainError):
        """A service refused (the unit of work has rolled back everything of the request). A form sent from a page
        of this site goes back to that page with the message; anything else gets the error page with the message.
        A lost race (two tabs, a double click) is an AlreadyDecided, found by the wapiti scan (docs/SECURITY.md)."""
        if for_api():
            return json_error(error.status, str(error.message))
        back = _page_sent_from()
        if request.method == "POST" and error.status != 404 and back:
            flash(str(error.message), "error")
            return redirect(back)
        return render_error(error.status, str(error.message) if error.status != 404 else None)

    @app.errorhandler(500)
    def server_error(error):
        from marketplace.extensions import db

        try:
            db.session.rollback()
            if for_api():
                return json_error(500)
            return render_error(500)
        except SQLAlchemyError:
            # The database is away (a restart, an outage): the page itself asks it for the account in the menu and
            # its unread counts. Show the page as to a visitor instead of gunicorn's bare 500 (docs/PERFORMANCE.md).
            current_app.logger.warning("error page without the database", exc_info=True)
            db.session.remove()
            g._login_user = current_app.login_manager.anonymous_user()  # what flask_login.current_user returns
            return json_error(500) if for_api() else render_error(500)
