"""Errors readout raises. Each has a stable ``code``, an HTTP status where one applies, and a
message that says what to do. The CLI prints ``error: message`` on one line and exits with the
error's ``exit_code``; it never shows a traceback for these. ``to_dict()`` is the one JSON
error shape (``{"error": {"code", "message", ...}}``) for programs and, later, the HTTP API."""

from __future__ import annotations

from typing import Any


class ReadoutError(Exception):
    code = "readout_error"
    http_status = 500
    exit_code = 1

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.details}}


class InputError(ReadoutError):
    """The input cannot be read as a document (missing, empty, binary, too short...)."""

    code = "bad_input"
    http_status = 400
    exit_code = 2


class FileMissingError(InputError):
    code = "file_missing"
    http_status = 404


class EmptyInputError(InputError):
    code = "empty_input"


class BinaryInputError(InputError):
    code = "binary_input"


class NotEnglishError(InputError):
    code = "not_english"


class TooLargeError(InputError):
    code = "too_large"
    http_status = 413


class UnsupportedFormatError(InputError):
    code = "unsupported_format"
    http_status = 415


class MalformedRecordError(InputError):
    code = "malformed_record"


class OptionError(ReadoutError):
    """A command-line option or API argument has a bad value (a date that is not a date)."""

    code = "bad_option"
    http_status = 400
    exit_code = 2


class RegistryError(ReadoutError):
    """A knowledge file is invalid; the message names the file and line."""

    code = "bad_registry"
    exit_code = 3


class ModelError(ReadoutError):
    """The spaCy pipeline is missing or not usable."""

    code = "model_missing"
    exit_code = 4


class StoreError(ReadoutError):
    """The database is missing, not a readout database, or cannot be written."""

    code = "bad_store"
    exit_code = 5


class NotFoundError(OptionError):
    """What was asked for (an engagement, a channel, a document, an actor) is not in the store;
    an ``OptionError`` for the CLI (exit 2), a 404 over HTTP."""

    code = "not_found"
    http_status = 404


class AuthError(ReadoutError):
    """An HTTP request that needs the ``READOUT_TOKEN`` bearer token came without it, or with
    another."""

    code = "unauthorized"
    http_status = 401
    exit_code = 2


class ForbiddenError(ReadoutError):
    """An HTTP request for something the server was not started to allow (ingest without
    ``--allow-ingest``)."""

    code = "forbidden"
    http_status = 403
    exit_code = 2
