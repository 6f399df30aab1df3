"""Date expressions: find them in a parsed document and resolve them against the publication date.

Public functions
----------------
``extract_dates(doc, published) -> list[DateValue]``
    Every date expression of the document, in text order, resolved where it can be.
``resolve_date_text(text, published, *, tense=None) -> Resolution``
    The first date expression in a piece of text, resolved (for other extractors and callers
    that hold a string, not a Doc).
``dates_in(dates, start, end) -> list[DateValue]``
    The dates whose span lies inside the character range ``[start, end)``.

How candidates are found
------------------------
One pass of a small regular expression over ``doc.text`` finds anchor words (weekday and month
names, numbers, "year", "week", "yesterday"...); at each anchor, and at the few words before it
that can open an expression ("the end of", "more than a", "late last"), the patterns for
weekday names, month names with or without a day or a year, ISO dates, years, relative
expressions ("last month", "earlier this year", "yesterday", "two weeks ago"), period
qualifiers ("mid-2022", "the end of 2026", "year-end"), anaphoric days ("on the day", "the same
day"), decades and durations are tried, longest kinds first. So rules work on a
``spacy.blank("en")`` document. spaCy's ``DATE`` entities are used where the
model is present: they license bare years that no preposition introduces ("the 2022 summit"),
and ``DATE`` entities no pattern covers are kept either as durations ("recent years") or as
unresolved expressions with a reason ("the weekend"). Nothing is counted twice: the patterns
do not overlap each other and an entity that overlaps a pattern match is not added again.
``TIME`` entities are not needed: "Thursday night", "late Thursday" and "yesterday morning"
are matched as one expression by the patterns.

How they are resolved (``published`` is the publication date)
-----------------------------------------------------------
- A weekday ("on Thursday", "Thursday night") is the most recent such day on or before
  publication (the same day counts) unless the verb governing it is in the future ("will
  meet on Monday", "is scheduled for Tuesday", "the upcoming talks on Monday"), then the next
  such day after publication. "last Thursday" is the most recent one strictly before, "next
  Tuesday" the first one strictly after, "this Friday" the one in the publication's week,
  "Thursday next week" the Thursday of the week after the publication's.
- A month and day without a year ("on December 15", "Dec. 15", "15 December") take the year
  that puts them on or before publication, or on or after it when the verb is in the future.
  With a weekday ("Thursday, Dec. 21") the year, within six months of publication, whose date
  falls on that weekday is chosen.
  "on the 15th" (only after "on", only when not followed by a noun) is that day of the
  publication month or of the month before (after, in the future).
- A month name alone ("in November", "since July") is the most recent such month up to and
  including the publication month (the next one from the publication month in the future).
  "last November" is the most recent November strictly before the publication month: said in
  December 2023 it is 2023-11; said in November 2023 it is 2022-11 (speakers say "this
  month" for the current one). "next November" is the first one strictly after, "this
  November" the one of the publication year.
- "this/last/next week" resolve to the Monday of that ISO week with precision ``day`` and
  relation ``week`` (the contract has no week precision: read the value as "the week that
  begins on"). "this/last/next month" and "... year" resolve with month and year precision;
  "earlier this year" / "later this month" resolve to the year / month, with no relation.
- Parts of a period keep the precision of the period named, and the part goes into
  ``relation``: "mid-2022" is ``2022`` (year) with relation ``mid``; "the end of 2026" and
  "year-end" are a year with relation ``end``; "early November" a month with relation
  ``early``; also ``start``, ``late``, ``first_half``, ``second_half``. We do not invent
  2022-06 for "mid-2022".
- A preposition before the expression sets the relation and is included in the span:
  ``by`` ("by the end of 2026" -> ``2026``, year, relation ``by``; also "no later than"),
  ``since``, ``until`` ("until", "till", "through", "to" after a "from" date), ``before``
  ("before", "prior to", "ahead of"), ``after``, ``from``. This relation replaces a part
  relation (``end``, ``mid``...) and the ``week`` relation; the rule name keeps the part
  ("end_of_year"). An expression after "since" is always read in the past tense.
- "yesterday", "today", "tonight", "last night", "tomorrow", "N days/weeks/months/years ago".
- "on the day", "the same day", "that day", "the next/following/previous day": the day of the
  nearest earlier day-precision date in the same sentence ("X met Y on Thursday, the ministry
  said in a statement on the day" -> that Thursday), shifted by one for next/previous; with
  no such date in the sentence ``value`` is None and ``reason`` says so.
- Durations ("more than a year", "the past two years", "recent months") are not points in
  time: they are emitted with ``value`` None, relation ``duration`` and a reason, and only
  when they can matter to a "first ... in/for/since" claim: after "for", "in", "over",
  "within", "after", "during", "throughout", or with a qualifier ("more than", "the past").
  "three years" on its own, "twice a year" and "a 67-year-old" are not emitted.
- A decade ("the 1990s") is emitted with ``value`` None and a reason: no precision fits it.
- Without a publication date, dates that carry their year ("December 15, 2023", "in August
  2022", "2023-12-15") still resolve; relative ones get ``value`` None and the reason "no
  publication date: pass --published YYYY-MM-DD to resolve 'on Thursday'".

Tense comes from the dependency parse when there is one (the verb that governs the
expression: "will"/"shall"/"would" auxiliaries, "is scheduled/expected/set/due to", "plans
to", "upcoming"/"next" on the noun) and otherwise from the words of the clause around the
expression. Unknown tense counts as past: news mostly reports what happened.

Not handled: numeric dates other than ISO (12/15/2023 is ambiguous between US and European
order), times of day, fiscal years, ranges beyond "December 15-16" (resolved to the first day),
"in two weeks" as a future point (it is kept as a duration).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Literal, NamedTuple

from dateutil.relativedelta import relativedelta
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..records import DateValue, Precision, Span

__all__ = ["Resolution", "Tense", "dates_in", "extract_dates", "resolve_date_text"]

Tense = Literal["past", "present", "future"]


class Resolution(NamedTuple):
    """What a date expression resolves to (the fields of a ``DateValue`` without its span)."""

    value: str | None
    precision: Precision | None
    reason: str | None
    relation: str | None
    rule: str
    raw: str = ""


# =====================================================================================
# Vocabulary
# =====================================================================================
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "a couple of": 2,
}  # fmt: skip
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

# The qualifier of a period ("the end of 2026") -> (relation, rule prefix).
_MODS: dict[str, tuple[str | None, str]] = {
    "end": ("end", "end_of_"), "close": ("end", "end_of_"), "beginning": ("start", "start_of_"),
    "start": ("start", "start_of_"), "middle": ("mid", "mid_"), "mid": ("mid", "mid_"),
    "early": ("early", "early_"), "late": ("late", "late_"), "first half": ("first_half", "first_half_of_"),
    "second half": ("second_half", "second_half_of_"), "latter half": ("second_half", "second_half_of_"),
    "earlier": (None, "earlier_"), "later": (None, "later_"),
}  # fmt: skip

# Prepositions before an expression that make it a relation, and are kept in its span.
_RELATIONS = {
    "by": "by", "no later than": "by", "not later than": "by", "since": "since", "until": "until",
    "till": "until", "up to": "until", "through": "until", "before": "before", "prior to": "before",
    "ahead of": "before", "after": "after", "from": "from",
}  # fmt: skip
# Words after which a duration matters ("the first ... in five years", "for more than a year").
_DURATION_LEADS = {"for", "in", "over", "within", "after", "during", "throughout", "since"}
# Words that may introduce a bare year ("in 2021", "since 2016"; not "the 2022 summit").
_YEAR_LEADS = {
    "in", "since", "by", "until", "till", "before", "after", "of", "from", "through", "to", "during",
    "throughout", "and", "or", "between", "around", "circa", "for", "as", "early", "late", "mid",
    "last", "next", "this", "than",
}  # fmt: skip
# Words that may introduce a bare "May" or "March" (not the modal verb, not a march).
_MONTH_LEADS = {
    "in", "since", "by", "until", "till", "before", "after", "of", "from", "through", "during", "throughout",
    "early", "late", "mid", "last", "next", "this", "between",
}  # fmt: skip
_NOT_ENTITY_DATES = {"annual", "annually", "daily", "weekly", "monthly", "yearly", "quarterly", "biannual", "biennial"}

NO_PUBLISHED = "no publication date: pass --published YYYY-MM-DD to resolve '{raw}'"

# =====================================================================================
# Patterns. Each kind of expression is written with named groups. The master pattern (all
# kinds, names stripped, in priority order) is only ever tried at a few positions around an
# anchor word (see ``_scan``); the kind's own pattern then re-reads the match for its groups.
# =====================================================================================
_WD = r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![A-Za-z])"
_MON_FULL = r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)(?![A-Za-z])"
_MON_ANY = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![A-Za-z])"
)
_DAY = r"\b(?:3[01]|[12]\d|0?[1-9])(?!\d)(?:st|nd|rd|th)?(?![A-Za-z\d])"
_DAY_SUFFIXED = r"\b(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)(?![A-Za-z\d])"
_YEAR = r"(?<![\d$£€])(?<!\d[.,])(?:1[89]\d\d|20\d\d)(?![\d%])(?!s\b)(?![.,]\d)"
_SEASON = r"(?i:spring|summer|autumn|fall|winter)\b"
_MOD = (
    r"(?:(?P<mod>(?i:(?:the\s+)?(?:very\s+)?(?:end|close|beginning|start|middle|first\s+half|second\s+half"
    r"|latter\s+half)\s+of|early|earlier|mid|middle|late|later))(?:\s*-\s*|\s+)(?i:in\s+)?)?"
)
_NUM = r"(?:\d{1,3}|(?i:a\s+couple\s+of|a\s+few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|several|few|many))"
_QUANT = (
    r"(?i:more\s+than|well\s+over|just\s+over|over|nearly|almost|about|around|roughly|less\s+than|at\s+least"
    r"|some|under|the\s+past|the\s+last|the\s+previous|the\s+next|the\s+coming|past|recent|next|coming)"
)
_YREL = r"(?i:this|last|next)"
_PRE = r"(?i:this\s+past|this\s+coming|last|next|this|past|coming)"
_PART = r"(?i:morning|afternoon|evening|night)"

_KINDS: tuple[tuple[str, str], ...] = (
    ("iso", rf"(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
    ("wd_mdy", rf"(?P<wd>{_WD}),?\s+(?P<mon>{_MON_ANY})\s*(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"),
    (
        "wd_dmy",
        rf"(?P<wd>{_WD}),?\s+(?i:the\s+)?(?P<d>{_DAY})\s+(?i:of\s+)?(?P<mon>{_MON_ANY})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "mdy",
        (
            rf"(?P<mon>{_MON_ANY})\s*(?P<d>{_DAY})(?:\s*[-–]\s*(?P<d2>{_DAY}))?"
            rf"(?:,?\s+(?P<y>{_YEAR})|,?\s+(?P<yrel>{_YREL})\s+(?i:year)\b)?"
        ),
    ),
    (
        "dmy",
        (
            rf"(?P<d>{_DAY})(?:\s*[-–]\s*(?P<d2>{_DAY}))?\s+(?i:of\s+)?(?P<mon>{_MON_ANY})"
            rf"(?:,?\s+(?P<y>{_YEAR})|\s+(?P<yrel>{_YREL})\s+(?i:year)\b)?"
        ),
    ),
    (
        "dom",  # "on the 15th" (only after "on", and not before a noun: "the 15th round")
        (
            rf"(?<=[Oo]n\s)(?i:the)\s+(?P<d>{_DAY_SUFFIXED})"
            r"(?:\s+(?i:of\s+)(?P<which>(?i:this|last|next|the))\s+(?i:month))?"
            r"(?=\s*[,.;:)]|\s+(?i:and|at|in|when|after|before|with|to|as)\b|\s*$)"
        ),
    ),
    ("month_year", rf"{_MOD}(?P<mon>{_MON_ANY})(?:\s+(?i:of))?,?\s+(?P<y>{_YEAR})"),
    ("month_yrel", rf"{_MOD}(?P<mon>{_MON_FULL})(?:\s+(?i:of))?\s+(?P<yrel>{_YREL})\s+(?i:year)\b"),
    ("month_rel", rf"{_MOD}(?P<rel>{_PRE})\s+(?P<mon>{_MON_FULL})"),
    ("month", rf"{_MOD}(?P<mon>{_MON_FULL})"),
    ("season_year", rf"{_MOD}(?:(?i:the)\s+)?(?P<season>{_SEASON})(?:\s+(?i:of))?,?\s+(?P<y>{_YEAR})"),
    ("season_rel", rf"{_MOD}(?P<rel>{_PRE})\s+(?P<season>{_SEASON})"),
    (
        "weekday",
        (
            rf"(?:(?P<pre>{_PRE})\s+)?(?:(?P<part0>(?i:late|early))\s+(?:(?i:on)\s+)?)?(?P<wd>{_WD})"
            rf"(?:\s+(?P<part>{_PART})\b)?(?:\s+(?P<wk>{_YREL})\s+(?i:week)\b)?"
        ),
    ),
    (
        "relday",
        (
            r"(?<!USA\s)(?P<word>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today"
            r"|tonight|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)))(?![\w-])"
            rf"(?:\s+(?P<part>{_PART})\b)?"
        ),
    ),
    ("yearend", r"(?i:the\s+year(?:'s|’s)\s+end|year[-\s]?end|end[-\s]of[-\s](?:the[-\s])?year)(?![\w-])"),
    (
        "rel_unit",
        rf"{_MOD}(?P<rel>(?i:this|last|next|the\s+coming|coming|the))\s+(?P<unit>(?i:week|month|year))(?![\w-])",
    ),
    ("year", rf"{_MOD}(?P<y>{_YEAR})"),
    ("ago", rf"(?:(?P<q>{_QUANT})\s+)?(?P<n>{_NUM})\s+(?P<unit>(?i:day|week|month|year|decade))(?i:s)?\s+(?i:ago)\b"),
    ("decade", r"(?:(?i:the)\s+)?(?:(?P<part>(?i:early|mid|late))[-\s]+)?(?P<dec>(?:1[89]|20)\d0)s(?![\w])"),
    (
        "sameday",
        (
            r"(?P<word>(?i:the\s+same\s+day|(?:later|earlier)\s+(?:that|the\s+same|in\s+the)\s+day|that\s+day"
            r"|the\s+(?:previous|following|next)\s+day|the\s+day\s+(?:before|after)(?=\s*[,.;:)]|\s*$)))(?![\w-])"
            r"|(?<=[Oo]n\s)(?P<word2>(?i:the\s+day))"
            r"(?!\s+(?i:of|before|after|when|that|in|on|which|following|it|they|he|she|the|we|i)\b)(?![\w-])"
        ),
    ),
    (
        "duration",
        rf"(?:(?P<q>{_QUANT})\s+)?(?:(?P<n>{_NUM})\s+)?(?P<unit>(?i:day|week|month|year|decade))(?P<pl>(?i:s))?(?![\w-])",
    ),
)

_GROUP_NAME = re.compile(r"\(\?P<\w+>")
_MASTER = re.compile("|".join(f"(?P<{name}>{_GROUP_NAME.sub('(?:', pat)})" for name, pat in _KINDS))
_KIND_RE = {name: re.compile(pat) for name, pat in _KINDS}


def _trie(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` written as a trie (much faster to scan than a flat list)."""
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


