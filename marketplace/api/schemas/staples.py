"""Staples (bahan pokok): the commodities as reference data, and open posts with their public fields only (never a
contact, nor a member producer beyond their consent)."""

from marshmallow import Schema, fields, validate

from marketplace.api.schemas.catalog import BusinessRefSchema, ProducedBySchema
from marketplace.api.schemas.common import PageArgs, PageSchema
from marketplace.staples.models import DeliveryTerms, Level, Period, PostKind, Transport


def _choice(enum) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


class UnitSchema(Schema):
    code = fields.String(required=True, metadata={"description": "e.g. kg, ton, kuintal, peti, butir"})
    factor = fields.Float(required=True, metadata={"description": "How many base units one of this unit is"})


class GradeSchema(Schema):
    code = fields.String(required=True)
    name_id = fields.String(required=True)
    name_en = fields.String(required=True)
    rank = fields.Integer(required=True, metadata={"description": "Higher is better"})


class ReferenceBandSchema(Schema):
    """The newest government reference price (HAP) of one level, per base unit."""

    level = fields.String(required=True, validate=_choice(Level))
    price_min = fields.Integer(required=True, metadata={"description": "Whole Rupiah per base unit"})
    price_max = fields.Integer(required=True, allow_none=True, metadata={"description": "None: a single price"})
    grade = fields.String(required=True, allow_none=True, metadata={"description": "The grade's code, if any"})
    valid_on = fields.Date(required=True)
    source = fields.String(required=True)


class CommoditySchema(Schema):
    code = fields.String(required=True)
    name_id = fields.String(required=True)
    name_en = fields.String(required=True)
    base_unit = fields.String(required=True, metadata={"description": "The unit prices and volumes are compared in"})
    units = fields.List(fields.Nested(UnitSchema), required=True)
    grades = fields.List(fields.Nested(GradeSchema), required=True, metadata={"description": "Best first"})
    reference_prices = fields.List(fields.Nested(ReferenceBandSchema), required=True)
    url = fields.Url(required=True, metadata={"description": "The commodity's page on the board"})


class CommodityPageSchema(PageSchema):
    items = fields.List(fields.Nested(CommoditySchema), required=True)


class PostArgs(PageArgs):
    commodity = fields.String(validate=validate.Length(max=60), metadata={"description": "A commodity's code"})
    kind = fields.String(validate=_choice(PostKind), metadata={"description": "offer (surplus) or need"})
    region = fields.String(validate=validate.Length(max=5), metadata={"description": "Kemendagri code, e.g. 35.05"})


class PostSchema(Schema):
    """An open post (published, its window not over, its business verified): what the public board shows."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=_choice(PostKind))
    commodity = fields.String(required=True, metadata={"description": "The commodity's code"})
    grade = fields.String(required=True, allow_none=True, metadata={"description": "The grade's code"})
    quantity = fields.Integer(required=True, metadata={"description": "In `unit`, per `period`"})
    unit = fields.String(required=True)
    period = fields.String(required=True, validate=_choice(Period))
    min_lot = fields.Integer(required=True, allow_none=True, metadata={"description": "Offers only, in `unit`"})
    monthly_base = fields.Float(required=True, metadata={"description": "Base units per month"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    price_min = fields.Integer(required=True, allow_none=True, metadata={"description": "Whole Rupiah per `unit`"})
    price_max = fields.Integer(required=True, allow_none=True, metadata={"description": "Whole Rupiah per `unit`"})
    negotiable = fields.Boolean(required=True)
    delivery_terms = fields.String(required=True, validate=_choice(DeliveryTerms))
    transport_by = fields.String(required=True, validate=_choice(Transport))
    region_code = fields.String(required=True)
    business = fields.Nested(BusinessRefSchema, required=True)
    produced_by = fields.Nested(ProducedBySchema, required=True, allow_none=True,
                                metadata={"description": "A cooperative's member producer, as far as they consented"})
    published_at = fields.DateTime(required=True, allow_none=True)


class PostPageSchema(PageSchema):
    items = fields.List(fields.Nested(PostSchema), required=True)
