"""Pydantic models of the API's request bodies (strict: unknown fields and wrong types are refused)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

Weight = Annotated[Decimal, Field(gt=0, le=10_000, allow_inf_nan=False, max_digits=10, decimal_places=3)]


class SetPatch(BaseModel):
    """PATCH /app/api/sets/{id}: the new values (at least one); the weight in the user's unit."""

    model_config = ConfigDict(extra="forbid")

    weight: Weight | None = None
    reps: Annotated[StrictInt, Field(ge=0, le=100_000)] | None = None
    duration_s: Annotated[StrictInt, Field(ge=0, le=10_000_000)] | None = None

    @model_validator(mode="after")
    def _something(self) -> SetPatch:
        if self.weight is None and self.reps is None and self.duration_s is None:
            raise ValueError("give at least one of weight, reps, duration_s")
        return self


class Assignment(BaseModel):
    """POST /app/api/programs/{id}/assign."""

    model_config = ConfigDict(extra="forbid")

    trainee_id: uuid.UUID
    start_date: date | None = None
