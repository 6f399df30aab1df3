"""One engagement, the two sides' accounts side by side.

``compare(store, engagement_id)`` gathers what each side of an engagement's dyad said about it
and lays the two accounts beside each other: the statements by side and source document, the
topics each side raised, the points both sides made and those only one made, the terms one
side repeats, and each side's tone. It needs no spaCy model: terms are counted from the stored
text.

Which statements count
    - every statement linked to the engagement (``statements.engagement_id``), whatever its
      side (``linked: true``);
    - statements of the engagement's source documents that are linked to no engagement, whose
      speaker's side is one of the dyad's two countries, and that stand in the part of the
      document that reports this engagement: the nearest engagement report at or before the
      statement in reading order (the document's first report, for a statement before any) is
      one of this engagement's (``linked: false``, ``attached: "reading_order"``). Readouts and
      articles often attach their key lines loosely ("his spokesman said the two officers
      discussed ..."); background further down an article (an arms sale, an older incident)
      comes after the report of another engagement and stays out.
    - a statement that shares ``DUPLICATE_OVERLAP`` of its span with a longer one of the same
      side in the same document (the same words attributed to an agency and to its spokesman)
      is listed with ``duplicate_of`` and counted once.

Only the dyad's two sides are compared; statements with no side, or a third country's, are
listed but not counted for either.

Terms
    Content words of each side's statement text (overlapping statements merged, so a stretch
    of text is read once), lowercased, possessive ``'s`` dropped and plurals reduced
    conservatively (``interests`` -> ``interest``, ``miscalculations`` -> ``miscalculation``,
    ``activities`` -> ``activity``; not ``ss``/``us``/``is`` endings), without spaCy's English
    stop words, reporting words ("said") and the names of the two countries. The multi-word
    terms of the registry's topics ("South China Sea", "lines of communication", "core
    interests", "manage competition") are counted as phrases, with the same normalisation; a
    single word is shown only if it also occurs outside the phrases counted (so "south" and
    "sea" do not repeat "south china sea", but "respect" is kept beside "mutual respect").
    The *topic vocabulary* is the topic terms and the words that recur in two or more of them
    ("communication" from "lines of communication" and "crisis communication"): the words the
    registry says carry points. A *key term* is one of the vocabulary, or any other word one
    side uses ``OTHER_MIN_COUNT`` times; points both sides made and points only one made are
    listed by topic and by key term.
    A term is *emphasised* by a side when that side uses it at least ``EMPHASIS_MIN_COUNT``
    times (``OTHER_MIN_COUNT`` for a word outside the topic vocabulary, so the words of a title
    or of the call's description do not crowd out the points) and at a rate (per 1,000 words
    the side said) at least ``EMPHASIS_RATIO`` times the other side's (any rate, when the other
    side never uses it). Rates, not raw counts, because one side's account is often several
    times as long as the other's.

Tone
    The mean PLOVER cooperation-conflict score (-10 to +10) of a side's counted statements that
    carry an event type, with their number ``n`` and sum; ``tone_records()`` lists them (what
    ``readout compare --explain`` prints). A statement whose cue is denied ("does not support")
    or that says what the other side should do carries no event type, so it is not in the tone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFoundError, OptionError
from ..registry import Registry, get_registry
from .db import Store, loads

SCHEMA = "readout.comparison/1"
EMPHASIS_MIN_COUNT = 2  # uses of a topic-vocabulary term before it can be emphasised
OTHER_MIN_COUNT = 3  # uses of any other word before it can be emphasised or be a key term
EMPHASIS_RATIO = 2.0
NO_SIDE = "none"  # the group of statements whose speaker's side is not known
DUPLICATE_OVERLAP = 0.8  # share of the shorter span two statements of a side must share to be one
# words that carry no point of their own: reporting verbs in their common forms
EXTRA_STOP_WORDS = frozenset({"said", "says", "saying", "told", "added", "noted", "stated", "according", "also"})

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


# ------------------------------------------------------------------ terms
def normalize_word(word: str) -> str:
    """A lemma-like form without a model: lowercase, no possessive, plural reduced conservatively.

    >>> [normalize_word(w) for w in ["Interests", "China's", "activities", "ties", "process", "status"]]
    ['interest', 'china', 'activity', 'ties', 'process', 'status']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ies", "'")):
        return w[:-1]
    return w


