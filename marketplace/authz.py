"""The one authorisation mechanism: role decorators here, region- and owner-scoped queries in each feature."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from marketplace.accounts.models import Role


def role_required(*roles: Role):
    """Let the view run only for logged-in users with one of roles; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator

