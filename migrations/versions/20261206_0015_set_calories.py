"""set calories: kcal burnt in a set on a cardio machine (`10 cal`, `20 min 250 cal`).

- calories SMALLINT NULL on user_exercise_set, CHECK 1..10000;
- the CHECK has_work also accepts a set measured by calories alone (``reps IS NOT NULL OR
  duration_seconds IS NOT NULL OR calories IS NOT NULL``).

SQLite changes the table through batch mode (a table copy); PostgreSQL in place. The downgrade drops the
column; a set that had only calories would break has_work, so those are deleted first (their
performance rows keep their counts, which never included them).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 23:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HAS_WORK = "reps IS NOT NULL OR duration_seconds IS NOT NULL"
HAS_WORK_OR_CALORIES = "reps IS NOT NULL OR duration_seconds IS NOT NULL OR calories IS NOT NULL"
CALORIES_RANGE = "calories IS NULL OR (calories >= 1 AND calories <= 10000)"


def upgrade() -> None:
    with op.batch_alter_table("user_exercise_set") as batch:
        batch.add_column(sa.Column("calories", sa.SmallInteger(), nullable=True))
        batch.drop_constraint("has_work", type_="check")
    with op.batch_alter_table("user_exercise_set") as batch:
        batch.create_check_constraint("has_work", sa.text(HAS_WORK_OR_CALORIES))
        batch.create_check_constraint("calories_range", sa.text(CALORIES_RANGE))


def downgrade() -> None:
    op.execute("DELETE FROM user_exercise_set WHERE reps IS NULL AND duration_seconds IS NULL")
    with op.batch_alter_table("user_exercise_set") as batch:
        batch.drop_constraint("calories_range", type_="check")
        batch.drop_constraint("has_work", type_="check")
    with op.batch_alter_table("user_exercise_set") as batch:
        batch.drop_column("calories")
        batch.create_check_constraint("has_work", sa.text(HAS_WORK))