def words(text: str) -> list[str]:
    """The normalised words of ``text``, in order (hyphenated words stay one word)."""
    return [normalize_word(m.group()) for m in _WORD.finditer(text)]


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # needs no model

    return frozenset(STOP_WORDS) | EXTRA_STOP_WORDS


_PHRASES: dict[str, dict[tuple[str, ...], set[str]]] = {}  # registry fingerprint -> its topic phrases


def topic_phrases(registry: Registry) -> dict[tuple[str, ...], set[str]]:
    """Every topic term, normalised into a word tuple, with the topics it belongs to (computed
    once per registry; do not change the result)."""
    key = registry.fingerprint
    if key not in _PHRASES:
        _PHRASES[key] = _topic_phrases(registry)
    return _PHRASES[key]


def _topic_phrases(registry: Registry) -> dict[tuple[str, ...], set[str]]:
    out: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for topic in registry.topics.values():
        for term in topic.terms:
            key = tuple(words(term))
            if key:
                out[key].add(topic.id)
    return dict(out)


def topic_vocabulary(phrases: dict[tuple[str, ...], set[str]]) -> set[str]:
    """The topic terms, and the words that recur in two or more of them ("communication" from
    "lines of communication" and "crisis communication"; not "start" from "New START")."""
    recurring = Counter(w for k in phrases if len(k) > 1 for w in set(k))
    return {" ".join(k) for k in phrases} | {w for w, n in recurring.items() if n >= 2}


@dataclass
class TermCounts:
    """Terms of one side's text: counts, the surface form seen most, and the number of words."""

    counts: Counter[str] = field(default_factory=Counter)
    forms: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    outside: Counter[str] = field(default_factory=Counter)  # single words seen outside any phrase
    words: int = 0

    def label(self, term: str) -> str:
        forms = self.forms.get(term)
        return forms.most_common(1)[0][0] if forms else term


def count_terms(
    texts: list[str],
    phrases: dict[tuple[str, ...], set[str]],
    *,
    exclude: frozenset[str] = frozenset(),
) -> TermCounts:
    """Count single words and registry phrases in ``texts``; see the module docstring."""
    stop = _stop_words()
    longest = max((len(p) for p in phrases), default=1)
    out = TermCounts()
    for text in texts:
        matches = list(_WORD.finditer(text))
        toks = [normalize_word(m.group()) for m in matches]
        out.words += len(toks)
        covered = [False] * len(toks)
        for i in range(len(toks)):
            for n in range(2, longest + 1):
                key = tuple(toks[i:i + n])
                if len(key) == n and key in phrases:
                    term = " ".join(key)
                    out.counts[term] += 1
                    surface = text[matches[i].start():matches[i + n - 1].end()]
                    out.forms[term][re.sub(r"\s+", " ", surface.lower().replace("’", "'"))] += 1
                    for j in range(i, i + n):
                        covered[j] = True
        for i, tok in enumerate(toks):
            if len(tok) < 3 or tok in stop or tok in exclude or tok.replace("-", "").isdigit():
                continue
            out.counts[tok] += 1
            out.forms[tok][matches[i].group().lower().replace("’", "'")] += 1
            if not covered[i]:
                out.outside[tok] += 1
    # a single word that only ever occurs inside a counted phrase repeats it: drop it
    for term in [t for t in out.counts if " " not in t and not out.outside[t]]:
        del out.counts[term]
    return out


