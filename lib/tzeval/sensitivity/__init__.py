"""Sensitivity analyses: how conclusions change when identifying assumptions are relaxed."""

from .errors import SensitivityInputError
from .from_result import honest_did_from
from .honest import HonestDidResult, honest_did

__all__ = ["HonestDidResult", "SensitivityInputError", "honest_did", "honest_did_from"]
