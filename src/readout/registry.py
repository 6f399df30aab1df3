"""Knowledge as data: countries, organizations, people with dated titles, roles, channels,
reporting verbs, topics, sector cues and the PLOVER/CAMEO tables.

The base list of countries comes from ``pycountry`` (ISO 3166-1); everything else lives in the
YAML files of ``readout/data/``. A user adds their own files with ``--registry FILE`` or the
``READOUT_REGISTRY`` environment variable (paths separated by ``os.pathsep``). Every file is a
mapping whose keys are sections (``countries``, ``organizations``, ``people``, ``roles``,
``channels``, ``verbs``, ``cues``, ``topics``, ``sectors``, ``plover``, and the event coder's
``event_triggers``, ``event_words``, ``event_frames``, ``event_governors`` and ``event_modes``),
each a list of entries.
An entry whose ``id`` (or ``code`` for countries) is already known extends it: lists are
merged and scalars replaced; a user's event triggers and cue words are added to the package's
(a trigger already known takes the user's reading). Errors name the file and line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import yaml

from .errors import RegistryError

ENV_REGISTRY = "READOUT_REGISTRY"
SECTORS = ("GOV", "MIL", "DIP", "LEG", "JUD", "COP", "ACA", "MED", "BUS", "NGO", "IGO", "CVL", "PTY", "REB")
LEVELS = ("head_of_state", "ministerial", "chiefs_of_defense", "senior", "theater", "working", "hotline", "generic")
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
SECTIONS = ("countries", "organizations", "people", "roles", "channels", "verbs", "cues", "topics", "sectors", "plover", "terms",
            "event_triggers", "event_words", "event_frames", "event_governors", "event_modes", "gate")
# groups of the ``terms`` section: what a phrase tells the extractors
TERM_GROUPS = {
    "engagement": ("call", "video_call", "meeting", "talks", "summit", "visit"),
    "status": ("held", "suspended", "agreed_to_resume", "expected_to_resume", "resumed", "requested", "declined", "established"),
    "coreference": ("engagement",),
    # what happened to an engagement, read off the words that govern its trigger
    # ("cancelled the talks", "an invitation to meet", "the planned visit"); ``none`` marks words
    # under which no contact is reported ("without talks", "could pick up the phone")
    "engagement_status": ("planned", "proposed", "requested", "declined", "cancelled", "postponed", "none", "hoped"),
    # verbs under which a noun trigger is a contact that takes place ("held talks", "hosted a meeting")
    "engagement_hold": ("held",),
    # verbs whose object is the contact's counterpart ("met Wang Yi", "welcomed Minister Lee")
    "engagement_object": ("counterpart",),
    # nouns and verbs of asking, whose owner is the engagement's initiator ("at the request of X")
    "initiative": ("initiator",),
    "honorific": ("title",),
    # words next to a post (before it, or after it joined by a hyphen) that make it another post
    # or another time than its holder's on the publication date: "the former defense minister",
    # "the shadow defence secretary", "the president-elect" (extract/actors.py leaves it unresolved)
    "role_qualifier": ("before", "after"),
    # words that make a state's name part of a place's ("the Taiwan Strait", "the Sea of Japan")
    "place_feature": ("before", "after"),
    # words for talks that, between two named principals, are a meeting ("held talks with his counterpart")
    "principals_talks": ("meeting",),
    # the people met that make a meeting no contact between states ("met with U.S. forces")
    "not_a_party": ("audience",),
    # words that introduce the heads of delegations of talks named without people
    "delegation": ("head",),
    # how a contact was made, read off the words around a verb ("met virtually", "spoke by phone")
    "medium": ("video", "phone"),
    # modifiers of a trigger that make it no contact ("a port visit"), and purposes that make a
    # trip no bilateral visit ("to attend the conference")
    "not_contact": ("other",),
    "visit_purpose": ("multilateral",),
    # words that make a gathering multilateral, and abstract contact nouns that need holding
    "multilateral": ("gathering",),
    "engagement_weak": ("held",),
    # the furniture of a page: photo credits and captions, site banners (extract/layout.py)
    "layout": ("credit", "caption", "banner"),
    # words that say a channel was not held although a contact word is there: a negation
    # ("seldom used", "held no talks", "without talks"), a courtesy that is no talks ("shook hands"),
    # a modal ("so that leaders can talk")
    "not_held": ("negation", "courtesy", "modal"),
    # prepositions that introduce a party of a sentence ("talks with Japan"); a country under any
    # other is a place or a topic ("drills around Taiwan"), which does not say whose channel it is
    "party": ("preposition",),
}
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# ---------------------------------------------------------------- records of the registry
@dataclass(slots=True)
class Country:
    code: str  # ISO 3166-1 alpha-3
    name: str
    names: list[str] = field(default_factory=list)  # every name, the canonical one first
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)  # words that stand for the government


@dataclass(slots=True)
class Organization:
    id: str
    name: str
    country: str | None
    sector: str | None
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    kind: str = "organization"
    where: tuple[str, int] | None = field(default=None, repr=False, compare=False)  # file, line: for errors


@dataclass(slots=True)
class Title:
    title: str
    role: str | None = None  # a key of the roles section
    org: str | None = None
    start: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    end: str | None = None  # None: still holds it
    where: tuple[str, int] | None = field(default=None, repr=False, compare=False)  # file, line: for errors

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        iso = day.isoformat()
        if self.start and _pad(self.start, low=True) > iso:
            return False
        if self.end and _pad(self.end, low=False) < iso:
            return False
        return True


@dataclass(slots=True)
class Person:
    id: str
    name: str
    country: str | None
    sector: str | None
    aliases: list[str] = field(default_factory=list)
    titles: list[Title] = field(default_factory=list)

    def title_on(self, day: date | None) -> Title | None:
        held = [t for t in self.titles if t.held_on(day)]
        if held:
            return held[0]
        return self.titles[0] if self.titles else None


@dataclass(slots=True)
class Role:
    """A post such as ``defense_minister``: the phrases that name it, and its sector."""

    id: str
    phrases: list[str]
    sector: str | None = None
    level: str | None = None


@dataclass(slots=True)
class Channel:
    id: str
    name: str
    dyad: list[str] | None  # two country codes, sorted; None for a generic channel
    level: str
    medium: str | None = None
    names: dict[str, list[str]] = field(default_factory=dict)  # side code -> names it uses
    aliases: list[str] = field(default_factory=list)  # names used by either side or the press
    generic: bool = False
    description: str | None = None
    # word sets that name the channel loosely: "theater commander" matches "telephone
    # conversations between theatre commanders" (words compared after lemmatising and
    # British/American spelling folding, all within a few words of each other)
    keywords: list[list[str]] = field(default_factory=list)
    # the posts whose holders meet on the channel (roles.yaml ids): a contact between two such
    # holders of the dyad belongs to it when the text names no channel
    roles: list[str] = field(default_factory=list)
    # the umbrella this channel belongs to (a channel of the same dyad): a status of the
    # umbrella applies to it until its own later news
    parent: str | None = None
    # the generic channels (dyad-less wordings such as "military communication channels") whose
    # mentions in a sentence about this channel's dyad mean this channel
    generic_names: list[str] = field(default_factory=list)
    where: tuple[str, int] | None = field(default=None, repr=False, compare=False)  # file, line: for errors

    def all_names(self) -> list[str]:
        out = [self.name, *self.aliases]
        for names in self.names.values():
            out.extend(names)
        return list(dict.fromkeys(out))


@dataclass(slots=True)
class Verb:
    """A reporting verb (lemma) and, where it fits, the PLOVER event a statement cued by it is."""

    lemma: str
    event_type: str | None = None
    event_mode: str | None = None
    strength: float = 1.0  # how surely it reports speech (0.5 for "believe", "think")


@dataclass(slots=True)
class Cue:
    """A cue phrase that introduces a source: "according to", "in a statement"."""

    phrase: str
    kind: str  # "source_follows" (according to X) or "medium" (in a statement)


@dataclass(slots=True)
class Topic:
    id: str
    label: str
    terms: list[str]


@dataclass(slots=True)
class SectorCue:
    """A word in an apposition or title that tells a person's sector ("professor" -> ACA)."""

    term: str
    sector: str