# ------------------------------------------------------------------ the comparison
@dataclass
class Comparison:
    """Two sides' accounts of one engagement. ``to_dict()`` for JSON, ``to_rows()`` for flat
    outputs (each row has a ``section``)."""

    engagement: dict[str, Any]
    sides: tuple[str, str]
    documents: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    tone: dict[str, dict[str, Any]]
    words: dict[str, int]

    def tone_records(self) -> dict[str, list[dict[str, Any]]]:
        """The statements behind each side's tone: those counted with an event type and a score."""
        out: dict[str, list[dict[str, Any]]] = {}
        for side in self.sides:
            out[side] = [
                {k: s[k] for k in ("id", "speaker_name", "event_type", "event_mode", "score", "content", "document_id")}
                for s in self.statements
                if s["side"] == side and not s["duplicate_of"] and s["event_type"] and s["score"] is not None
            ]
        return out

    # derived views of ``topics`` and ``terms``
    def emphasis(self, side: str) -> list[dict[str, Any]]:
        """Terms ``side`` uses clearly more than the other side, most used first."""
        return [t for t in self.terms if t["emphasis"] == side]

    def points(self) -> dict[str, Any]:
        """Topics and key terms both sides raised, and those only one did."""
        a, b = self.sides
        key = [t for t in self.terms if t["key"]]
        return {
            "both": {
                "topics": [t["topic"] for t in self.topics if t["made_by"] == "both"],
                "terms": [t["term"] for t in key if t["counts"][a] and t["counts"][b]],
            },
            "only": {
                s: {
                    "topics": [t["topic"] for t in self.topics if t["made_by"] == s],
                    "terms": [t["term"] for t in key if t["counts"][s] and not t["counts"][o]],
                }
                for s, o in ((a, b), (b, a))
            },
        }

    def statements_by(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Statements grouped by side (``NO_SIDE`` for none), then by document id."""
        out: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for s in self.statements:
            out.setdefault(s["side"] or NO_SIDE, {}).setdefault(s["document_id"], []).append(s)
        return out

    def to_dict(self) -> dict[str, Any]:
        a, b = self.sides
        return {
            "schema": SCHEMA,
            "engagement": self.engagement,
            "sides": list(self.sides),
            "documents": self.documents,
            "statements": self.statements_by(),
            "topics": self.topics,
            "points": self.points(),
            "emphasis": {a: [t["term"] for t in self.emphasis(a)], b: [t["term"] for t in self.emphasis(b)]},
            "terms": self.terms,
            "tone": self.tone,
            "tone_records": self.tone_records(),
            "words": self.words,
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """Flat rows: one per statement, topic, term and side's tone, plus the engagement; the
        two sides' numbers are in ``*_a``/``*_b`` columns with ``side_a``/``side_b`` naming them."""
        a, b = self.sides
        e = self.engagement
        rows: list[dict[str, Any]] = [{
            "section": "engagement", "engagement_id": e["id"], "side_a": a, "side_b": b,
            "kind": e["kind"], "date": e["date"], "dyad": e["dyad"], "sources": e["sources"],
            "words_a": self.words[a], "words_b": self.words[b],
        }]
        for s in self.statements:
            rows.append({"section": "statement", "engagement_id": e["id"], **{k: v for k, v in s.items()}})
        for t in self.topics:
            rows.append({
                "section": "topic", "engagement_id": e["id"], "side_a": a, "side_b": b, "topic": t["topic"],
                "label": t["label"], "count_a": t["counts"][a], "count_b": t["counts"][b], "made_by": t["made_by"],
                "terms_a": t["terms"][a], "terms_b": t["terms"][b],
            })
        for t in self.terms:
            rows.append({
                "section": "term", "engagement_id": e["id"], "side_a": a, "side_b": b, "term": t["term"],
                "label": t["label"], "count_a": t["counts"][a], "count_b": t["counts"][b],
                "rate_a": t["rates"][a], "rate_b": t["rates"][b], "key": t["key"], "emphasis": t["emphasis"],
                "topics": t["topics"],
            })
        for side in self.sides:
            rows.append({"section": "tone", "engagement_id": e["id"], "side": side, **self.tone[side]})
        return rows


# ------------------------------------------------------------------ finding the engagement
def find_engagement(store: Store, engagement_id: str) -> dict[str, Any]:
    """The engagement with this id, or the one whose id starts with it (``eng-`` may be left off)."""
    given = (engagement_id or "").strip()
    hint = "list engagements and their ids with 'readout engagements' (e.g. readout engagements --dyad CHN-USA)"
    if not given:
        raise OptionError(f"no engagement id given: {hint}")
    rows = store.rows("SELECT * FROM engagements WHERE id = ?", (given,))
    if not rows:
        like = given.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = store.rows(
            "SELECT * FROM engagements WHERE id LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6",
            (like, "eng-" + like),
        )
    if not rows:
        raise NotFoundError(f"engagement {given!r}: no such engagement in {store.path}: {hint}")
    if len(rows) > 1:
        shown = ", ".join(r["id"] for r in rows[:5])
        raise OptionError(f"engagement {given!r}: matches several ({shown}{', ...' if len(rows) > 5 else ''}): give more of the id")
    return rows[0]


def _names(store: Store, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return {r["id"]: r["name"] for r in store.rows(f"SELECT id, name FROM actors WHERE id IN ({marks})", ids)}


# ------------------------------------------------------------------ compare
def compare(store: Store, engagement_id: str, *, registry: Registry | None = None) -> Comparison:
    """The two sides' accounts of one merged engagement side by side (see the module docstring).

    ``engagement_id`` is an id from ``readout engagements`` or a unique prefix of one. An
    unknown id is an ``OptionError`` that says how to find ids.
    """
    reg = registry or get_registry()
    eng = find_engagement(store, engagement_id)
    eid = eng["id"]
    a, b = eng["dyad"].split("-", 1)
    sides = (a, b)

    reports = store.rows(
        "SELECT DISTINCT es.document_id FROM engagement_sources es WHERE es.engagement_id = ?", (eid,)
    )
    doc_ids = [r["document_id"] for r in reports]
    docs = {
        r["id"]: r for r in store.rows(
            f"SELECT id, title, outlet, side, published, url, text FROM documents WHERE id IN ({', '.join('?' * len(doc_ids))})",
            doc_ids,
        )
    } if doc_ids else {}

    cols = ("id, document_id, published, speaker_id, speaker_name, side, kind, cue, content, start, \"end\", "
            "addressee_id, topics, event_type, event_mode, score, engagement_id")
    linked = store.rows(f"SELECT {cols} FROM statements WHERE engagement_id = ?", (eid,))
    for s in linked:
        s["linked"], s["attached"] = True, "engagement"
    chosen = list(linked)
    if doc_ids:
        marks = ", ".join("?" * len(doc_ids))
        all_reports = store.rows(
            f"SELECT document_id, engagement_id, start FROM engagement_sources WHERE document_id IN ({marks}) ORDER BY document_id, start",
            doc_ids,
        )
        by_doc: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for r in all_reports:
            by_doc[r["document_id"]].append((r["start"], r["engagement_id"]))
        loose = store.rows(
            f"SELECT {cols} FROM statements WHERE +engagement_id IS NULL AND document_id IN ({marks}) AND +side IN (?, ?)",  # by the document index (the others match most rows)
            [*doc_ids, a, b],
        )
        for s in loose:
            if _governing(by_doc[s["document_id"]], s["start"]) == eid:
                s["linked"], s["attached"] = False, "reading_order"
                chosen.append(s)
        # documents of linked statements not among the reports (should not happen; kept whole)
        extra = sorted({s["document_id"] for s in linked} - set(docs))
        if extra:
            docs.update({r["id"]: r for r in store.rows(
                f"SELECT id, title, outlet, side, published, url, text FROM documents WHERE id IN ({', '.join('?' * len(extra))})",
                extra,
            )})

    names = _names(store, sorted({x for s in chosen for x in (s["speaker_id"], s["addressee_id"]) if x}))
    for s in chosen:
        s["topics"] = loads(s["topics"]) or []
        s["speaker_name"] = s["speaker_name"] or names.get(s["speaker_id"] or "")
        s["addressee_name"] = names.get(s["addressee_id"] or "")
        d = docs.get(s["document_id"])
        s["outlet"] = d["outlet"] if d else None
        s["document_side"] = d["side"] if d else None
    _mark_duplicates(chosen)
    order = {a: 0, b: 1}
    chosen.sort(key=lambda s: (order.get(s["side"], 2), s["side"] or "~", _doc_key(docs, s["document_id"]), s["start"], s["id"]))

    counted = {side: [s for s in chosen if s["side"] == side and not s["duplicate_of"]] for side in sides}
    phrases = topic_phrases(reg)
    exclude = _country_words(reg, sides)
    texts = {side: _passages(counted[side], docs) for side in sides}
    tc = {side: count_terms(texts[side], phrases, exclude=exclude) for side in sides}
    words_n = {side: tc[side].words for side in sides}

    topics = _topic_matrix(reg, sides, counted, tc, phrases)
    terms = _terms(sides, tc, phrases)
    tone = {side: _tone(counted[side]) for side in sides}

    participants = loads(eng["participants"]) or []
    pnames = _names(store, participants)
    engagement = {
        "id": eid, "kind": eng["kind"], "date": eng["date"], "date_precision": eng["date_precision"],
        "dyad": eng["dyad"], "sides": loads(eng["sides"]) or [], "sources": eng["sources"],
        "participants": [{"id": p, "name": pnames.get(p, p)} for p in participants],
        "channel_id": eng["channel_id"],
        "dates_disagree": bool(eng["dates_disagree"]), "dates": loads(eng["dates"]) or [],
    }
    documents = [
        {k: d[k] for k in ("id", "title", "outlet", "side", "published", "url")}
        for d in sorted(docs.values(), key=lambda d: (d["published"] or "", d["id"]))
    ]
    public = ("id", "side", "document_id", "outlet", "document_side", "published", "speaker_id", "speaker_name",
              "kind", "cue", "content", "start", "end", "addressee_id", "addressee_name", "topics", "event_type",
              "event_mode", "score", "linked", "attached", "duplicate_of")
    statements = [{k: s[k] for k in public} for s in chosen]
    return Comparison(engagement, sides, documents, statements, topics, terms, tone, words_n)


def _governing(reports: list[tuple[int, str]], start: int) -> str | None:
    """The engagement whose report is nearest at or before ``start`` (else the first report)."""
    if not reports:
        return None
    current = reports[0][1]
    for pos, eid in reports:
        if pos > start:
            break
        current = eid
    return current


def _doc_key(docs: dict[str, dict[str, Any]], doc_id: str) -> tuple[str, str]:
    d = docs.get(doc_id)
    return ((d["published"] or "") if d else "", doc_id)


def _mark_duplicates(statements: list[dict[str, Any]]) -> None:
    """``duplicate_of``: the id of the longest statement of the same side and document that
    shares ``DUPLICATE_OVERLAP`` of this one's span (equal lengths: the first id keeps its place)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s in statements:
        s["duplicate_of"] = None
        groups[(s["document_id"], s["side"] or "")].append(s)
    for group in groups.values():
        for s in group:
            size = s["end"] - s["start"]
            hosts = [
                o for o in group
                if o is not s
                and min(s["end"], o["end"]) - max(s["start"], o["start"]) >= DUPLICATE_OVERLAP * max(size, 1)
                and ((o["end"] - o["start"]) > size or ((o["end"] - o["start"]) == size and o["id"] < s["id"]))
            ]
            if hosts:
                s["duplicate_of"] = min(hosts, key=lambda o: (o["start"] - o["end"], o["id"]))["id"]


def _passages(statements: list[dict[str, Any]], docs: dict[str, dict[str, Any]]) -> list[str]:
    """The side's text, each stretch of a document once: overlapping statements merged."""
    out: list[str] = []
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in statements:
        by_doc[s["document_id"]].append(s)
    for doc_id, group in by_doc.items():
        text = docs[doc_id]["text"] if doc_id in docs else None
        if not text:
            out.extend(s["content"] for s in group)
            continue
        spans: list[list[int]] = []
        for s in sorted(group, key=lambda s: s["start"]):
            if spans and s["start"] < spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], s["end"])
            else:
                spans.append([s["start"], s["end"]])
        out.extend(text[x:y] for x, y in spans)
    return out


