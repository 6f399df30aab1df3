from __future__ import annotations

from spacy.tokens import Doc

from ..records import DateValue, Statement
from ..registry import Registry
from .base import ActorIndex


def extract_statements(doc: Doc, registry: Registry, actors: ActorIndex, dates: list[DateValue]) -> list[Statement]:
    return []