@dataclass(slots=True)
class Term:
    """A word or phrase that signals something to an extractor: an engagement of a kind
    ("video teleconference" -> video_call) or a channel status ("halted" -> suspended).
    ``lemma`` terms match a token's lemma (so "resume", "resumed", "resuming" all match)."""

    group: str
    value: str
    phrase: str
    lemma: bool = False


def term_values(registry: Registry, group: str) -> dict[str, str]:
    """Phrase or lemma (lower case) -> value, for the terms of one group: a lookup for
    extractors that read single words or verb-particle pairs ("call off") off the parse."""
    return _term_values(registry, group)


@dataclass(slots=True)
class PloverType:
    type: str
    score: float
    modes: dict[str, float]
    cameo: str | None  # the CAMEO code to use when no mode-specific one fits
    cameo_modes: dict[str, str]
    quad: str


@dataclass(frozen=True, slots=True)
class TriggerCue:
    """What an event trigger means: a PLOVER type, a mode, and a CAMEO code more specific than
    the default of that type and mode (or None to use the default)."""

    type: str
    mode: str | None = None
    cameo: str | None = None


TRIGGER_KINDS = ("verb", "phrase", "noun", "lifted", "cut")
EVENT_WORD_LISTS = (
    "light_verbs", "cut_verbs", "undo_verbs", "sale_verbs", "carry_on_verbs", "agreement_nouns", "protest_nouns",
    "reporting_verbs", "future_aux", "must_aux", "demand_aux", "hypothetical_aux", "negation_adverbs", "denial_verbs", "future_adjectives",
    "aspect_verbs", "frame_nouns", "generic_event_nouns", "crowd_nouns", "materiel_nouns", "aid_objects", "arms_words",
    "both_sides_words", "news_event_nouns", "war_nouns", "launched_weapons", "news_coerce_verbs", "igo_words",
    "visitor_nouns", "domestic_nouns",
)
EVENT_FRAMES = ("negated", "demanded", "threatened", "alleged", "planned", "halted")
# what a verb that governs an infinitive makes of its event (extract/events.py, _type_verb)
EVENT_GOVERNORS = ("agree", "vow", "reject", "threaten", "request", "future", "aspect", "accuse")
# the types whose mode the coder reads off the words of the event (COERCE: off its object)
EVENT_MODE_TYPES = ("REQUEST", "REJECT", "THREATEN", "ASSAULT", "MOBILIZE", "COERCE")
EVENT_TRIGGERS_FILE = "event_triggers.yaml"


