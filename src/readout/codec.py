"""An ``Outcome`` (what a worker hands the writer: a document and its analysis, or why it failed,
or the gate's reason for not parsing it) as JSON and back, exactly: ``decode(encode(o)) == o``.

``analyze-corpus`` keeps outcomes in its Parquet shards in this form, and ``ingest`` of a shard
folder writes them as it writes the outcomes that come back from worker processes. It is not
``Analysis.to_dict()``, the public ``readout.analysis/1`` shape made for people and programs
(which leaves out the text and the span texts): this one is the records' own fields, read back
into the same dataclasses by their type annotations, so it follows the records as they change
with no second list of fields to keep. Plain JSON, not pickle: a shard folder handed over by
someone else cannot run code when it is loaded.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, Literal, Union

from . import pipeline
from .records import Document


class WorkerError(Exception):
    """An error of a worker or of a shard, carried as its code and message (the original class
    may not survive pickling, and a shard keeps only these)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        return (WorkerError, (self.code, self.message))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkerError) and (self.code, self.message) == (other.code, other.message)

    def __hash__(self) -> int:
        return hash((self.code, self.message))


def portable(o: pipeline.Outcome) -> pipeline.Outcome:
    """The outcome with its error (if any) as a ``WorkerError``: what crosses processes and
    what a shard keeps."""
    if o.error is None or isinstance(o.error, WorkerError):
        return o
    return dataclasses.replace(o, error=error_of(o.error))


def error_of(error: Exception) -> WorkerError:
    """Any error as a ``WorkerError`` with the code and message the failures table records."""
    code = getattr(error, "code", "extractor_error")
    message = getattr(error, "message", None) or f"{type(error).__name__}: {error} (a bug in readout: please report it)"
    return WorkerError(str(code), " ".join(str(message).split()))


# ------------------------------------------------------------------ to plain values
def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, WorkerError):
        return {"code": value.code, "message": value.message}
    return value


def encode(outcome: pipeline.Outcome) -> str:
    """The outcome as one line of JSON (errors as their code and message)."""
    o = portable(outcome)
    # ASCII: a stray surrogate in a field (JSON input may hold one) stays an escape, which any
    # UTF-8 column can store
    return json.dumps(_plain(o), ensure_ascii=True, separators=(",", ":"), allow_nan=True)


def encode_document(document: Document) -> str:
    return json.dumps(_plain(document), ensure_ascii=True, separators=(",", ":"), sort_keys=True)


# ------------------------------------------------------------------ back, by annotations
@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(tp: Any, value: Any) -> Any:
    if value is None or tp is Any:
        return value
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) == 1:
            return _build(options[0], value)
        return value  # a union of plain types (str | int): JSON kept it as it was
    if origin is Literal:
        return value
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_build(item, v) for v in value]
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value, strict=True))
    if origin is dict:
        _, item = typing.get_args(tp)
        return {k: _build(item, v) for k, v in value.items()}
    if tp is Exception:
        return WorkerError(str(value["code"]), str(value["message"]))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{f.name: _build(hints[f.name], value[f.name]) for f in dataclasses.fields(tp) if f.name in value})
    if tp is float and isinstance(value, int):
        return float(value)
    return value


def decode(text: str) -> pipeline.Outcome:
    """The ``Outcome`` that ``encode`` wrote."""
    return typing.cast(pipeline.Outcome, _build(pipeline.Outcome, json.loads(text)))


def decode_document(text: str) -> Document:
    return typing.cast(Document, _build(Document, json.loads(text)))
