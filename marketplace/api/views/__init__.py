"""The API's endpoints, one module per feature on one blueprint (base.py), and the generated OpenAPI document.
Importing this package registers every route; `register(app)` adds the blueprint and serves the document."""

from flask import Flask
from flask_cors import CORS

from marketplace.api.views import catalog, events, impact, showcases, staples
from marketplace.api.views.base import DESCRIPTION, PublicApi, bp

__all__ = ["bp", "catalog", "events", "impact", "register", "showcases", "staples"]


def register(app: Flask) -> None:
    """Serve the endpoints and their OpenAPI document at /api/v1/openapi.json; let the partner origins read them."""
    app.config.update(API_TITLE="Etalase UMKM public API", API_VERSION="1.0.0", OPENAPI_VERSION="3.1.0",
                      OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json")
    api = PublicApi(app, spec_kwargs={"info": {"description": DESCRIPTION}})
    api.register_blueprint(bp)
    # Browsers on the partner regions' sites may GET the API; no cookies are sent or allowed (public data only).
    CORS(app, resources={r"/api/*": {"origins": app.config["API_CORS_ORIGINS"], "methods": ["GET", "HEAD", "OPTIONS"],
                                     "supports_credentials": False, "max_age": 3600}})