@dataclass(slots=True, eq=False)  # hashed by identity: caches key on the loaded registry
class Registry:
    countries: dict[str, Country] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    verbs: dict[str, Verb] = field(default_factory=dict)
    cues: list[Cue] = field(default_factory=list)
    topics: dict[str, Topic] = field(default_factory=dict)
    sectors: list[SectorCue] = field(default_factory=list)
    plover: dict[str, PloverType] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    # event triggers by kind (verb lemma, (verb, word) phrase, noun, lifted, cut), word lists, frames
    event_triggers: dict[str, dict[Any, TriggerCue]] = field(default_factory=lambda: {k: {} for k in TRIGGER_KINDS})
    event_words: dict[str, frozenset[str]] = field(default_factory=dict)
    event_frames: dict[str, str] = field(default_factory=dict)
    event_governors: dict[str, str] = field(default_factory=dict)
    # type -> word -> (mode, CAMEO code or None), in the order the files give them
    event_modes: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)
    # the gate's own words (gate.yaml): irregular forms of lemmas, and general words for a side
    gate_forms: dict[str, list[str]] = field(default_factory=dict)
    gate_subjects: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # files it was loaded from

    # -------------------------------------------------------------- lookups
    def country(self, code: str | None) -> Country | None:
        return self.countries.get(code) if code else None

    def channels_of(self, dyad: Sequence[str]) -> list[Channel]:
        key = sorted(dyad)
        return [c for c in self.channels.values() if c.dyad == key]

    def umbrella(self, generic: str, dyad: Sequence[str]) -> Channel | None:
        """The channel of ``dyad`` that the knowledge files say a generic channel's wordings
        mean in a sentence about that dyad ("military communication channels" between China and
        the US -> ``chn-usa-military-communication``), or None when they declare none."""
        key = sorted(dyad)
        for c in self.channels.values():
            if generic in c.generic_names and c.dyad == key:
                return c
        return None

    def umbrella_for(self, generic: str, dyad: Sequence[str]) -> Channel:
        """The umbrella of ``dyad`` for a generic channel's wordings: the declared one, else the
        one every dyad has by convention (docs/annotating.md), ``<a>-<b>-<generic id>`` with the
        two codes lower-case and sorted, under the umbrella of the generic channel's parent."""
        declared = self.umbrella(generic, dyad)
        if declared is not None:
            return declared
        key = sorted(c.upper() for c in dyad)
        template = self.channels[generic]
        parent = self.umbrella_for(template.parent, key).id if template.parent and template.parent in self.channels else None
        return Channel(
            id=f"{key[0].lower()}-{key[1].lower()}-{generic}",
            name=f"{key[0]}-{key[1]} {template.name}",
            dyad=key,
            level=template.level,
            generic_names=[generic],
            parent=parent,
            description=f"The {template.name} of {key[0]} and {key[1]}: named only generically; no knowledge file declares it.",
        )

    def channel(self, channel_id: str) -> Channel | None:
        """A channel by id: one of the knowledge files, or a dyad's conventional umbrella
        (``nor-chl``... ``chl-nor-military-communication``) that none declares."""
        found = self.channels.get(channel_id)
        if found is not None:
            return found
        m = re.fullmatch(r"([a-z]{3})-([a-z]{3})-(.+)", channel_id)
        if m is None:
            return None
        a, b, generic = m.group(1).upper(), m.group(2).upper(), m.group(3)
        template = self.channels.get(generic)
        if template is None or not template.generic or a not in self.countries or b not in self.countries or a >= b:
            return None
        return self.umbrella_for(generic, [a, b])

    def ancestors(self, channel: str) -> list[Channel]:
        """The umbrellas a channel belongs to, the nearest first."""
        out: list[Channel] = []
        cur = self.channel(channel)
        while cur is not None and cur.parent and len(out) < len(self.channels):
            cur = self.channel(cur.parent)
            if cur is not None:
                out.append(cur)
        return out

    def members(self, channel: str) -> list[Channel]:
        """The channels directly under an umbrella."""
        return [c for c in self.channels.values() if c.parent == channel]

    def descendants(self, channel: str) -> list[Channel]:
        """Every channel under an umbrella, at any depth, parents before their members."""
        out: list[Channel] = []
        todo = [channel]
        while todo:
            for c in self.members(todo.pop(0)):
                if c not in out:
                    out.append(c)
                    todo.append(c.id)
        return out

    def holders(self, role: str, country: str | None, day: date | None) -> list[Person]:
        """People who held ``role`` (for ``country``) on ``day``."""
        out = []
        for p in self.people.values():
            if country and p.country != country:
                continue
            for t in p.titles:
                if t.role == role and t.held_on(day):
                    out.append(p)
                    break
        return out

    @property
    def fingerprint(self) -> str:
        import hashlib

        h = hashlib.sha1()
        for s in self.sources:
            h.update(s.encode())
        h.update(str(len(self.people)).encode())
        h.update(str(len(self.channels)).encode())
        return h.hexdigest()[:12]


def _pad(d: str, *, low: bool) -> str:
    """'2023' -> '2023-01-01' (low) or '2023-12-31' (high); '2023-05' likewise."""
    if len(d) == 10:
        return d
    if len(d) == 7:
        return d + ("-01" if low else "-31")
    return d + ("-01-01" if low else "-12-31")


# ---------------------------------------------------------------- YAML with line numbers
class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep dates as text: "2023-01" and "2023-01-05" must not turn into date objects.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in _LineLoader.yaml_implicit_resolvers.items()
}


