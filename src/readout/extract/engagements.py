from __future__ import annotations

from spacy.tokens import Doc

from ..records import DateValue, Engagement, Statement
from ..registry import Registry
from .base import ActorIndex


def extract_engagements(doc: Doc, registry: Registry, actors: ActorIndex, dates: list[DateValue]) -> list[Engagement]:
    return []


def link_statements(statements: list[Statement], engagements: list[Engagement]) -> None:
    return None
