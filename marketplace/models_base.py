"""Small pieces shared by the models of every feature."""

import enum
from datetime import UTC, datetime

from flask_babel import LazyString
from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator

MAX_ID = 2**31 - 1  # ids are INTEGER columns: a number from a request above this names no row


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def str_enum(enum_cls: type[enum.StrEnum]) -> Enum:
    """A portable column type storing a StrEnum's values ('buyer'), not its member names."""
    return Enum(
        enum_cls, native_enum=False, length=24, validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members carry their UI label: `DRAFT = "draft", _l("draft")`; `member.label` in templates
    is translated when shown."""

    label: LazyString

    def __new__(cls, value: str, label: LazyString):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