class _Entry:
    """One YAML mapping with its file and line, for error messages."""

    def __init__(self, data: dict[str, Any], source: str, section: str) -> None:
        self.line = data.pop("__line__", 0)
        self.data = data
        self.source = source
        self.section = section
        self.label = ""  # names the entry in errors, where its section's loader sets it ("verb 'snub'")

    def fail(self, message: str) -> RegistryError:
        entry = f"{self.label}: " if self.label else ""
        return RegistryError(
            f"{self.source}:{self.line}: {self.section}: {entry}{message}",
            file=self.source,
            line=self.line,
        )

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def text(self, key: str, *, required: bool = False) -> str | None:
        v = self.data.get(key)
        if v is None:
            if required:
                raise self.fail(f"'{key}' is required")
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str) or not v.strip():
            raise self.fail(f"'{key}' must be a non-empty string, not {v!r}")
        return v.strip()

    def strs(self, key: str) -> list[str]:
        v = self.data.get(key)
        if v is None:
            return []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise self.fail(f"'{key}' must be a list of non-empty strings")
        return [x.strip() for x in v]

    def country(self, key: str, registry: Registry, *, required: bool = False) -> str | None:
        v = self.text(key, required=required)
        if v is None:
            return None
        v = v.upper()
        if v not in registry.countries and v not in ("IGO", "NGO"):
            raise self.fail(f"'{key}': unknown country code {v!r} (use ISO 3166-1 alpha-3, e.g. CHN, USA)")
        return v

    def sector(self, key: str) -> str | None:
        v = self.text(key)
        if v is None:
            return None
        v = v.upper()
        if v not in SECTORS:
            raise self.fail(f"'{key}': unknown sector {v!r} (one of {', '.join(SECTORS)})")
        return v

    def date(self, key: str) -> str | None:
        v = self.text(key)
        if v is None:
            return None
        if not _DATE_RE.match(v):
            raise self.fail(f"'{key}': {v!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        try:  # "2024-13" or "2024-02-30" have the right shape but are no dates
            date.fromisoformat(v if len(v) == 10 else _pad(v, low=True))
        except ValueError:
            raise self.fail(f"'{key}': {v!r} is not a date (month or day out of range)") from None
        return v

    def check_keys(self, allowed: Iterable[str]) -> None:
        unknown = set(self.data) - set(allowed)
        if unknown:
            raise self.fail(f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(allowed))}")


def _read_file(path: Path, label: str) -> Iterator[tuple[str, _Entry]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(f"{label}: registry file not found; check the path given to --registry or {ENV_REGISTRY}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{label}: cannot read registry file ({exc}); save it as UTF-8 YAML") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label}:{mark.line + 1}" if mark else label
        problem = getattr(exc, "problem", None) or str(exc)
        raise RegistryError(f"{where}: invalid YAML: {problem}", file=label) from None
    if data is None:
        return
    if not isinstance(data, dict):
        raise RegistryError(f"{label}:1: a registry file is a mapping of sections ({', '.join(SECTIONS)})", file=label)
    data.pop("__line__", None)
    for section, entries in data.items():
        if section not in SECTIONS:
            line = next((i for i, row in enumerate(text.splitlines(), 1) if row.startswith(f"{section}:")), 1)
            raise RegistryError(f"{label}:{line}: unknown section {section!r}; sections are {', '.join(SECTIONS)}", file=label, line=line)
        if not isinstance(entries, list):
            raise RegistryError(f"{label}: section {section!r} must be a list of entries", file=label)
        for item in entries:
            if not isinstance(item, dict):
                raise RegistryError(f"{label}: {section}: every entry must be a mapping, not {item!r}", file=label)
            yield section, _Entry(dict(item), label, section)


# ---------------------------------------------------------------- section loaders
def _merge_list(old: list[str], new: list[str]) -> list[str]:
    return list(dict.fromkeys([*old, *new]))


def _load_country(e: _Entry, reg: Registry) -> None:
    e.check_keys({"code", "name", "names", "demonyms", "capitals", "metonyms"})
    code = (e.text("code", required=True) or "").upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise e.fail(f"'code' must be an ISO 3166-1 alpha-3 code, not {code!r}")
    c = reg.countries.get(code)
    if c is None:
        name = e.text("name", required=True) or code
        c = reg.countries[code] = Country(code=code, name=name, names=[name])
    elif e.text("name"):
        c.name = e.text("name") or c.name
        c.names = _merge_list([c.name], c.names)
    c.names = _merge_list(c.names, e.strs("names"))
    c.demonyms = _merge_list(c.demonyms, e.strs("demonyms"))
    c.capitals = _merge_list(c.capitals, e.strs("capitals"))
    c.metonyms = _merge_list(c.metonyms, e.strs("metonyms"))


def _load_org(e: _Entry, reg: Registry) -> None:
    e.check_keys({"id", "name", "aliases", "country", "sector", "parent", "kind"})
    oid = e.text("id", required=True) or ""
    old = reg.organizations.get(oid)
    name = e.text("name", required=old is None) or (old.name if old else oid)
    org = Organization(
        id=oid,
        name=name,
        country=e.country("country", reg) or (old.country if old else None),
        sector=e.sector("sector") or (old.sector if old else None),
        aliases=_merge_list(old.aliases if old else [], e.strs("aliases")),
        parent=e.text("parent") or (old.parent if old else None),
        kind=e.text("kind") or (old.kind if old else "organization"),
        where=(e.source, e.line) if e.text("parent") or old is None else old.where,
    )
    reg.organizations[oid] = org


