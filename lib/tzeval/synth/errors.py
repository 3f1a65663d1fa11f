"""The error raised when the data or the specification cannot support a synthetic control."""

from __future__ import annotations


class SyntheticControlInputError(ValueError):
    """The panel or the specification is unusable; the message names what and where."""
