"""Marshmallow schemas of the API: what each endpoint answers (and takes), one module per feature; the OpenAPI
document at /api/v1/openapi.json is generated from them."""
