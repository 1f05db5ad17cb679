"""Products, businesses, regions and categories: the same public data as the pages."""

from marshmallow import Schema, fields, validate

from marketplace.api.schemas.common import PageArgs, PageSchema
from marketplace.businesses.models import BusinessKind, CooperativeKind, SizeClass
from marketplace.catalog.filters import SORTS
from marketplace.catalog.models import Availability
from marketplace.certifications.models import CertType
from marketplace.regions.models import RegionKind


def _choice(enum) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


class ProductArgs(PageArgs):
    """The catalogue's query arguments (as /products takes them), validated: a malformed one is a 400."""

    q = fields.String(validate=validate.Length(max=1000),  # as much as the catalogue page reads
                      metadata={"description": "Search words (Indonesian stemming, typo-tolerant)"})
    region = fields.String(validate=validate.Length(max=5), metadata={"description": "Kemendagri code, e.g. 35.74"})
    category = fields.String(validate=validate.Length(max=80),
                             metadata={"description": "Category slug; includes its subcategories"})
    cert = fields.String(validate=_choice(CertType), metadata={"description": "Products showing this certificate"})
    min_price = fields.Integer(validate=validate.Range(0, 10**12), metadata={"description": "Lowest price, whole Rupiah"})
    max_price = fields.Integer(validate=validate.Range(0, 10**12), metadata={"description": "Highest price, whole Rupiah"})
    sort = fields.String(validate=validate.OneOf(SORTS),
                         metadata={"description": "Default: relevance with `q`, newest without"})


class BusinessRefSchema(Schema):
    name = fields.String(required=True)
    slug = fields.String(required=True)


class ProductSchema(Schema):
    """A public product (published, its business verified) as lists show it."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    url = fields.Url(required=True, metadata={"description": "The product's page"})
    price_min = fields.Integer(required=True, allow_none=True, metadata={"description": "Whole Rupiah"})
    price_max = fields.Integer(required=True, allow_none=True, metadata={"description": "Whole Rupiah"})
    currency = fields.String(required=True, validate=validate.OneOf(["IDR"]))
    unit = fields.String(required=True, metadata={"description": "Unit code, e.g. pcs, kg, lembar"})
    min_order = fields.Integer(required=True)
    availability = fields.String(required=True, validate=_choice(Availability))
    category_id = fields.Integer(required=True)
    region_code = fields.String(required=True, allow_none=True)
    business = fields.Nested(BusinessRefSchema, required=True)
    image = fields.Url(required=True, allow_none=True, metadata={"description": "Smallest JPEG rendition of the cover photo"})
    published_at = fields.DateTime(required=True, allow_none=True)


class ProducedBySchema(Schema):
    """A cooperative's member producer, as far as their recorded consent allows."""

    name = fields.String(required=True, allow_none=True, metadata={"description": "Only when the member agreed"})
    desa = fields.String(required=True, allow_none=True)
    kecamatan = fields.String(required=True, allow_none=True)


class ProductDetailSchema(ProductSchema):
    description = fields.String(required=True)
    attributes = fields.Dict(keys=fields.String(), required=True, metadata={"description": "The category's attributes"})
    produced_by = fields.Nested(ProducedBySchema, required=True, allow_none=True,
                                metadata={"description": "For a cooperative's product: the member who produced it"})


class FacetsSchema(Schema):
    """Counts per value of each filter, each computed with every other active filter but its own."""

    region = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "Region code → products"})
    category = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                           metadata={"description": "Top-level category id → products"})
    cert = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                       metadata={"description": "Certificate type → products"})


class ProductPageSchema(PageSchema):
    items = fields.List(fields.Nested(ProductSchema), required=True)
    facets = fields.Nested(FacetsSchema, required=True)


class BusinessSchema(Schema):
    name = fields.String(required=True)
    slug = fields.String(required=True)
    region_code = fields.String(required=True)
    size_class = fields.String(required=True, validate=_choice(SizeClass), metadata={"description": "PP 7/2021"})
    description = fields.String(required=True)
    kind = fields.String(required=True, validate=_choice(BusinessKind), metadata={"description": "usaha or koperasi"})
    cooperative_kind = fields.String(required=True, allow_none=True, validate=_choice(CooperativeKind))
    url = fields.Url(required=True, metadata={"description": "The business's page"})


class RegionSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Kemendagri code, e.g. 35.74"})
    name = fields.String(required=True, metadata={"example": "Kota Probolinggo"})
    kind = fields.String(required=True, validate=_choice(RegionKind))
    partner = fields.Boolean(required=True, metadata={"description": "Party to an active promotion agreement today"})


class CategorySchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name_id = fields.String(required=True)
    name_en = fields.String(required=True)
    parent_id = fields.Integer(required=True, allow_none=True)
