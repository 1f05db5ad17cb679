"""Showcases: published ones only, each with the products eligible in it today."""

from marshmallow import Schema, fields, validate

from marketplace.api.schemas.catalog import ProductSchema
from marketplace.api.schemas.common import PageSchema
from marketplace.showcases.models import Phase


class ShowcaseSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    host_region_code = fields.String(required=True, metadata={"description": "The region hosting it (Kemendagri code)"})
    starts_on = fields.Date(required=True, allow_none=True, metadata={"description": "None: a permanent showcase"})
    ends_on = fields.Date(required=True, allow_none=True)
    venue = fields.String(required=True, metadata={"description": "For an event such as an expo; may be empty"})
    event_dates = fields.String(required=True)
    phase = fields.String(required=True, validate=validate.OneOf([Phase.UPCOMING.value, Phase.LIVE.value, Phase.PAST.value]),
                          metadata={"description": "By its window on today's date in Asia/Jakarta"})
    url = fields.Url(required=True, metadata={"description": "The showcase's page"})
    embed_url = fields.Url(required=True, metadata={"description": "The page partner sites may put in an iframe"})
    cover = fields.Url(required=True, allow_none=True, metadata={"description": "Smallest JPEG rendition of the cover"})


class ShowcaseDetailSchema(ShowcaseSchema):
    items = fields.List(fields.Nested(ProductSchema), required=True,
                        metadata={"description": "Its products eligible today, in the curated order"})


class ShowcasePageSchema(PageSchema):
    items = fields.List(fields.Nested(ShowcaseSchema), required=True)
