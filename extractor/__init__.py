"""extractor: raw job-posting text in, a validated ``JobPosting`` record out."""

from typing import TYPE_CHECKING, Any

from extractor._version import __version__
from extractor.errors import (
    BinaryInputError,
    CassetteMissError,
    EmptyInputError,
    ExtractionError,
    InputTooLargeError,
    InvalidInputError,
    LocalModelError,
    NotAJobPostingError,
    OutputValidationError,
    OverloadedError,
    ProviderError,
    ProviderUnavailableError,
    ServiceTimeoutError,
    WorkerError,
)

# The rest is imported on first use (PEP 562): `import extractor` and `extractor --help` do not
# pay for the HTTP client, the rules' libraries or the record's date parser until they are needed.
_LAZY = {
    "aextract_many": "extractor.batch",
    "extract_many": "extractor.batch",
    "Settings": "extractor.config",
    "Extraction": "extractor.pipeline",
    "Extractor": "extractor.pipeline",
    "extract": "extractor.pipeline",
    "extract_all": "extractor.pipeline",
    "EmploymentType": "extractor.record",
    "JobPosting": "extractor.record",
    "Location": "extractor.record",
    "Period": "extractor.record",
    "Salary": "extractor.record",
    "Seniority": "extractor.record",
    "WorkplaceType": "extractor.record",
    "Usage": "extractor.usage",
}

if TYPE_CHECKING:
    from extractor.batch import aextract_many, extract_many
    from extractor.config import Settings
    from extractor.pipeline import Extraction, Extractor, extract, extract_all
    from extractor.record import EmploymentType, JobPosting, Location, Period, Salary, Seniority, WorkplaceType
    from extractor.usage import Usage


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "BinaryInputError",
    "CassetteMissError",
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
    "OverloadedError",
    "Period",
    "ProviderError",
    "ProviderUnavailableError",
    "Salary",
    "Seniority",
    "ServiceTimeoutError",
    "Settings",
    "Usage",
    "WorkerError",
    "WorkplaceType",
    "__version__",
    "aextract_many",
    "extract",
    "extract_all",
    "extract_many",
]