_FULL_MONTHS = [m for m in _MONTHS if len(m) > 4 or m in ("may", "june", "july")]  # not "jan", "sept"
_ANCHOR_NAMES = [w.capitalize() for w in (*_WEEKDAYS, *_FULL_MONTHS)]
_ANCHOR_WORDS = [
    "yesterday", "today", "tonight", "tomorrow", "night", "morning", "afternoon", "evening", "day", "days",
    "week", "weeks", "month", "months", "year", "years", "yearend", "decade", "decades",
    "spring", "summer", "autumn", "fall", "winter",
]  # fmt: skip
# Words where a date expression may be anchored: one pass over the text finds them, and the
# kind patterns are tried only around them.
_ANCHOR = re.compile(
    r"\b(?:"
    + _trie([*_ANCHOR_NAMES, *_ANCHOR_WORDS, *(w.capitalize() for w in _ANCHOR_WORDS)])
    + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?=\.|\s+\d)|\d\w*)\b"
)
# Words that may come before the anchor inside one expression ("the very end of 2026",
# "more than a year", "late last month", "on the 15th", "mid-2022").
_PREFIX_WORDS = {
    "the", "very", "end", "close", "beginning", "start", "middle", "first", "second", "latter", "half", "of",
    "early", "earlier", "mid", "late", "later", "in", "on", "this", "last", "next", "past", "coming", "same",
    "that", "previous", "following", "more", "than", "well", "just", "over", "nearly", "almost", "about",
    "around", "roughly", "less", "at", "least", "some", "under", "recent", "a", "an", "couple", "few",
    "several", "many", "-", "–", "year", "'s", "’s", *_NUMBERS,
}  # fmt: skip
_MULTI_LEADS = {"no later than", "not later than", "prior to", "ahead of", "up to", "as of"}
_WORD_RE = re.compile(r"\w+|'\w+|’\w+|[^\w\s]")
_AGE_RE = re.compile(r"(?i)\d+[-\s]years?[-\s]old|\byear-old\b")
_DURATION_RE = re.compile(
    rf"(?:(?P<q>{_QUANT})\s+)?(?:(?P<n>{_NUM})\s+(?P<unit>(?i:day|week|month|year|decade))(?i:s)?"
    r"|(?i:days|weeks|months|years|decades))(?![\w-])"
)


