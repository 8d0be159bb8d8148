"""Plain-language questions as filters: "Dutch chip export controls on China since 2023" becomes
actor NL, target CN, relation restriction, themes semiconductors and export controls, from
2023-01-01. Each filter keeps the words that produced it, and words that map to nothing are kept as
text search. Themes, countries and organizations come from the tagger (its vocabulary in every
language it knows); question-shaped words come from `core/data/questions.toml`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from core.datafiles import read_toml
from core.queries import Filters
from core.tagging.lexicon import find_org, load_lexicon
from core.taxonomy import is_country_code

if TYPE_CHECKING:
    from core.tagging.tagger import Tagger

_YEAR = r"(?:19|20)\d\d"
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
           "december")
_MONTH = r"(?:" + "|".join(m[:3] + f"(?:{m[3:]})?" for m in _MONTHS) + r")\.?"


@dataclass(frozen=True)
class Understood:
    """One filter read from the question, with the words that produced it."""

    param: str  # theme, country, org, actor, target, rel, stage, dates, q
    value: str
    words: str


@dataclass(frozen=True)
class Reading:
    """What a question became: the filters, each part with its words, and the words left as text."""

    filters: Filters
    understood: tuple[Understood, ...]
    text: str


@dataclass(frozen=True)
class _Vocab:
    themes: dict[str, re.Pattern[str]]
    relations: dict[str, re.Pattern[str]]
    target_markers: frozenset[str]
    actor_markers: frozenset[str]
    stages: dict[str, re.Pattern[str]]
    stop: frozenset[str]


def _phrases(words: list[str]) -> re.Pattern[str]:
    parts = []
    for w in sorted(words, key=len, reverse=True):
        p = re.escape(w.lower()).replace(r"\?", ".")
        parts.append(p[:-2] + r"\w*" if p.endswith(r"\*") else p)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@cache
def vocab() -> _Vocab:
    raw = read_toml("questions.toml")
    rel = raw["relations"]
    return _Vocab(
        themes={k: _phrases(v) for k, v in raw["themes"].items()},
        relations={k: _phrases(rel[k]) for k in ("restriction", "cooperation", "competition")},
        target_markers=frozenset(rel["target_markers"]), actor_markers=frozenset(rel["actor_markers"]),
        stages={k: _phrases(v) for k, v in raw["stages"].items()},
        stop=frozenset(raw["stop"]["words"]),
    )


def _dates(q: str, today: dt.date, used: list[tuple[int, int]]) -> tuple[dt.date | None, dt.date | None, list[Understood]]:
    """Date words: since/after/before/until a year or month, between two years, a year, last year, this year."""
    low = q.lower()
    rules: list[tuple[str, object]] = [
        (rf"\b(?:between|from)\s+({_YEAR})\s+(?:and|to|-)\s+({_YEAR})\b", lambda m: (_y(m[1]), _y(m[2], end=True))),
        (rf"\b({_YEAR})\s*[-–]\s*({_YEAR})\b", lambda m: (_y(m[1]), _y(m[2], end=True))),
        (rf"\b(?:since|after|from)\s+({_MONTH})\s+({_YEAR})\b", lambda m: (_month(m[1], m[2]), None)),
        (rf"\b(?:since|after|from)\s+({_YEAR})\b", lambda m: (_y(m[1]), None)),
        (rf"\b(?:before)\s+({_YEAR})\b", lambda m: (None, _y(str(int(m[1]) - 1), end=True))),
        (rf"\b(?:until|till|up to|through)\s+({_YEAR})\b", lambda m: (None, _y(m[1], end=True))),
        (rf"\b(?:in\s+)?({_MONTH})\s+({_YEAR})\b", lambda m: (_month(m[1], m[2]), _month_end(m[1], m[2]))),
        (rf"\b(?:in\s+|during\s+)?({_YEAR})\b", lambda m: (_y(m[1]), _y(m[1], end=True))),
        (r"\blast\s+year\b", lambda m: (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))),
        (r"\bthis\s+year\b", lambda m: (dt.date(today.year, 1, 1), today)),
        (r"\b(?:last|past)\s+(\d{1,2})\s+months?\b", lambda m: (_months_ago(today, int(m[1])), today)),
    ]
    for pattern, make in rules:
        m = re.search(pattern, low)
        if m:
            start, end = make(m)  # type: ignore[operator]
            used.append(m.span())
            chip = Understood("dates", f"{start or ''}..{end or ''}", q[m.start():m.end()])
            return start, end, [chip]
    return None, None, []


def _y(year: str, end: bool = False) -> dt.date:
    return dt.date(int(year), 12, 31) if end else dt.date(int(year), 1, 1)


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(name.lower().rstrip(".")[:3]))


def _month(name: str, year: str) -> dt.date:
    return dt.date(int(year), _month_number(name), 1)


def _month_end(name: str, year: str) -> dt.date:
    first = _month(name, year)
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _months_ago(today: dt.date, n: int) -> dt.date:
    month = today.month - n
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _free(span: tuple[int, int], used: list[tuple[int, int]]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in used)


def understand(question: str, today: dt.date | None = None) -> Reading:
    """The filters a plain-language question asks for (see the module's docstring)."""

    today = today or dt.date.today()
    q = " ".join(question.split())[:300]
    used: list[tuple[int, int]] = []
    start, end, chips = _dates(q, today, used)
    result = _tagger().tag(q, "", None)
    v = vocab()
    themes: dict[str, str] = {}
    for tag in result.themes:
        if tag.tagged:
            themes[tag.value] = ", ".join(dict.fromkeys(e.cue for e in tag.evidence))
            used += [(e.start, e.end) for e in tag.evidence]
    for theme, pattern in v.themes.items():
        for m in pattern.finditer(q):
            if _free(m.span(), used) or theme not in themes:
                themes.setdefault(theme, m.group(0))
                used.append(m.span())
    countries: dict[str, tuple[int, str]] = {}  # code -> (first position, words)
    for tag in result.countries:  # in a question every country named is meant, even once and in passing
        if tag.evidence:
            first = min(tag.evidence, key=lambda e: e.start)
            countries[tag.value] = (first.start, ", ".join(dict.fromkeys(e.cue for e in tag.evidence)))
            used += [(e.start, e.end) for e in tag.evidence]
    registry = load_lexicon().orgs
    orgs = {t.label: ", ".join(dict.fromkeys(e.cue for e in t.evidence)) for t in result.orgs if t.tagged and t.value in registry}
    for tag in result.orgs:
        used += [(e.start, e.end) for e in tag.evidence]
    actor, target, rel, rel_words = _direction(q, countries, v, used)
    stages = {}
    for stage, pattern in v.stages.items():
        hit = pattern.search(q)
        if hit:
            stages[stage] = hit.group(0)
            used.append(hit.span())
    chips += [Understood("theme", t, w) for t, w in themes.items()]
    plain = {c: w for c, (_, w) in countries.items() if c not in (actor, target)}
    chips += [Understood("country", c, w) for c, w in plain.items()]
    if actor:
        chips.append(Understood("actor", actor, countries[actor][1]))
    if target:
        chips.append(Understood("target", target, countries[target][1]))
    if rel:
        chips.append(Understood("rel", rel, rel_words))
    chips += [Understood("org", o, w) for o, w in orgs.items()]
    chips += [Understood("stage", s, w) for s, w in stages.items()]
    rest = _rest(q, used, v.stop)
    if rest:
        chips.append(Understood("q", rest, rest))
    f = Filters(themes=tuple(themes), countries=tuple(plain), orgs=tuple(orgs), start=start, end=end, q=rest,
                stages=tuple(stages), actors=(actor,) if actor else (), targets=(target,) if target else (),
                rels=(rel,) if rel else ())
    return Reading(f, tuple(chips), rest)


LOOKUP_PARAMS = {"country": ("country", "actor", "target"), "theme": ("theme",), "org": ("org",)}


def lookup(kind: str, text: str) -> tuple[str, ...]:
    """What a name typed into a selector stands for, by the question reader's vocabulary: country codes
    for kind "country" ("PRC", "Chinese", "Japon"), theme ids for "theme" ("chips"), registry
    organization names for "org" ("BIS", "Nvidia"); empty when it stands for none."""
    text = " ".join(text.split())[:200]
    if kind == "country" and is_country_code(text.upper()):
        return (text.upper(),)
    if kind == "org":
        org = find_org(text)
        if org is not None:
            return (org.name,)
    reading = understand(text)
    return tuple(dict.fromkeys(u.value for u in reading.understood if u.param in LOOKUP_PARAMS[kind]))


@cache
def _tagger() -> Tagger:
    from core.tagging.tagger import Tagger

    return Tagger()


def _direction(q: str, countries: dict[str, tuple[int, str]], v: _Vocab,
               used: list[tuple[int, int]]) -> tuple[str | None, str | None, str | None, str]:
    """(actor, target, relation type, words) when the question says who acts on whom."""
    if not countries:
        return None, None, None, ""
    words = [(m.start(), m.group(0).lower()) for m in re.finditer(r"[\w-]+", q)]
    found = []
    for rtype, pattern in v.relations.items():
        found += [(m.start(), m.end(), rtype, m.group(0)) for m in pattern.finditer(q)]
    if not found:
        return None, None, None, ""
    start, stop, rtype, cue = min(found)
    by_position = sorted((pos, code) for code, (pos, _) in countries.items())
    target_at = next((p for p, w in words if p >= stop and w in v.target_markers), None)
    actor_at = next((p for p, w in words if p >= start and w in v.actor_markers), None)
    target = next((code for pos, code in by_position if target_at is not None and pos > target_at), None)
    actor = next((code for pos, code in by_position if actor_at is not None and pos > actor_at and code != target), None)
    if actor is None:  # the country named before the target's marker (or before the cue) acts
        limit = target_at if target_at is not None else start
        before = [code for pos, code in by_position if pos < limit and code != target]
        actor = before[-1] if before else None
    if rtype == "cooperation" and target is None and len(by_position) >= 2:
        actor, target = by_position[0][1], by_position[1][1]
    if actor is None and target is None:
        return None, None, None, ""
    used.append((start, stop))
    return actor, target, rtype, cue


def _rest(q: str, used: list[tuple[int, int]], stop: frozenset[str]) -> str:
    """The words no filter took and that ask for something (not question words), as text search."""
    kept = []
    for m in re.finditer(r"[\w'-]+", q):
        if _free(m.span(), used) and m.group(0).lower() not in stop and not m.group(0).isdigit():
            kept.append(m.group(0))
    return " ".join(kept)


def apply(reading: Reading, current: Filters) -> Filters:
    """The current filters with what the question asked for in their place (a question replaces the view)."""
    return dataclasses.replace(current, **{k: getattr(reading.filters, k) for k in (
        "themes", "countries", "orgs", "start", "end", "q", "stages", "actors", "targets", "rels")})
