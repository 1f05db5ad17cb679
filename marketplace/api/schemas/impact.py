"""Public impact figures per agreement and party region: aggregates only; a figure counting fewer than 3
businesses is null (suppressed), never its value."""

from marshmallow import Schema, fields


class FigureSchema(Schema):
    value = fields.Integer(required=True, allow_none=True,
                           metadata={"description": "null: suppressed (it counts fewer than 3 businesses)"})
    suppressed = fields.Boolean(required=True)


class RegionFiguresSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Kemendagri code, e.g. 35.74"})
    name = fields.String(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Nested(FigureSchema), required=True,
                          metadata={"description": "Figure key -> value; the keys and their definitions: `definitions`"})


class DeliveredSchema(Schema):
    commodity = fields.String(required=True)
    unit = fields.String(required=True, metadata={"description": "The commodity's base unit"})
    delivered = fields.Nested(FigureSchema, required=True)


class AgreementImpactSchema(Schema):
    key = fields.String(required=True, metadata={"description": "The agreement's stable key (its slug in /impact/<key>)"})
    title = fields.String(required=True)
    url = fields.Url(required=True)
    regions = fields.List(fields.Nested(RegionFiguresSchema), required=True)
    staples_delivered = fields.List(fields.Nested(DeliveredSchema), required=True)


class DefinitionSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    definition = fields.String(required=True)
    counting = fields.String(required=True)


class ImpactSchema(Schema):
    period_from = fields.String(required=True, metadata={"description": "First month (YYYY-MM, Asia/Jakarta)"})
    period_to = fields.String(required=True, metadata={"description": "Last month, included"})
    definitions = fields.List(fields.Nested(DefinitionSchema), required=True)
    agreements = fields.List(fields.Nested(AgreementImpactSchema), required=True)


class ImpactArgs(Schema):
    period_from = fields.String(data_key="from", load_default=None,
                                metadata={"description": "First month, YYYY-MM (default: 11 months before `to`)"})
    period_to = fields.String(data_key="to", load_default=None, metadata={"description": "Last month, YYYY-MM"})