def _load_person(e: _Entry, reg: Registry) -> None:
    e.check_keys({"id", "name", "aliases", "country", "sector", "titles"})
    pid = e.text("id", required=True) or ""
    old = reg.people.get(pid)
    titles: list[Title] = list(old.titles) if old else []
    raw_titles = e.get("titles") or []
    if not isinstance(raw_titles, list):
        raise e.fail("'titles' must be a list of {title, role, org, from, to}")
    for t in raw_titles:
        if not isinstance(t, dict):
            raise e.fail("each title must be a mapping {title, role, org, from, to}")
        te = _Entry(dict(t), e.source, "people.titles")
        te.check_keys({"title", "role", "org", "from", "to"})
        start, end = te.date("from"), te.date("to")
        if start and end and _pad(start, low=True) > _pad(end, low=False):
            raise te.fail(f"title starts ({start}) after it ends ({end})")
        titles.append(Title(title=te.text("title", required=True) or "", role=te.text("role"), org=te.text("org"), start=start, end=end, where=(te.source, te.line)))
    # the current title first, then by start date, latest first
    titles.sort(key=lambda t: (t.end is not None, "" if t.start is None else t.start), reverse=False)
    titles.sort(key=lambda t: _pad(t.start, low=True) if t.start else "0000", reverse=True)
    reg.people[pid] = Person(
        id=pid,
        name=e.text("name", required=old is None) or (old.name if old else pid),
        country=e.country("country", reg, required=old is None) or (old.country if old else None),
        sector=e.sector("sector") or (old.sector if old else None),
        aliases=_merge_list(old.aliases if old else [], e.strs("aliases")),
        titles=titles,
    )


def _load_role(e: _Entry, reg: Registry) -> None:
    e.check_keys({"id", "phrases", "sector", "level"})
    rid = e.text("id", required=True) or ""
    old = reg.roles.get(rid)
    phrases = _merge_list(old.phrases if old else [], e.strs("phrases"))
    if not phrases:
        raise e.fail("'phrases' must list at least one phrase that names the post")
    level = e.text("level")
    if level and level not in LEVELS:
        raise e.fail(f"'level': unknown level {level!r} (one of {', '.join(LEVELS)})")
    reg.roles[rid] = Role(id=rid, phrases=phrases, sector=e.sector("sector") or (old.sector if old else None), level=level or (old.level if old else None))


def _load_channel(e: _Entry, reg: Registry) -> None:
    e.check_keys({"id", "name", "dyad", "level", "medium", "names", "aliases", "generic", "description", "keywords", "roles",
                  "parent", "generic_names"})
    cid = e.text("id", required=True) or ""
    old = reg.channels.get(cid)
    generic = bool(e.get("generic", old.generic if old else False))
    dyad_raw = e.get("dyad")
    dyad: list[str] | None = old.dyad if old else None
    if dyad_raw is not None:
        if not (isinstance(dyad_raw, list) and len(dyad_raw) == 2 and all(isinstance(x, str) for x in dyad_raw)):
            raise e.fail("'dyad' must be a list of two country codes, e.g. [CHN, USA]")
        dyad = sorted(x.upper() for x in dyad_raw)
        for code in dyad:
            if code not in reg.countries:
                raise e.fail(f"'dyad': unknown country code {code!r}")
    if dyad is None and not generic:
        raise e.fail("a channel needs a 'dyad' (or 'generic: true' for a mechanism named without a dyad)")
    level = e.text("level") or (old.level if old else None)
    if level is None:
        raise e.fail("'level' is required")
    if level not in LEVELS:
        raise e.fail(f"'level': unknown level {level!r} (one of {', '.join(LEVELS)})")
    names: dict[str, list[str]] = dict(old.names) if old else {}
    raw_names = e.get("names") or {}
    if not isinstance(raw_names, dict):
        raise e.fail("'names' must map a side's country code to the names it uses")
    raw_names.pop("__line__", None)
    for side, lst in raw_names.items():
        side_code = str(side).upper()
        if side_code not in reg.countries and side_code != "PRESS":
            raise e.fail(f"'names': unknown side {side!r} (a country code, or 'press')")
        if isinstance(lst, str):
            lst = [lst]
        if not isinstance(lst, list) or not all(isinstance(x, str) for x in lst):
            raise e.fail(f"'names.{side}' must be a list of names")
        names[side_code] = _merge_list(names.get(side_code, []), lst)
    reg.channels[cid] = Channel(
        id=cid,
        name=e.text("name", required=old is None) or (old.name if old else cid),
        dyad=dyad,
        level=level,
        medium=e.text("medium") or (old.medium if old else None),
        names=names,
        aliases=_merge_list(old.aliases if old else [], e.strs("aliases")),
        generic=generic,
        description=e.text("description") or (old.description if old else None),
        keywords=(old.keywords if old else []) + [k.lower().split() for k in e.strs("keywords")],
        roles=_merge_list(old.roles if old else [], e.strs("roles")),
        parent=e.text("parent") or (old.parent if old else None),
        generic_names=_merge_list(old.generic_names if old else [], e.strs("generic_names")),
        where=(e.source, e.line),
    )


