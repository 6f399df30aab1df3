from __future__ import annotations

from spacy.tokens import Doc

from ..records import DateValue, Event
from ..registry import Registry
from .base import ActorIndex


def extract_events(doc: Doc, registry: Registry, actors: ActorIndex, dates: list[DateValue]) -> list[Event]:
    return []
