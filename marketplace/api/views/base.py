"""The API's blueprint and what every endpoint module uses: its arguments are parsed by webargs (a malformed one
is a JSON 400), its answers serialised by marshmallow schemas, and the OpenAPI document is generated from both."""

from collections.abc import Callable

from flask import current_app
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser

from marketplace.api.schemas.common import ErrorSchema, page_count
from marketplace.extensions import db, limiter

DESCRIPTION = """Read-only JSON of Etalase UMKM's public data: only published products of verified businesses, only
published showcases, are ever returned. Lists are paged (`page`, `per_page`); a page beyond the last answers no items
and the true `pages`. Every error, on every /api/ URL, is JSON as `Error` describes. Requests are rate limited per
client address (429). Browsers may call it from the partner regions' sites (CORS, GET only)."""


class _Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400  # a query argument the API cannot use is the client's error, not a 422


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()


class PublicApi(Api):
    ERROR_SCHEMA = ErrorSchema


bp = ApiBlueprint("api", __name__, url_prefix="/api/v1", description="Public, read-only data")
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")(bp)  # all endpoints, one count

# Every endpoint may answer these besides its own statuses (the bodies are ErrorSchema).
COMMON_ERRORS = ((429, "TOO_MANY_REQUESTS"), (500, "INTERNAL_SERVER_ERROR"))


def endpoint(rule: str, schema, *, not_found: bool = False):
    """The one way to add an endpoint: `@endpoint("/things/<slug>", ThingSchema, not_found=True)` above a view
    that returns plain data (dicts or objects the schema reads). Documents the answer's schema, 404 when asked, and
    the errors every endpoint may give. Query arguments: add `@bp.arguments(ArgsSchema, location="query")` below."""

    def decorate(view: Callable) -> Callable:
        view = bp.response(200, schema)(view)
        if not_found:
            view = bp.alt_response(404, response="NOT_FOUND")(view)
        for status, name in COMMON_ERRORS:
            view = bp.alt_response(status, response=name)(view)
        return bp.route(rule, methods=["GET"])(view)

    return decorate


def page_of(stmt, args: dict, serialise: Callable | None = None) -> dict:
    """One page of a select as PageSchema's envelope (`args`: PageArgs' page and per_page). Two queries: the count
    and the page. Beyond the last page: no items, the page asked and the true number of pages."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(db.select(db.func.count()).select_from(stmt.order_by(None).subquery()))
    rows = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page))) if total else []
    return {"items": [serialise(row) for row in rows] if serialise else rows, "total": total, "page": page,
            "pages": page_count(total, per_page), "page_size": per_page}


def page_of_list(items: list, args: dict, serialise: Callable) -> dict:
    """page_of for a list a feature's query already gives (short lists, such as the upcoming events)."""
    page, per_page = args["page"], args["per_page"]
    shown = items[(page - 1) * per_page:page * per_page]
    return {"items": [serialise(item) for item in shown], "total": len(items), "page": page,
            "pages": page_count(len(items), per_page), "page_size": per_page}