def _load_verb(e: _Entry, reg: Registry) -> None:
    e.check_keys({"lemma", "lemmas", "event_type", "event_mode", "strength"})
    lemmas = e.strs("lemmas") or [e.text("lemma", required=True) or ""]
    etype = e.text("event_type")
    if etype and etype.upper() not in PLOVER_TYPES:
        raise e.fail(f"'event_type': unknown PLOVER type {etype!r}")
    strength = e.get("strength", 1.0)
    if not isinstance(strength, (int, float)) or not 0 <= strength <= 1:
        raise e.fail("'strength' must be a number between 0 and 1")
    for lemma in lemmas:
        reg.verbs[lemma.lower()] = Verb(lemma=lemma.lower(), event_type=etype.upper() if etype else None, event_mode=e.text("event_mode"), strength=float(strength))


def _load_cue(e: _Entry, reg: Registry) -> None:
    e.check_keys({"phrase", "phrases", "kind"})
    kind = e.text("kind", required=True) or ""
    if kind not in ("source_follows", "medium"):
        raise e.fail("'kind' must be 'source_follows' (according to X) or 'medium' (in a statement)")
    for phrase in e.strs("phrases") or [e.text("phrase", required=True) or ""]:
        reg.cues.append(Cue(phrase=phrase.lower(), kind=kind))


def _load_topic(e: _Entry, reg: Registry) -> None:
    e.check_keys({"id", "label", "terms"})
    tid = e.text("id", required=True) or ""
    old = reg.topics.get(tid)
    terms = _merge_list(old.terms if old else [], e.strs("terms"))
    if not terms:
        raise e.fail("'terms' must list at least one term")
    reg.topics[tid] = Topic(id=tid, label=e.text("label") or (old.label if old else tid), terms=terms)


def _load_sector(e: _Entry, reg: Registry) -> None:
    e.check_keys({"sector", "terms"})
    sector = e.sector("sector")
    if sector is None:
        raise e.fail("'sector' is required")
    for term in e.strs("terms"):
        reg.sectors.append(SectorCue(term=term.lower(), sector=sector))


def _load_plover(e: _Entry, reg: Registry) -> None:
    e.check_keys({"type", "score", "quad", "cameo", "modes"})
    t = (e.text("type", required=True) or "").upper()
    if t not in PLOVER_TYPES:
        raise e.fail(f"'type': unknown PLOVER type {t!r}")
    score = e.get("score")
    if not isinstance(score, (int, float)):
        raise e.fail("'score' must be a number (the PLOVER cooperation-conflict score)")
    modes: dict[str, float] = {}
    cameo_modes: dict[str, str] = {}
    raw_modes = e.get("modes") or []
    for m in raw_modes:
        me = _Entry(dict(m), e.source, "plover.modes")
        me.check_keys({"mode", "score", "cameo"})
        name = me.text("mode", required=True) or ""
        ms = me.get("score")
        modes[name] = float(ms) if isinstance(ms, (int, float)) else float(score)
        if me.text("cameo"):
            cameo_modes[name] = me.text("cameo") or ""
    reg.plover[t] = PloverType(type=t, score=float(score), modes=modes, cameo=e.text("cameo"), cameo_modes=cameo_modes, quad=e.text("quad") or "")


def _load_term(e: _Entry, reg: Registry) -> None:
    e.check_keys({"group", "value", "terms", "lemmas"})
    group = e.text("group", required=True) or ""
    if group not in TERM_GROUPS:
        raise e.fail(f"'group': unknown group {group!r} (one of {', '.join(TERM_GROUPS)})")
    value = e.text("value", required=True) or ""
    if value not in TERM_GROUPS[group]:
        raise e.fail(f"'value': {value!r} is not a value of group {group!r} (one of {', '.join(TERM_GROUPS[group])})")
    phrases, lemmas = e.strs("terms"), e.strs("lemmas")
    if not phrases and not lemmas:
        raise e.fail("give 'terms' (phrases) or 'lemmas' (matched on a token's lemma)")
    reg.terms.extend(Term(group, value, p.lower(), False) for p in phrases)
    reg.terms.extend(Term(group, value, p.lower(), True) for p in lemmas)


_CAMEO_RE = re.compile(r"^\d{2,4}$")


def _event_type(e: _Entry, reg: Registry, t: str, mode: str | None, cameo: str | None) -> None:
    """A PLOVER type and mode of the plover section, and a CAMEO code's shape."""
    if t not in reg.plover:
        raise e.fail(f"'type': {t!r} is not a PLOVER type of the plover section ({', '.join(reg.plover) or 'none loaded'})")
    if mode is not None and mode not in reg.plover[t].modes:
        raise e.fail(f"'mode': {mode!r} is not a mode of {t} in PLOVER ({', '.join(reg.plover[t].modes) or 'it has none'})")
    if cameo is not None and not _CAMEO_RE.match(cameo):
        raise e.fail(f"'cameo': {cameo!r} is not a CAMEO code (two to four digits, quoted: \"163\")")


def _load_event_trigger(e: _Entry, reg: Registry) -> None:
    kinds = [k for k in TRIGGER_KINDS if k in e.data]
    if len(kinds) != 1:
        raise e.fail(f"give exactly one of {', '.join(TRIGGER_KINDS)} (the word that names the event)")
    kind = kinds[0]
    e.label = f"{kind} {e.data.get(kind)!r}"
    e.check_keys({kind, "type", "mode", "cameo"})
    t = (e.text("type", required=True) or "").upper()
    mode = e.text("mode")
    cameo = e.text("cameo")
    _event_type(e, reg, t, mode, cameo)
    if kind == "cut" and (t != "SANCTION" or mode not in ("withdraw", "discontinue")):
        raise e.fail("a 'cut' trigger (ties or help that a verb of cutting ends) is SANCTION with mode withdraw or discontinue")
    key: Any
    if kind == "phrase":
        words = e.strs("phrase")
        if len(words) != 2:
            raise e.fail("'phrase' is [verb, particle, object or preposition]: two words")
        key = (words[0].lower(), words[1].lower())
    else:
        key = (e.text(kind, required=True) or "").lower()
    reg.event_triggers[kind][key] = TriggerCue(t, mode, cameo)


