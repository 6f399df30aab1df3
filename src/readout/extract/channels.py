from __future__ import annotations

from spacy.tokens import Doc

from ..records import ChannelStatus, DateValue, Engagement
from ..registry import Registry
from .base import ActorIndex


def extract_channel_status(
    doc: Doc, registry: Registry, actors: ActorIndex, dates: list[DateValue], engagements: list[Engagement]
) -> list[ChannelStatus]:
    return []
