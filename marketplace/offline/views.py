"""The offline product form's server side: the service worker's script, a fresh CSRF token before a replay, and
one photo uploaded on its own (JSON answers; the form itself is the catalogue's, which honours the idempotency key).
"""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.media.backend import StorageError
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.services import UploadQuotaReached
from marketplace.offline import services
from marketplace.unit_of_work import rollback

bp = Blueprint("offline", __name__)
# the owner's product form pages the service worker keeps for offline use (catalog.new_product, catalog.edit_product)
FORM_PAGES = [r"^/my/businesses/\d+/products/new$", r"^/my/products/\d+/edit$"]


def offline_urls() -> dict:
    """The URLs the queue's script needs (offline-queue.js), for the form page and the service worker."""
    return {"token": url_for("offline.csrf_token"), "photo": url_for("offline.upload_photo"),
            "login": url_for("accounts.login"), "static": url_for("static", filename="")}


@bp.route("/sw.js")
def service_worker():
    """The service worker, at the site's root so that its scope can cover the form pages; revalidated on every
    visit (no-cache), so a new version is picked up at once."""
    body = render_template(
        "offline/sw.js", form_pages=FORM_PAGES, logout=url_for("accounts.logout"), urls=offline_urls(),
        scripts=[url_for("static", filename="vendor/idb-keyval-6.3.0/umd.js"),
                 url_for("static", filename="js/offline-queue.js")],
    )
    return current_app.response_class(body, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})


@bp.route("/my/csrf-token")
@login_required
def csrf_token():
    """A CSRF token for the logged-in user's session (a queued form is replayed with a fresh one), and the user's id,
    so a shared phone replays only what this user queued."""
    return {"csrf_token": generate_csrf(), "user_id": current_user.user.id}


@bp.route("/my/photos", methods=["POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def upload_photo():
    """One photo of a product form, staged under its client key (field `key`); the form then names it in its
    `staged` field. 201 when staged now, 200 when a retry finds it staged already, 4xx/5xx with the reason."""
    key = services.parse_key(request.form.get("key"))
    upload = request.files.get("photo")
    if key is None or upload is None or not upload.filename:
        return {"error": "a photo and its key are required"}, 400
    try:
        photo, new = services.stage_photo_once(current_user.user, key,
                                               upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1))
    except (ImageRejected, UploadQuotaReached, StorageError) as error:
        rollback()  # the key goes back with the refused photo: a retry is a new try
        return {"error": str(error.message)}, error.status
    return {"id": photo.id, "key": key}, 201 if new else 200