# =====================================================================================
# Small date helpers
# =====================================================================================
def _day(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _year(y: int) -> str:
    return f"{y:04d}"


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _on_or_before(pub: date, wd: int) -> date:
    return pub - timedelta(days=(pub.weekday() - wd) % 7)


def _strictly_before(pub: date, wd: int) -> date:
    return pub - timedelta(days=(pub.weekday() - wd - 1) % 7 + 1)


def _strictly_after(pub: date, wd: int) -> date:
    return pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)


def _month_number(word: str) -> int:
    return _MONTHS[word.rstrip(".").lower()]


def _day_number(word: str) -> int:
    return int("".join(ch for ch in word if ch.isdigit()))  # "15th" -> 15


def _count(word: str | None) -> int | None:
    if word is None:
        return None
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w)
    return _NUMBERS.get(w)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _mod(groups: dict[str, str | None]) -> tuple[str | None, str]:
    """The period qualifier of a match: (relation, rule prefix)."""
    raw = groups.get("mod")
    if not raw:
        return None, ""
    words = " ".join(raw.lower().replace("-", " ").split())
    for prefix in ("the ", "very "):
        words = words.removeprefix(prefix)
    words = words.removesuffix(" of").removeprefix("very ")
    return _MODS.get(words, (None, ""))


