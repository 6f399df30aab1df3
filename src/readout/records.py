"""Typed records that the extractors produce and ``Analysis.to_dict()`` serialises.

Every record carries provenance: character offsets into the document text (Python string
offsets), the text itself, the rule that produced it, and a ``reasons`` mapping that says why
a field is empty or uncertain (``{"date": "no publication date: pass --published"}``).

The JSON shape is the contract ``readout.analysis/1`` documented in the README; change it only
by adding keys.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA = "readout.analysis/1"

ActorKind = Literal["person", "organization", "state"]
EngagementKind = Literal["call", "video_call", "meeting", "talks", "summit", "visit"]
StatementKind = Literal["direct", "indirect", "mixed"]
Precision = Literal["day", "month", "year"]
ChannelStatusValue = Literal[
    "held",
    "suspended",
    "agreed_to_resume",
    "expected_to_resume",
    "resumed",
    "requested",
    "declined",
    "established",
]
CHANNEL_STATUSES: tuple[str, ...] = (
    "held",
    "suspended",
    "agreed_to_resume",
    "expected_to_resume",
    "resumed",
    "requested",
    "declined",
    "established",
)
ENGAGEMENT_KINDS: tuple[str, ...] = ("call", "video_call", "meeting", "talks", "summit", "visit")
EngagementStatus = Literal["held", "planned", "proposed", "requested", "declined", "cancelled", "postponed"]
# what happened to an engagement: only a held one took place
ENGAGEMENT_STATUSES: tuple[str, ...] = ("held", "planned", "proposed", "requested", "declined", "cancelled", "postponed")


def content_id(prefix: str, *parts: object) -> str:
    """A short, stable id derived from content: the same inputs always give the same id."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:12]}"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the document text: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    def offsets(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date expression and what it resolves to.

    ``value`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` by ``precision``; when it cannot be
    resolved ``value`` is None and ``reason`` says why. ``relation`` marks expressions such as
    "by the end of 2026" (``by``), "since July" (``since``) or "more than a year" (``duration``).
    """

    value: str | None
    precision: Precision | None
    raw: str
    span: Span | None
    rule: str
    reason: str | None = None
    relation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "precision": self.precision,
            "raw": self.raw,
            "start": self.span.start if self.span else None,
            "end": self.span.end if self.span else None,
            "relation": self.relation,
            "rule": self.rule,
        }
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published,
            "chars": len(self.text),
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    kind: ActorKind
    country: str | None
    sector: str | None
    title: str | None = None
    mentions: list[Span] = field(default_factory=list)
    known: bool = False  # found in the registry
    rule: str = ""
    reasons: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "sector": self.sector,
            "title": self.title,
            "known": self.known,
            "mentions": [m.to_dict() for m in sorted(self.mentions, key=lambda m: m.start)],
            "rule": self.rule,
        }
        if self.reasons:
            out["reasons"] = dict(self.reasons)
        return out


def _date_fields(date: DateValue | None) -> dict[str, Any]:
    if date is None:
        return {"date": None, "date_precision": None, "date_raw": None}
    return {"date": date.value, "date_precision": date.precision, "date_raw": date.raw}


def _reasons(reasons: dict[str, str]) -> dict[str, Any]:
    return {"reasons": dict(reasons)} if reasons else {}


@dataclass(slots=True)
class Engagement:
    id: str
    kind: EngagementKind
    participants: list[str]
    dyad: list[str]
    evidence: list[Span]
    rule: str
    date: DateValue | None = None
    initiator: str | None = None
    medium: str | None = None
    location: str | None = None
    channel: str | None = None
    first_since: DateValue | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    status: EngagementStatus = "held"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            **_date_fields(self.date),
            "participants": list(self.participants),
            "dyad": list(self.dyad),
            "initiator": self.initiator,
            "medium": self.medium,
            "location": self.location,
            "channel": self.channel,
            "first_since": (
                {"date": self.first_since.value, "date_precision": self.first_since.precision,
                 "date_raw": self.first_since.raw}
                if self.first_since
                else None
            ),
            "evidence": [e.to_dict() for e in self.evidence],
            "rule": self.rule,
            **_reasons(self.reasons),
        }


@dataclass(slots=True)
class ChannelStatus:
    id: str
    channel: str
    channel_name: str
    dyad: list[str]
    status: ChannelStatusValue
    evidence: list[Span]
    rule: str
    date: DateValue | None = None
    asserted_by: str | None = None  # actor id
    side: str | None = None  # country code of the asserting side
    generic: bool = False  # named only generically ("military communication channels")
    reasons: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "channel_name": self.channel_name,
            "generic": self.generic,
            "dyad": list(self.dyad),
            "status": self.status,
            **_date_fields(self.date),
            "asserted_by": self.asserted_by,
            "side": self.side,
            "evidence": [e.to_dict() for e in self.evidence],
            "rule": self.rule,
            **_reasons(self.reasons),
        }


@dataclass(slots=True)
class Statement:
    id: str
    kind: StatementKind
    content: str
    content_span: Span
    rule: str
    speaker: str | None = None  # actor id
    speaker_name: str | None = None
    speaker_span: Span | None = None
    side: str | None = None  # country code
    cue: str | None = None
    cue_span: Span | None = None
    addressee: str | None = None  # actor id
    topics: list[str] = field(default_factory=list)
    event_type: str | None = None  # PLOVER type
    event_mode: str | None = None
    engagement: str | None = None  # engagement id
    reasons: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_name": self.speaker_name,
            "speaker_span": self.speaker_span.offsets() if self.speaker_span else None,
            "side": self.side,
            "kind": self.kind,
            "cue": self.cue,
            "cue_span": self.cue_span.offsets() if self.cue_span else None,
            "content": self.content,
            "content_span": self.content_span.offsets(),
            "addressee": self.addressee,
            "topics": list(self.topics),
            "event_type": self.event_type,
            "event_mode": self.event_mode,
            "engagement": self.engagement,
            "rule": self.rule,
            **_reasons(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class Amount:
    value: float
    currency: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "currency": self.currency}


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit}


@dataclass(slots=True)
class Event:
    id: str
    type: str  # PLOVER event type
    evidence: list[Span]
    rule: str
    mode: str | None = None
    cameo: str | None = None
    source: str | None = None  # actor id or country code
    target: str | None = None
    date: DateValue | None = None
    amount: Amount | None = None
    quantity: Quantity | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    # None: asserted (done or going on); "future", "planned", "hypothetical": not happened yet,
    # kept out of the dyad index (reasons["modality"] says which words decided it)
    modality: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = _date_fields(self.date)
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "cameo": self.cameo,
            "modality": self.modality,
            "source": self.source,
            "target": self.target,
            **d,
            "amount": self.amount.to_dict() if self.amount else None,
            "quantity": self.quantity.to_dict() if self.quantity else None,
            "evidence": [e.to_dict() for e in self.evidence],
            "rule": self.rule,
            **_reasons(self.reasons),
        }


@dataclass(slots=True)
class Analysis:
    """Everything readout extracted from one document."""

    document: Document
    actors: list[Actor] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    channel_status: list[ChannelStatus] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    model: str | None = None
    version: str | None = None

    def actor(self, actor_id: str | None) -> Actor | None:
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "readout_version": self.version,
            "model": self.model,
            "document": self.document.to_dict(),
            "actors": [a.to_dict() for a in self.actors],
            "dates": [d.to_dict() for d in self.dates],
            "engagements": [e.to_dict() for e in self.engagements],
            "channel_status": [c.to_dict() for c in self.channel_status],
            "statements": [s.to_dict() for s in self.statements],
            "events": [e.to_dict() for e in self.events],
        }
