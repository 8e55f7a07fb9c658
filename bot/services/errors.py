"""Domain errors: raised by services with a reason a user can read."""

from __future__ import annotations


class DomainError(Exception):
    """Something the user asked for cannot be done; `reason` is safe to show them."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotFound(DomainError):
    """The thing does not exist - or is not the user's (never tell the two apart)."""


class Forbidden(DomainError):
    """The user may not do this."""