def _country_words(reg: Registry, sides: tuple[str, str]) -> frozenset[str]:
    """Single words that name the two sides (China, Chinese, Beijing, ...): no point of their own."""
    out: set[str] = set()
    for code in sides:
        c = reg.country(code)
        if c is None:
            continue
        for name in [c.name, *c.names, *c.demonyms, *c.capitals, *c.metonyms]:
            ws = words(name)
            if len(ws) == 1:
                out.add(ws[0])
    return frozenset(out)


def _topic_matrix(
    reg: Registry,
    sides: tuple[str, str],
    counted: dict[str, list[dict[str, Any]]],
    tc: dict[str, TermCounts],
    phrases: dict[tuple[str, ...], set[str]],
) -> list[dict[str, Any]]:
    """Per topic: how many counted statements of each side raised it, and with which topic terms."""
    counts: dict[str, Counter[str]] = {side: Counter(t for s in counted[side] for t in set(s["topics"])) for side in sides}
    rows: list[dict[str, Any]] = []
    of_topic: dict[str, list[str]] = defaultdict(list)
    for k, ts in phrases.items():
        for t in ts:
            of_topic[t].append(" ".join(k))
    for topic in sorted(set(counts[sides[0]]) | set(counts[sides[1]])):
        per = {side: counts[side][topic] for side in sides}
        made_by = "both" if all(per.values()) else next(s for s in sides if per[s])
        terms = {}
        for side in sides:
            found = [(tc[side].label(term), tc[side].counts[term]) for term in of_topic.get(topic, []) if tc[side].counts.get(term)]
            terms[side] = [f"{label} ({n})" if n > 1 else label for label, n in sorted(found, key=lambda x: (-x[1], x[0]))]
        entry = reg.topics.get(topic)
        rows.append({"topic": topic, "label": entry.label if entry else topic, "counts": per, "made_by": made_by, "terms": terms})
    rows.sort(key=lambda r: (-sum(r["counts"].values()), r["topic"]))
    return rows


