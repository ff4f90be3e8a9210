"""Every error extractor raises, as one tree.

    ExtractionError
    ├── InvalidInputError          the text cannot be sent to a model at all
    │   ├── EmptyInputError        empty or whitespace only
    │   ├── BinaryInputError       bytes that are not text (NUL bytes, undecodable)
    │   └── InputTooLargeError     longer than the configured limit
    ├── NotAJobPostingError        the model read the text and found no job posting in it
    ├── ProviderError              the model endpoint failed
    │   └── ProviderUnavailableError  transport failures that outlasted every retry
    ├── OutputValidationError      the model's answer failed validation after every re-ask
    ├── LocalModelError            the embedded model cannot be installed, verified or started
    ├── WorkerError                a batch's worker process ended before finishing the text
    ├── ServiceTimeoutError        extractor serve: the extraction outlasted the request's timeout
    ├── OverloadedError            extractor serve: every model slot is busy and the queue is full
    └── CassetteMissError          a replay found no recorded answer for a request

Catch ``ExtractionError`` to handle them all. ``str(error)`` is a message meant for a person.
``error.usage`` holds the tokens spent before the failure (``None`` when no call was made).
``is_retryable(name)`` says whether a batch retries an input that ended with that error on resume.
"""

from __future__ import annotations

from typing import Any


class ExtractionError(Exception):
    """Base class: extraction of one text failed, for the reason the subclass names."""

    usage: Any = None  # extractor.usage.Usage: tokens the failed extraction spent, when it made calls


class InvalidInputError(ExtractionError):
    """The input cannot be extracted from; no model was called."""


class EmptyInputError(InvalidInputError):
    """The input is empty or holds only whitespace."""


class BinaryInputError(InvalidInputError):
    """The input is binary data or bytes that do not decode as text."""


class InputTooLargeError(InvalidInputError):
    """The input is longer than ``max_input_chars``."""


class NotAJobPostingError(ExtractionError):
    """The text is not a job posting (a job seeker's post, an article, ...)."""


class ProviderError(ExtractionError):
    """The model endpoint answered with an error that retrying will not fix."""


class ProviderUnavailableError(ProviderError):
    """The endpoint could not be reached, timed out or kept failing through every retry."""


class OutputValidationError(ExtractionError):
    """The model's output did not validate as a record, even after re-asking."""


class LocalModelError(ExtractionError):
    """The embedded local model is missing, fails its checksum or cannot start."""


class WorkerError(ExtractionError):
    """A batch's worker process died (killed, out of memory) before this text's result was back."""


class ServiceTimeoutError(ExtractionError):
    """The extraction did not finish within the request timeout."""


class OverloadedError(ExtractionError):
    """Every model slot is busy and the queue is full."""


class CassetteMissError(ExtractionError):
    """Replay found no recorded answer for a request: the prompt, schema, model or settings changed."""


# A batch resumed on the same output retries inputs that ended with these: the endpoint being
# down or slow, or a worker dying, says nothing about the input. Every other error is final.
RETRYABLE_ERRORS: tuple[type[ExtractionError], ...] = (ProviderUnavailableError, WorkerError)


def error_class(error_type: str | None) -> type[ExtractionError] | None:
    """The error of the tree recorded by its class name (a result's ``error_type``); None for any other name."""
    kind = globals().get(error_type or "")
    return kind if isinstance(kind, type) and issubclass(kind, ExtractionError) else None


def is_retryable(error_type: str | None) -> bool:
    """Whether an error recorded by its class name (a batch line's ``error.type``) is worth retrying."""
    kind = error_class(error_type)
    return kind is not None and issubclass(kind, RETRYABLE_ERRORS)