# =====================================================================================
# Resolution of one match
# =====================================================================================
@dataclass(slots=True)
class _Res:
    value: str | None
    precision: Precision | None
    rule: str
    reason: str | None = None
    relation: str | None = None


def _unresolved_no_pub(rule: str, raw: str) -> _Res:
    return _Res(None, None, rule, NO_PUBLISHED.format(raw=raw))


def _month_day_year(m: int, d: int, pub: date, future: bool) -> int:
    if future:
        return pub.year if (m, d) >= (pub.month, pub.day) else pub.year + 1
    return pub.year if (m, d) <= (pub.month, pub.day) else pub.year - 1


def _month_year(m: int, pub: date, future: bool) -> int:
    if future:
        return pub.year if m >= pub.month else pub.year + 1
    return pub.year if m <= pub.month else pub.year - 1


def _pre_key(pre: str | None) -> str | None:
    if not pre:
        return None
    p = " ".join(pre.lower().split())
    if p in ("last", "past", "this past"):
        return "last"
    if p in ("next", "coming", "this coming"):
        return "next"
    return "this"


def _yrel_year(yrel: str, pub: date) -> int:
    return pub.year + {"last": -1, "this": 0, "next": 1}[yrel.lower()]


def _resolve(
    kind: str,
    g: dict[str, str | None],
    raw: str,
    pub: date | None,
    tense: Callable[[], Tense | None],
) -> _Res | None:
    """Resolve one match of ``kind`` (groups ``g``); None drops it."""
    mod_rel, mod_prefix = _mod(g)

    def future() -> bool:
        return tense() == "future"

    if kind == "iso":
        d = _safe_date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0))
        if d is None:
            return _Res(None, None, "absolute_iso", f"'{raw}' is not a valid date")
        return _Res(_day(d), "day", "absolute_iso")

    if kind in ("wd_mdy", "wd_dmy", "mdy", "dmy"):
        m = _month_number(g["mon"] or "")
        dd = _day_number(g["d"] or "")
        wd = _WEEKDAYS[(g["wd"] or "").lower()] if g.get("wd") else None
        if g.get("y"):
            d = _safe_date(int(g["y"] or 0), m, dd)
            if d is None:
                return _Res(None, None, "absolute_full", f"'{raw}' is not a valid date")
            return _Res(_day(d), "day", "absolute_full")
        rule = "month_day" if wd is None else "weekday_month_day"
        if g.get("yrel"):
            if pub is None:
                return _unresolved_no_pub("month_day_year_word", raw)
            d = _safe_date(_yrel_year(g["yrel"] or "", pub), m, dd)
            if d is None:
                return _Res(None, None, "month_day_year_word", f"'{raw}' is not a valid date")
            return _Res(_day(d), "day", "month_day_year_word")
        if pub is None:
            return _unresolved_no_pub(rule, raw)
        if wd is not None:
            years = (pub.year - 1, pub.year, pub.year + 1)
            options = [
                x for y in years if (x := _safe_date(y, m, dd)) and x.weekday() == wd and abs((x - pub).days) <= 183
            ]
            if options:
                best = min(options, key=lambda x: abs((x - pub).days))
                return _Res(_day(best), "day", rule)
        fut = future()
        y = _month_day_year(m, dd, pub, fut)
        d = _safe_date(y, m, dd)
        if d is None:  # February 29 in a common year: the nearest leap year in that direction
            step = 1 if fut else -1
            for k in range(1, 8):
                d = _safe_date(y + step * k, m, dd)
                if d:
                    break
        if d is None:
            return _Res(None, None, rule, f"'{raw}' is not a valid date")
        return _Res(_day(d), "day", rule + ("_after_published" if fut else ""))

    if kind == "dom":
        if pub is None:
            return _unresolved_no_pub("day_of_month", raw)
        dd = _day_number(g["d"] or "")
        which = (g.get("which") or "").lower()
        if which in ("this", "the", "last", "next"):
            base = pub + relativedelta(months={"last": -1, "next": 1}.get(which, 0))
            d = _safe_date(base.year, base.month, dd)
        else:
            fut = future()
            d = _safe_date(pub.year, pub.month, dd)
            if d is None or (fut and d < pub) or (not fut and d > pub):
                base = pub + relativedelta(months=1 if fut else -1)
                d = _safe_date(base.year, base.month, dd)
        if d is None:
            return _Res(None, None, "day_of_month", f"'{raw}' is not a valid day of that month")
        return _Res(_day(d), "day", "day_of_month")

    if kind == "month_year":
        return _Res(
            _month(int(g["y"] or 0), _month_number(g["mon"] or "")),
            "month",
            mod_prefix + "month_year",
            relation=mod_rel,
        )

    if kind in ("month_yrel", "month_rel", "month"):
        m = _month_number(g["mon"] or "")
        if kind == "month_yrel":
            rule = mod_prefix + "month_year_word"
        elif kind == "month_rel":
            rule = mod_prefix + f"{_pre_key(g.get('rel'))}_month_name"
        else:
            rule = mod_prefix + "month_name"
        if pub is None:
            return _unresolved_no_pub(rule, raw)
        if kind == "month_yrel":
            y = _yrel_year(g["yrel"] or "", pub)
        elif kind == "month_rel":
            key = _pre_key(g.get("rel"))
            if key == "last":
                y = pub.year if m < pub.month else pub.year - 1
            elif key == "next":
                y = pub.year if m > pub.month else pub.year + 1
            else:
                y = pub.year
        else:
            fut = future()
            y = _month_year(m, pub, fut)
            if fut:
                rule += "_after_published"
        return _Res(_month(y, m), "month", rule, relation=mod_rel)

    if kind == "season_year":
        return _Res(_year(int(g["y"] or 0)), "year", mod_prefix + "season_year", relation=mod_rel)

    if kind == "season_rel":
        season = (g["season"] or "").lower()
        key = _pre_key(g.get("rel"))
        rule = mod_prefix + f"{key}_season"
        if pub is None:
            return _unresolved_no_pub(rule, raw)
        start = _SEASON_START[season]
        if key == "this":
            y = pub.year
        elif season == "winter":
            return _Res(None, None, rule, f"'{raw}' spans two years: not resolved")
        elif key == "last":
            y = pub.year if pub.month >= start + 3 else pub.year - 1
        else:
            y = pub.year if pub.month < start else pub.year + 1
        return _Res(_year(y), "year", rule, relation=mod_rel)

    if kind == "weekday":
        wd = _WEEKDAYS[(g["wd"] or "").lower()]
        if g.get("wk"):  # "Thursday next week"
            wk = (g["wk"] or "").lower()
            rule = f"weekday_{wk}_week"
            if pub is None:
                return _unresolved_no_pub(rule, raw)
            step = {"last": -1, "this": 0, "next": 1}[wk]
            return _Res(_day(_monday(pub) + timedelta(weeks=step, days=wd)), "day", rule)
        key = _pre_key(g.get("pre"))
        if key == "last":
            rule = "last_weekday"
        elif key == "next":
            rule = "next_weekday"
        elif key == "this":
            rule = "this_weekday"
        else:
            rule = "weekday_after_published" if future() else "weekday_before_published"
        if pub is None:
            return _unresolved_no_pub(rule, raw)
        if rule == "last_weekday":
            d = _strictly_before(pub, wd)
        elif rule in ("next_weekday", "weekday_after_published"):
            d = _strictly_after(pub, wd)
        elif rule == "this_weekday":
            d = _monday(pub) + timedelta(days=wd)
        else:
            d = _on_or_before(pub, wd)
        return _Res(_day(d), "day", rule)

    if kind == "relday":
        word = " ".join((g["word"] or "").lower().split())
        offsets = {
            "yesterday": -1,
            "last night": -1,
            "the day before yesterday": -2,
            "tomorrow": 1,
            "the day after tomorrow": 2,
        }
        rule = word.replace(" ", "_")
        if pub is None:
            return _unresolved_no_pub(rule, raw)
        return _Res(_day(pub + timedelta(days=offsets.get(word, 0))), "day", rule)

    if kind == "rel_unit":
        rel = " ".join((g["rel"] or "").lower().split())
        if rel == "the" and not g.get("mod"):
            return None  # "the year" alone is not a date
        key = {"the": "this", "the coming": "next", "coming": "next"}.get(rel, rel)
        unit = (g["unit"] or "").lower()
        rule = mod_prefix + f"{key}_{unit}"
        if pub is None:
            return _unresolved_no_pub(rule, raw)
        step = {"last": -1, "this": 0, "next": 1}[key]
        if unit == "week":
            return _Res(_day(_monday(pub) + timedelta(weeks=step)), "day", rule, relation="week")
        if unit == "month":
            d = pub + relativedelta(months=step)
            return _Res(_month(d.year, d.month), "month", rule, relation=mod_rel)
        return _Res(_year(pub.year + step), "year", rule, relation=mod_rel)

    if kind == "yearend":
        if pub is None:
            return _unresolved_no_pub("year_end", raw)
        return _Res(_year(pub.year), "year", "year_end", relation="end")

    if kind == "year":
        return _Res(_year(int(g["y"] or 0)), "year", mod_prefix + "year", relation=mod_rel)

    if kind == "ago":
        n = _count(g.get("n"))
        unit = (g["unit"] or "").lower()
        rule = f"{unit}s_ago"
        if n is None:
            return _Res(None, None, rule, f"'{raw}' gives no exact amount")
        if pub is None:
            return _unresolved_no_pub(rule, raw)
        if unit == "day":
            return _Res(_day(pub - timedelta(days=n)), "day", rule)
        if unit == "week":
            return _Res(_day(_monday(pub - timedelta(weeks=n))), "day", rule, relation="week")
        if unit == "month":
            d = pub - relativedelta(months=n)
            return _Res(_month(d.year, d.month), "month", rule)
        if unit == "year":
            return _Res(_year(pub.year - n), "year", rule)
        return _Res(None, None, rule, f"'{raw}' is a decade: no day, month or year precision fits")

    if kind == "decade":
        return _Res(None, None, "decade", f"'{raw}' is a decade: no day, month or year precision fits")

    if kind == "duration":
        return _Res(None, None, "duration", f"'{raw}' is a duration, not a point in time", relation="duration")

    return None


