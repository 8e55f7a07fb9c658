"""Declarative base: naming convention, a UTC datetime type and reusable column aliases."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored as UTC.

    PostgreSQL keeps it as TIMESTAMP WITH TIME ZONE; SQLite keeps naive UTC text. Either way Python
    only ever sees aware datetimes in UTC, and naive datetimes are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: attach a time zone before storing it")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text, e.g. from a server default read back
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        uuid.UUID: Uuid(),
        datetime: UTCDateTime(),
        date: Date(),
        Decimal: Numeric(10, 3),
        str: Text(),
        int: BigInteger(),
        bool: Boolean(),
    }


# Column aliases shared by the models. Keep them small: a model still says what it means.
uuid_pk = Annotated[uuid.UUID, mapped_column(primary_key=True, default=uuid.uuid4)]
created_ts = Annotated[
    datetime, mapped_column(UTCDateTime(), nullable=False, default=utcnow, server_default=func.now())
]
updated_ts = Annotated[
    datetime,
    mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow, server_default=func.now()),
]
active_flag = Annotated[
    bool, mapped_column(Boolean(), nullable=False, default=True, server_default=text("true"))
]
small_int = Annotated[int, mapped_column(SmallInteger())]
name_100 = Annotated[str, mapped_column(String(100), nullable=False)]

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "String",
    "UTCDateTime",
    "active_flag",
    "created_ts",
    "name_100",
    "small_int",
    "updated_ts",
    "utcnow",
    "uuid_pk",
]