def _load_event_words(e: _Entry, reg: Registry) -> None:
    e.label = f"list {e.data.get('list')!r}"
    e.check_keys({"list", "words"})
    name = e.text("list", required=True) or ""
    if name not in EVENT_WORD_LISTS:
        raise e.fail(f"'list': unknown list {name!r} (one of {', '.join(EVENT_WORD_LISTS)})")
    words = e.strs("words")
    if not words:
        raise e.fail("'words' must list at least one word")
    reg.event_words[name] = reg.event_words.get(name, frozenset()) | {w.lower() for w in words}


def _load_verb_reading(e: _Entry, key: str, allowed: Sequence[str], what: str, table: dict[str, str]) -> None:
    """An entry ``{key: READING, verbs: [...]}`` of a section that maps verbs to one of the
    ``allowed`` readings (event_frames, event_governors)."""
    e.label = f"{key} {e.data.get(key)!r}"
    e.check_keys({key, "verbs"})
    reading = e.text(key, required=True) or ""
    if reading not in allowed:
        raise e.fail(f"'{key}': unknown {what} {reading!r} (one of {', '.join(allowed)})")
    verbs = e.strs("verbs")
    if not verbs:
        raise e.fail("'verbs' must list at least one verb")
    for w in verbs:
        table[w.lower()] = reading


def _load_event_frame(e: _Entry, reg: Registry) -> None:
    _load_verb_reading(e, "frame", EVENT_FRAMES, "frame", reg.event_frames)


def _load_event_governor(e: _Entry, reg: Registry) -> None:
    _load_verb_reading(e, "governs", EVENT_GOVERNORS, "reading", reg.event_governors)


def _load_event_mode(e: _Entry, reg: Registry) -> None:
    e.label = f"mode {e.data.get('mode')!r}"
    e.check_keys({"type", "mode", "cameo", "words"})
    types = [t.upper() for t in e.strs("type")]
    if not types:
        raise e.fail("'type' is required: a PLOVER type, or a list of them")
    mode = e.text("mode", required=True) or ""
    cameo = e.text("cameo")
    for t in types:
        if t not in EVENT_MODE_TYPES:
            raise e.fail(f"'type': the coder reads modes off words for {', '.join(EVENT_MODE_TYPES)} only, not {t!r}")
        _event_type(e, reg, t, mode, cameo)
    words = e.strs("words")
    if not words:
        raise e.fail("'words' must list at least one word")
    for t in types:
        table = reg.event_modes.setdefault(t, {})
        for w in words:
            table[w.lower()] = (mode, cameo)


def _load_gate(e: _Entry, reg: Registry) -> None:
    e.check_keys({"lemma", "forms", "subjects"})
    lemma, forms, subjects = e.text("lemma"), e.strs("forms"), e.strs("subjects")
    if lemma:
        if not forms:
            raise e.fail(f"'forms': give the written forms of {lemma!r} (e.g. said for say)")
        reg.gate_forms[lemma.lower()] = _merge_list(reg.gate_forms.get(lemma.lower(), []), [f.lower() for f in forms])
    elif subjects:
        reg.gate_subjects = _merge_list(reg.gate_subjects, [s.lower() for s in subjects])
    else:
        raise e.fail("give 'lemma' with its 'forms', or 'subjects'")


_LOADERS = {
    "countries": _load_country,
    "organizations": _load_org,
    "people": _load_person,
    "roles": _load_role,
    "channels": _load_channel,
    "verbs": _load_verb,
    "cues": _load_cue,
    "topics": _load_topic,
    "sectors": _load_sector,
    "plover": _load_plover,
    "terms": _load_term,
    "event_triggers": _load_event_trigger,
    "event_words": _load_event_words,
    "event_frames": _load_event_frame,
    "event_governors": _load_event_governor,
    "event_modes": _load_event_mode,
    "gate": _load_gate,
}
# countries first: other sections refer to them
_ORDER = {s: i for i, s in enumerate(("countries", "roles", "organizations", "people", "channels", "verbs", "cues", "topics", "sectors",
                                       "plover", "terms", "event_triggers", "event_words", "event_frames",
                                       "event_governors", "event_modes", "gate"))}


def _base_countries(reg: Registry) -> None:
    for c in pycountry.countries:
        names = [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)]
        clean = [n for n in names if n]
        reg.countries[c.alpha_3] = Country(code=c.alpha_3, name=clean[0], names=list(dict.fromkeys(clean)))


def _ref_error(where: tuple[str, int] | None, message: str) -> RegistryError:
    if where is None:
        return RegistryError(message)
    return RegistryError(f"{where[0]}:{where[1]}: {message}", file=where[0], line=where[1])