def _same_day(word: str, raw: str, anchor: DateValue | None) -> _Res:
    w = " ".join(word.lower().split())
    shift = 0
    if w in ("the previous day", "the day before"):
        shift = -1
    elif w in ("the next day", "the following day", "the day after"):
        shift = 1
    rule = "same_day" if shift == 0 else ("previous_day" if shift < 0 else "next_day")
    if anchor is None or anchor.value is None:
        return _Res(
            None,
            None,
            rule,
            f"'{raw}' refers to the date of another event, and no day is given earlier in the sentence",
        )
    d = date.fromisoformat(anchor.value) + timedelta(days=shift)
    return _Res(_day(d), "day", rule)


# =====================================================================================
# Tense
# =====================================================================================
_FUTURE_AUX = {"will", "'ll", "’ll", "ll", "shall", "wo", "sha"}
_PLAN_LEMMAS = {
    "schedule", "slate", "set", "due", "plan", "expect", "intend", "aim", "poise", "prepare", "go", "likely",
}  # fmt: skip
_PLAN_WORDS = {
    "scheduled", "slated", "due", "set", "expected", "planned", "poised", "going", "plans", "plan", "planning",
    "intends", "intend", "aims", "aim", "likely", "preparing", "prepares",
}  # fmt: skip
_PRESENT_BE = {"is", "are", "am", "'s", "'re", "'m", "’s", "’re", "be", "remain", "remains"}
_PAST_AUX = {"was", "were", "had", "has", "have", "'ve", "’ve", "'d", "’d", "been", "did"}
_FUTURE_AMOD = {"upcoming", "next", "forthcoming", "coming", "planned", "scheduled", "proposed"}
_BOUNDARY_WORDS = {
    ".", "!", "?", ";", ":", "that", "said", "says", "told", "—", "–", "(", ")", '"', "“", "”", "'",
    "according",
}  # fmt: skip
_FILLER = {
    "on", "in", "late", "early", "and", "but", "by", "since", "until", "before", "after", "from", "the", "as",
    "of", "at", "then",
}  # fmt: skip


