"""What every endpoint shares: the error body, the paging arguments and the envelope of a page."""

from marshmallow import Schema, fields, validate

from marketplace.paging import MAX_PAGE

MAX_PER_PAGE = 100
PER_PAGE = 24


class ErrorSchema(Schema):
    """Every error of every /api/ URL, whatever its status (400, 404, 405, 429, 500)."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status code", "example": 404})
    status = fields.String(required=True, metadata={"description": "The HTTP status phrase", "example": "Not Found"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for a developer"})
    errors = fields.Dict(keys=fields.String(), metadata={
        "description": "400 only: each refused query argument with its messages, e.g. {\"query\": {\"page\": [...]}}"})


class PageArgs(Schema):
    """The paging arguments of every list: `page` beyond the last page is no error, it answers no items."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE), metadata={
        "description": "Page number, from 1; a page beyond the last answers 200 with no items and the true `pages`"})
    per_page = fields.Integer(load_default=PER_PAGE, validate=validate.Range(1, MAX_PER_PAGE),
                              metadata={"description": "Items per page"})


class PageSchema(Schema):
    """The envelope of one page of a list; a list endpoint subclasses it and declares its `items`."""

    total = fields.Integer(required=True, metadata={"description": "Items matching, on every page together"})
    page = fields.Integer(required=True, metadata={"description": "The page asked for (also beyond the last)"})
    pages = fields.Integer(required=True, metadata={"description": "Number of pages (at least 1)"})
    page_size = fields.Integer(required=True, metadata={"description": "Items per page (the `per_page` asked)"})


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill: at least one, so an empty list is one empty page."""
    return max(1, -(-total // per_page))
