"""The audit log, a leaf that every feature calls: `record` adds one entry to the session, flushed and committed
with the change it describes (by the unit of work); `diff` keeps only what changed. It imports no feature."""

from marketplace.audit.models import AuditEntry
from marketplace.extensions import db


def record(actor, action: str, obj, *, region_code: str | None, reason: str = "",
           changes: dict | None = None, label: str = "") -> AuditEntry:
    """Add one audit entry for what actor (a user; None for the CLI) did to obj."""
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
