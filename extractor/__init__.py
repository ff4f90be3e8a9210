"""extractor: raw job-posting text in, a validated ``JobPosting`` record out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("extractor")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

from extractor.batch import BatchResult, aextract_many, extract_many
from extractor.config import Settings
from extractor.errors import (
    BinaryInputError,
    EmptyInputError,
    ExtractionError,
    InputTooLargeError,
    InvalidInputError,
    LocalModelError,
    NotAJobPostingError,
    OutputValidationError,
    ProviderError,
    ProviderUnavailableError,
    WorkerError,
)
from extractor.pipeline import Extraction, Extractor, extract
from extractor.record import EmploymentType, JobPosting, Location, Period, Salary, Seniority, WorkplaceType

__all__ = [
    "BatchResult",
    "BinaryInputError",
    "EmploymentType",
    "EmptyInputError",
    "Extraction",
    "ExtractionError",
    "Extractor",
    "InputTooLargeError",
    "InvalidInputError",
    "JobPosting",
    "LocalModelError",
    "Location",
    "NotAJobPostingError",
    "OutputValidationError",
    "Period",
    "ProviderError",
    "ProviderUnavailableError",
    "Salary",
    "Seniority",
    "Settings",
    "WorkerError",
    "WorkplaceType",
    "__version__",
    "aextract_many",
    "extract",
    "extract_many",
]
