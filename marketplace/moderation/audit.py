"""Writing the audit log: one entry per staff or admin action, committed with the change it describes."""

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.moderation.models import AuditEntry


def record(actor: User | None, action: str, obj, *, region_code: str | None, reason: str = "",
           changes: dict | None = None, label: str = "") -> AuditEntry:
    """Add one audit entry to the session (committed with the change it describes)."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None, actor_email=actor.email if actor else "cli",
        actor_role=actor.role.value if actor else "system", action=action, object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "id", None), object_label=label or getattr(obj, "name", "")[:200],
        region_code=region_code, reason=reason.strip(), changes=changes or {},
    )
    db.session.add(entry)
    return entry


def diff(before: dict, after: dict) -> dict:
    """Only the fields that changed, as field -> [before, after]."""
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}
