"""The rate limit of requests that carry files: product photos, business logos, showcase covers, certificate documents.

Every upload route counts against the same two limits (decoding and storing cost the same whoever asks): one per
account (UPLOAD_RATE_LIMIT) and a higher one per client address (UPLOAD_CLIENT_RATE_LIMIT), since owners at a
DKUPP workshop or behind a mobile carrier's shared address come from one. A POST without a file (saving a price,
sending a form again with photos already uploaded) is not counted. How many photos an owner keeps is the media
service's rule (`services.check_upload_quota`), not this one's.
"""

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from marketplace.extensions import limiter


def _carries_no_file() -> bool:
    return not any(upload.filename for _name, upload in request.files.items(multi=True))


def _account() -> str:
    """The key of the per-account limit (before login_required has run: anonymous requests count per address)."""
    return f"user:{current_user.user.id}" if current_user.is_authenticated else get_remote_address()


def upload_rate_limit(view):
    """Decorate an upload route (under @bp.route) with both limits; a breach is the site's 429 page."""
    per_account = limiter.shared_limit(lambda: current_app.config["UPLOAD_RATE_LIMIT"], scope="uploads-account",
                                       key_func=_account, methods=["POST"], exempt_when=_carries_no_file)
    per_client = limiter.shared_limit(lambda: current_app.config["UPLOAD_CLIENT_RATE_LIMIT"], scope="uploads-client",
                                      methods=["POST"], exempt_when=_carries_no_file)
    return per_client(per_account(view))
