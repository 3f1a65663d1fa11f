"""tzeval: a territorial impact evaluation workbook."""

from .dataset import Dataset, UnknownTerritoryError, load_dataset
from .validation import DataValidationError, Violation

__version__ = "0.1.0"

__all__ = ["Dataset", "DataValidationError", "UnknownTerritoryError", "Violation", "load_dataset"]