def _terms(sides: tuple[str, str], tc: dict[str, TermCounts], phrases: dict[tuple[str, ...], set[str]]) -> list[dict[str, Any]]:
    """Every term either side used, with counts, rates per 1,000 words, and who emphasises it."""
    a, b = sides
    topic_of = {" ".join(k): sorted(v) for k, v in phrases.items()}
    vocabulary = topic_vocabulary(phrases)
    rows: list[dict[str, Any]] = []
    for term in set(tc[a].counts) | set(tc[b].counts):
        counts = {side: tc[side].counts.get(term, 0) for side in sides}
        rates = {side: round(1000 * counts[side] / tc[side].words, 1) if tc[side].words else 0.0 for side in sides}
        in_vocabulary = term in vocabulary
        least = EMPHASIS_MIN_COUNT if in_vocabulary else OTHER_MIN_COUNT
        emphasis = None
        for side, other in ((a, b), (b, a)):
            if counts[side] >= least and (
                not counts[other] or (counts[side] / tc[side].words) >= EMPHASIS_RATIO * (counts[other] / tc[other].words)
            ):
                emphasis = side
        label = tc[a].label(term) if counts[a] >= counts[b] else tc[b].label(term)
        topics = topic_of.get(term, [])
        rows.append({
            "term": term, "label": label, "counts": counts, "rates": rates, "emphasis": emphasis,
            "key": in_vocabulary or max(counts.values()) >= OTHER_MIN_COUNT, "topics": topics,
        })
    rows.sort(key=lambda r: (-max(r["counts"].values()), -sum(r["counts"].values()), r["term"]))
    return rows


def _tone(statements: list[dict[str, Any]]) -> dict[str, Any]:
    scored = [s for s in statements if s["event_type"] and s["score"] is not None]
    total = sum(float(s["score"]) for s in scored)
    return {
        "mean": round(total / len(scored), 2) if scored else None,
        "n": len(scored),
        "sum": round(total, 2),
        "event_types": dict(sorted(Counter(s["event_type"] for s in scored).items())),
    }