def _check_references(reg: Registry) -> None:
    for org in reg.organizations.values():
        if org.parent and org.parent not in reg.organizations:
            raise _ref_error(org.where, f"organization {org.id!r}: parent {org.parent!r} is not a known organization")
    for p in reg.people.values():
        for t in p.titles:
            if t.role and t.role not in reg.roles:
                raise _ref_error(t.where, f"person {p.id!r}: title {t.title!r} names unknown role {t.role!r}; use one of the roles section or add it there")
            if t.org and t.org not in reg.organizations:
                raise _ref_error(t.where, f"person {p.id!r}: title {t.title!r} names unknown organization {t.org!r}; add it to the organizations section")
    for ch in reg.channels.values():
        for role in ch.roles:
            if role not in reg.roles:
                raise _ref_error(ch.where, f"channel {ch.id!r}: 'roles' names unknown role {role!r}; use one of the roles section or add it there")
    _check_channel_tree(reg)
    for v in reg.verbs.values():
        if v.event_type and reg.plover and v.event_type not in reg.plover:
            raise RegistryError(f"verb {v.lemma!r}: event type {v.event_type!r} is missing from the plover section")


def _check_channel_tree(reg: Registry) -> None:
    """Umbrellas: a parent is a known channel of the same dyad, with no cycles; a channel that
    takes a generic channel's wordings has a dyad, and is the only one of its dyad to do so."""
    taken: dict[tuple[str, tuple[str, ...]], str] = {}
    for ch in reg.channels.values():
        if ch.parent:
            parent = reg.channels.get(ch.parent)
            if parent is None:
                raise _ref_error(ch.where, f"channel {ch.id!r}: parent {ch.parent!r} is not a known channel; add it to the channels section")
            if parent.dyad != ch.dyad or (ch.dyad is None and not (ch.generic and parent.generic)):
                raise _ref_error(ch.where, f"channel {ch.id!r}: parent {ch.parent!r} is not a channel of the same dyad; "
                                 "an umbrella and its members share one dyad")
            seen = {ch.id}
            cur: Channel | None = parent
            while cur is not None:
                if cur.id in seen:
                    raise _ref_error(ch.where, f"channel {ch.id!r}: its parents loop back to {cur.id!r}; remove one 'parent'")
                seen.add(cur.id)
                cur = reg.channels.get(cur.parent) if cur.parent else None
        for name in ch.generic_names:
            generic = reg.channels.get(name)
            if generic is None or not generic.generic:
                raise _ref_error(ch.where, f"channel {ch.id!r}: generic_names {name!r} is not a generic channel "
                                 "(one with 'generic: true' and no dyad)")
            if ch.dyad is None:
                raise _ref_error(ch.where, f"channel {ch.id!r}: generic_names needs a 'dyad': the generic wordings mean this channel for that dyad")
            key = (name, tuple(ch.dyad))
            if key in taken and taken[key] != ch.id:
                raise _ref_error(ch.where, f"channel {ch.id!r}: {taken[key]!r} already takes the generic names of "
                                 f"{name!r} for {'-'.join(ch.dyad)}; keep one")
            taken[key] = ch.id


def package_files() -> list[Path]:
    data = resources.files("readout") / "data"
    return sorted(Path(str(p)) for p in data.iterdir() if p.name.endswith((".yaml", ".yml")))


def user_files(extra: Sequence[str | os.PathLike[str]] = ()) -> list[Path]:
    env = os.environ.get(ENV_REGISTRY, "")
    paths = [Path(p) for p in env.split(os.pathsep) if p.strip()]
    paths.extend(Path(p) for p in extra)
    return paths


def load_registry(extra: Sequence[str | os.PathLike[str]] = (), *, include_env: bool = True) -> Registry:
    """Load the package's knowledge files, then the user's (``extra`` and ``READOUT_REGISTRY``)."""
    reg = Registry()
    _base_countries(reg)
    files: list[tuple[Path, str]] = [(p, f"readout/data/{p.name}") for p in package_files()]
    for p in (user_files(extra) if include_env else [Path(x) for x in extra]):
        files.append((p, str(p)))
    # the event coder's tables refer to the plover section: read last, the package's before the user's
    later: list[tuple[str, _Entry]] = []
    for path, label in files:
        entries = sorted(_read_file(path, label), key=lambda se: _ORDER[se[0]])
        for section, entry in entries:
            if section.startswith("event_"):
                later.append((section, entry))
                continue
            _LOADERS[section](entry, reg)
        reg.sources.append(label)
    for section, entry in later:  # in file order: a user's entry overrides the package's
        _LOADERS[section](entry, reg)
    _check_references(reg)
    return reg


def load_event_tables() -> Registry:
    """The event coder's tables alone: the package's PLOVER section, its reporting verbs (a
    typed one is a trigger too) and its event triggers, word lists and frames
    (``data/event_triggers.yaml``), validated as the registry validates them; the rest of the
    registry is left empty."""
    reg = Registry()
    data = resources.files("readout") / "data"
    for name in ("plover.yaml", "verbs.yaml", EVENT_TRIGGERS_FILE):
        label = f"readout/data/{name}"
        for section, entry in sorted(_read_file(Path(str(data / name)), label), key=lambda se: _ORDER[se[0]]):
            _LOADERS[section](entry, reg)
        reg.sources.append(label)
    return reg


@lru_cache(maxsize=8)
def _cached(extra: tuple[str, ...], env: str) -> Registry:
    return load_registry(extra)


def get_registry(extra: Sequence[str | os.PathLike[str]] = ()) -> Registry:
    """The registry for these extra files, loaded once per process and reused."""
    return _cached(tuple(str(p) for p in extra), os.environ.get(ENV_REGISTRY, ""))


@lru_cache(maxsize=64)
def _term_values(registry: Registry, group: str) -> dict[str, str]:
    return {t.phrase: t.value for t in registry.terms if t.group == group}