def _lexical_future(words: Sequence[str]) -> bool:
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        prev = words[i - 1] if i else ""
        if w in _FUTURE_AUX or w in ("upcoming", "forthcoming") or (w == "next" and nxt != "to"):
            return True
        if w == "would" and nxt not in ("have", "'ve", "’ve"):
            return True
        if w in _PLAN_WORDS and nxt in ("to", "for") and prev not in _PAST_AUX:
            return True
    return False


def _lexical_tense(left: Sequence[str], right: Sequence[str]) -> Tense | None:
    """Future when the clause around the expression has a future cue; None otherwise."""
    lw: list[str] = []
    for w in reversed(left[-14:]):
        if w in _BOUNDARY_WORDS or w == ",":
            break
        lw.append(w)
    lw.reverse()
    if _lexical_future(lw):
        return "future"
    if all(w in _FILLER for w in lw):
        rw: list[str] = []
        for i, w in enumerate(right[:14]):
            if w == "," and i == 0:
                continue
            if w in _BOUNDARY_WORDS or w == ",":
                break
            rw.append(w)
        if _lexical_future(rw):
            return "future"
    return None


def _verb_tense(v: Token, depth: int = 0) -> Tense | None:
    auxes = [c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(a in _FUTURE_AUX for a in auxes):
        return "future"
    if "would" in auxes and not any(a in ("have", "'ve", "’ve") for a in auxes):
        return "future"
    lemma = v.lemma_.lower()
    if (
        lemma in _PLAN_LEMMAS
        and lemma != "set"
        or (lemma == "set" and any(c.dep_ in ("xcomp", "prep") for c in v.children))
    ):
        head_tag = v.head.tag_ if v.pos_ == "ADJ" else ""
        if v.tag_ in ("VBZ", "VBP") or any(a in _PRESENT_BE for a in auxes) or head_tag in ("VBZ", "VBP"):
            return "future"
        if lemma == "go" and v.tag_ == "VBG" and any(a in _PRESENT_BE for a in auxes):
            return "future"
    # nouns with "upcoming"/"next" as subject: "the next round is on Monday"
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass") and any(a.dep_ == "amod" and a.lower_ in _FUTURE_AMOD for a in c.children):
            return "future"
    if "to" in auxes and depth < 3 and v.head.i != v.i:
        return _verb_tense(v.head, depth + 1)
    if v.pos_ == "ADJ" and depth < 3 and v.head.i != v.i:
        return _verb_tense(v.head, depth + 1)
    if v.tag_ == "VBD" or any(a in _PAST_AUX for a in auxes):
        return "past"
    if v.tag_ == "VBN":
        return None if lemma in _PLAN_LEMMAS else "past"
    if v.tag_ in ("VBZ", "VBP") or any(a in _PRESENT_BE for a in auxes):
        return "present"
    if v.tag_ == "VBG" and depth < 3 and v.head.i != v.i:
        return _verb_tense(v.head, depth + 1)
    return None


def _parse_tense(doc: Doc, start: int, end: int) -> Tense | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") or tok.tag_ == "MD":
            return _verb_tense(tok)
        if tok.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "amod" and c.lower_ in _FUTURE_AMOD for c in tok.children):
            return "future"
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


