"""Read-side selects for accounts: the admin's list of every account."""

from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload

from marketplace.accounts.models import UNUSABLE_PASSWORD_PREFIX, Role, User
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.paging import PER_PAGE, Page, clamp_page, total_column

# The states an admin filters accounts by; "invited": a staff account whose person has not chosen a password yet.
STATES = ("active", "invited", "deactivated")


def _state(state: str):
    pending = User.password_hash.startswith(UNUSABLE_PASSWORD_PREFIX, autoescape=True)
    return {"active": User.active.is_(True) & ~pending, "invited": User.active.is_(True) & pending,
            "deactivated": User.active.is_(False)}[state]


def user_page(*, q: str = "", role: Role | None = None, region_code: str | None = None, state: str | None = None,
              page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Accounts, newest first, matching q (in the email or the name, any case), role, region and state; each item is
    (user with its region, last login or None). One query.

    The last login is the newest `user.login` audit entry: `user_session` rows go at logout, expiry, deactivation and
    password changes, so they say when an open session was last used, not when the person last logged in. The page's
    ids are chosen first (a CTE with the total), and only their login entries are read."""
    page = clamp_page(page)
    ids = db.select(User.id, total_column())
    if q := " ".join(q.split()).lower():
        ids = ids.where(or_(User.email.contains(q, autoescape=True), func.lower(User.name).contains(q, autoescape=True)))
    if role is not None:
        ids = ids.where(User.role == role)
    if region_code:
        ids = ids.where(User.region_code == region_code)
    if state in STATES:
        ids = ids.where(_state(state))
    chosen = ids.order_by(User.created_at.desc(), User.id.desc()).limit(per_page).offset((page - 1) * per_page).cte("chosen")
    logins = (
        db.select(AuditEntry.object_id, func.max(AuditEntry.created_at).label("at"))
        .where(AuditEntry.action == "user.login", AuditEntry.object_type == "user",
               AuditEntry.object_id.in_(db.select(chosen.c.id)))
        .group_by(AuditEntry.object_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(User, logins.c.at, chosen.c.total)
        .join(chosen, chosen.c.id == User.id)
        .outerjoin(logins, logins.c.object_id == User.id)
        .options(joinedload(User.region))
        .order_by(User.created_at.desc(), User.id.desc())
    ).all()
    return Page(number=page, per_page=per_page, items=[(user, at) for user, at, _ in rows],
                total=rows[0].total if rows else 0)
