"""Only what pyproject.toml cannot say: the wheel ships migrations/ inside the package, as bot/migrations.

The Alembic revisions stay in migrations/ at the top of the checkout (where `alembic` and the tests expect
them); building a wheel copies them into the package so that an installed `workout-bot migrate` works
without a checkout. An editable install keeps reading them from the checkout.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "migrations"
SHIPPED_SUFFIXES = (".py", ".mako")


class BuildPyWithMigrations(build_py):
    """build_py, plus migrations/ copied to bot/migrations in the build directory."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for path in sorted(SOURCE.rglob("*")):
            if not path.is_file() or path.suffix not in SHIPPED_SUFFIXES or "__pycache__" in path.parts:
                continue
            target = Path(self.build_lib, "bot", "migrations", path.relative_to(SOURCE))
            self.mkpath(str(target.parent))
            self.copy_file(str(path), str(target))


setup(cmdclass={"build_py": BuildPyWithMigrations})