# =====================================================================================
# Finding expressions
# =====================================================================================
def _words_in(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(start, lower-case word) for the whole words of ``text[start:end]``."""
    out = [(m.start(), m.group().lower()) for m in _WORD_RE.finditer(text, start, end)]
    if out and out[0][0] == start and start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        out.pop(0)  # the window cut a word
    return out


def _lead(text: str, start: int) -> tuple[str, int]:
    """The word (or fixed phrase: "prior to", "no later than") just before ``start``."""
    ws = _words_in(text, max(0, start - 30), start)
    for n in (3, 2):
        if len(ws) >= n:
            phrase = " ".join(w for _, w in ws[-n:])
            if phrase in _MULTI_LEADS:
                return phrase, ws[-n][0]
    if ws:
        return ws[-1][1], ws[-1][0]
    return "", start


@dataclass(slots=True)
class _Found:
    kind: str
    start: int  # of the expression proper (without a relation word)
    end: int
    groups: dict[str, str | None]
    lead: str  # the word or fixed phrase just before, lower case ("" if none)
    lead_start: int  # where it starts


def _scan(text: str) -> Iterator[_Found]:
    """Date expressions of ``text``, left to right, not overlapping.

    One pass of ``_ANCHOR`` finds the words an expression can hang on; the kind patterns are
    tried at the anchor and at the few words before it that may begin an expression.
    """
    consumed = 0
    for a in _ANCHOR.finditer(text):
        a0 = a.start()
        if a0 < consumed:
            continue
        starts: list[int] = []
        for s, w in reversed(_words_in(text, max(consumed, a0 - 48), a0)):
            if w not in _PREFIX_WORDS or len(starts) >= 6:
                break
            starts.append(s)
        starts.reverse()
        starts.append(a0)
        for s in starts:
            m = _MASTER.match(text, s)
            if m is None or m.end() <= a0:
                continue
            kind = m.lastgroup or ""
            sub = _KIND_RE[kind].match(text, s)
            groups: dict[str, str | None] = sub.groupdict() if sub else {}
            lead, lead_start = _lead(text, s)
            yield _Found(kind, s, m.end(), groups, lead, lead_start)
            consumed = m.end()
            break


def _keep(f: _Found, in_entity: Callable[[int, int], bool], lenient: bool) -> bool:
    """Drop matches that are too ambiguous to be dates in their context."""
    g = f.groups
    if f.kind == "month" and not g.get("mod") and (g.get("mon") or "") in ("May", "March"):
        return lenient or f.lead in _MONTH_LEADS or in_entity(f.start, f.end)
    if f.kind == "year" and not g.get("mod"):
        return lenient or f.lead in _YEAR_LEADS or in_entity(f.start, f.end)
    if f.kind == "duration":
        if not (g.get("q") or g.get("n") or g.get("pl")):
            return False  # a bare "year"
        return bool(g.get("q")) or f.lead in _DURATION_LEADS
    return True


def _relation(f: _Found, previous: DateValue | None, text: str) -> tuple[str | None, int]:
    """(relation, span start): the preposition before a match and where the span begins."""
    if f.kind in ("duration", "decade", "sameday", "ago"):
        return None, f.start
    rel = _RELATIONS.get(f.lead)
    if (
        rel is None
        and f.lead in ("to", "and", "-", "–")
        and previous is not None
        and previous.relation == "from"
        and previous.span
        and not text[previous.span.end : f.lead_start].strip()
    ):
        return "until", f.start if f.lead in ("-", "–") else f.lead_start  # "from Tuesday to Thursday"
    if rel is None:
        return None, f.start
    return rel, f.lead_start


# =====================================================================================
# The document
# =====================================================================================
_SENTENCE_OPENERS = {"on", "later", "earlier", "that", "the", "same", ",", "also", "and", "but", "then", "it", "was"}


class _Context:
    """What the rules need to know about a document: its sentences, parse and entities."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.date_ents = [e for e in doc.ents if e.label_ == "DATE"]
        self._parsed: bool | None = None
        self._sent_starts: list[int] | None = None

    @property
    def parsed(self) -> bool:
        if self._parsed is None:
            self._parsed = bool(len(self.doc) and self.doc.to_array("DEP").any())
        return self._parsed

    @property
    def sent_starts(self) -> list[int]:
        if self._sent_starts is None:
            doc = self.doc
            arr = doc.to_array(["SENT_START", "IDX"]).astype("int64") if len(doc) else None
            if arr is not None and (arr[:, 0] == 1).sum() > 1:
                self._sent_starts = sorted({0, *(int(i) for i in arr[arr[:, 0] == 1, 1])})
            else:  # a blank pipeline: sentence-final punctuation ("Dec." is one token)
                self._sent_starts = [0] + [doc[t.i + 1].idx for t in doc[:-1] if t.text in (".", "!", "?")]
        return self._sent_starts

    def sentence(self, char: int) -> int:
        return bisect.bisect_right(self.sent_starts, char) - 1

    def opens_sentence(self, char: int) -> bool:
        """Only words like "On", "Later that" stand between the sentence start and ``char``."""
        s0 = self.sent_starts[self.sentence(char)]
        return all(w in _SENTENCE_OPENERS for _, w in _words_in(self.text, s0, char))

    def tense(self, start: int, end: int) -> Tense | None:
        if self.parsed:
            t = _parse_tense(self.doc, start, end)
            if t is not None:
                return t
        left = [w for _, w in _words_in(self.text, max(0, start - 120), start)]
        right = [w for _, w in _words_in(self.text, end, end + 120)]
        return _lexical_tense(left, right)

    def in_date_entity(self, start: int, end: int) -> bool:
        return any(e.start_char <= start and end <= e.end_char for e in self.date_ents)

    def anchor_day(self, start: int, out: list[DateValue]) -> DateValue | None:
        """The day "on the day" refers to: the nearest earlier day-precision date of the
        sentence, or of the sentence before when the expression opens its sentence."""
        sent = self.sentence(start)
        days = [d for d in out if d.span and d.precision == "day" and d.value and d.relation is None]
        same = [d for d in days if d.span and self.sentence(d.span.start) == sent]
        if same:
            return same[-1]
        if sent > 0 and self.opens_sentence(start):
            prev = [d for d in days if d.span and self.sentence(d.span.start) == sent - 1]
            if prev:
                return prev[-1]
        return None


_HEAD_CHARS = 300  # the lines above a story's body: title, kicker, dateline
_HEAD_DAYS = 7  # a page put up this many days after the day its title gives at most


def _headline_day(text: str, pub: date | None) -> date | None:
    """The full date a text's title line gives ("PM call with President Xi: 25 September 2017"),
    when it is a few days before the publication date: the day the text speaks from, so its
    "today" and "yesterday" are counted from it (a press release put on the site a day later)."""
    if pub is None:
        return None
    head = text[:_HEAD_CHARS]
    first_para = head.find("\n\n", head.find("\n\n") + 2)  # the title block: a kicker line, then the title
    for f in _scan(head):
        if f.kind not in ("mdy", "dmy", "wd_mdy", "wd_dmy", "iso") or (first_para != -1 and f.start > first_para):
            continue
        res = _resolve(f.kind, f.groups, head[f.start:f.end], pub, lambda: None)
        if res is None or res.value is None or res.precision != "day":
            continue
        day = date.fromisoformat(res.value)
        if day < pub and (pub - day).days <= _HEAD_DAYS:
            return day
        return None
    return None


def extract_dates(doc: Doc, published: date | None, *, earliest: date | None = None) -> list[DateValue]:
    """Every date expression of ``doc``, in text order, resolved against ``published``.

    When the source gives only the month or year of publication, ``earliest`` and
    ``published`` are the first and last day it allows: each expression is resolved against
    both, and keeps what the two agree on ("this week" in a text of December 2023 is
    ``2023-12``; "on Tuesday" at the turn of a month only its year).

    Pure: reads only the Doc (its text, and its parse and ``DATE`` entities when present).
    See the module docstring for the rules and the decisions behind them.
    """
    pub = published.date() if isinstance(published, datetime) else published
    first = earliest.date() if isinstance(earliest, datetime) else earliest
    ctx = _Context(doc)
    text = ctx.text
    if first is None or first == pub:
        pub = first = _headline_day(text, pub) or pub
    out: list[DateValue] = []
    for f in _scan(text):
        if not _keep(f, ctx.in_date_entity, lenient=False):
            continue
        relation, start = _relation(f, out[-1] if out else None, text)
        raw = text[start : f.end]
        if f.kind == "sameday":
            word = f.groups.get("word") or f.groups.get("word2") or raw
            res: _Res | None = _same_day(word, raw, ctx.anchor_day(f.start, out))
        else:
            tense = _tense_of(relation, partial(ctx.tense, f.start, f.end))
            res = _resolve(f.kind, f.groups, raw, pub, tense)
            if res is not None and first is not None and first != pub:
                res = _agree(res, _resolve(f.kind, f.groups, raw, first, tense), first, pub)
        if res is None:
            continue
        out.append(
            DateValue(
                res.value, res.precision, raw, Span(start, f.end, raw), res.rule, res.reason, relation or res.relation
            )
        )
    covered = [(d.span.start, d.span.end) for d in out if d.span]
    out.extend(_entity_dates(ctx.date_ents, covered, text))
    out.sort(key=lambda d: d.span.start if d.span else -1)
    return out


def _agree(late: _Res, early: _Res | None, first: date, last: date | None = None) -> _Res:
    """What two resolutions against the first and last possible publication day share: the
    date itself, else its month or year, else nothing (with the reason). A day in the week
    before the first possible day ("this week", "on Tuesday" against the 1st) counts as that
    first day: a text published in a month speaks of that month's days."""
    if early is None or early.value == late.value or late.value is None:
        return late
    a, b = late.value, early.value or ""
    if early.precision == "day" and first - timedelta(days=7) <= date.fromisoformat(b) < first:
        b = first.isoformat()
    if late.precision == "day" and early.precision == "day" and b and last is not None:
        # "November 19" in a text of November: the reading inside the publication period wins
        in_a, in_b = first.isoformat() <= a <= last.isoformat(), first.isoformat() <= b <= last.isoformat()
        if in_a != in_b:
            return late if in_a else early
    for n, precision in ((7, "month"), (4, "year")):
        if len(a) >= n and len(b) >= n and a[:n] == b[:n]:
            return replace(late, value=a[:n], precision=precision, rule=late.rule + "+partial_published")  # type: ignore[arg-type]
    return replace(late, value=None, precision=None, rule=late.rule + "+partial_published",
                   reason=f"'{late.value}' or '{early.value}': the publication date is known only to the month or year")


def _tense_of(relation: str | None, compute: Callable[[], Tense | None]) -> Callable[[], Tense | None]:
    """The tense of a match, computed once and only if a rule asks; "since" is always past."""
    memo: list[Tense | None] = []

    def tense() -> Tense | None:
        if relation == "since":
            return "past"
        if not memo:
            memo.append(compute())
        return memo[0]

    return tense


def _entity_dates(ents: Iterable[SpacySpan], covered: list[tuple[int, int]], text: str) -> list[DateValue]:
    """``DATE`` entities that no pattern matched: durations, or kept unresolved with a reason."""
    extra: list[DateValue] = []
    for ent in ents:
        s, e = ent.start_char, ent.end_char
        if any(a < e and s < b for a, b in covered):
            continue
        raw = ent.text
        low = raw.lower()
        if low in _NOT_ENTITY_DATES or _AGE_RE.search(raw) or re.match(r"an?\s", low):
            continue  # "annual", "a 67-year-old", "at an early date"
        if _DURATION_RE.search(raw):
            lead, _ = _lead(text, s)
            if lead in _DURATION_LEADS or re.match(
                r"(?:the\s+)?(?:past|last|recent|previous|coming|next|more|over|nearly|almost)\b", low
            ):
                reason = f"'{raw}' is a duration, not a point in time"
                extra.append(DateValue(None, None, raw, Span(s, e, raw), "ner_duration", reason, "duration"))
            continue
        reason = f"no rule resolves the date expression '{raw}'"
        extra.append(DateValue(None, None, raw, Span(s, e, raw), "ner_unresolved", reason))
    return extra


def resolve_date_text(text: str, published: date | None, *, tense: Tense | None = None) -> Resolution:
    """Resolve the first date expression in ``text`` against ``published``.

    ``tense`` ("past", "present", "future") says how to read a weekday or a month without a
    year; when None it is read from the words of ``text`` ("will meet on Monday" is future).
    A preposition in ``text`` sets the relation ("by the end of 2026" -> ``by``). Bare years
    and a bare "May" are accepted here. When no date expression is found the value is None
    and the reason says so; "on the day" cannot be resolved from text alone.

    >>> resolve_date_text("on Thursday", date(2023, 12, 22)).value
    '2023-12-21'
    """
    pub = published.date() if isinstance(published, datetime) else published
    for f in _scan(text):
        if not _keep(f, lambda s, e: False, lenient=True):
            continue
        relation, start = _relation(f, None, text)
        raw = text[start : f.end]
        if f.kind == "sameday":
            res: _Res | None = _same_day(f.groups.get("word") or f.groups.get("word2") or raw, raw, None)
        else:

            def infer(f: _Found = f) -> Tense | None:
                if tense is not None:
                    return tense
                left = [w for _, w in _words_in(text, 0, f.start)]
                right = [w for _, w in _words_in(text, f.end, len(text))]
                return _lexical_tense(left, right)

            res = _resolve(f.kind, f.groups, raw, pub, _tense_of(relation, infer))
        if res is None:
            continue
        return Resolution(res.value, res.precision, res.reason, relation or res.relation, res.rule, raw)
    return Resolution(None, None, f"no date expression found in '{text.strip()}'", None, "none", "")


def dates_in(dates: Iterable[DateValue], start: int, end: int) -> list[DateValue]:
    """The dates whose span lies inside the character range ``[start, end)``, in text order."""
    inside = [d for d in dates if d.span is not None and start <= d.span.start and d.span.end <= end]
    inside.sort(key=lambda d: d.span.start if d.span else 0)
    return inside
