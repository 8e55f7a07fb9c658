"""Presentation: every user-facing string, keyboards and formatting. Pure functions, no I/O."""
