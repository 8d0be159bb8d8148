"""One event per happening: articles about the same happening merge into one event.

Two events are the same happening when their dates are within a few days, they share
a country (or neither names one), and their titles or their texts say nearly the same
thing (word-set Jaccard similarity). Wire copies of one story with different headlines
match on the text; rewrites of one headline match on the title. The merged event keeps
the earliest event's id, title and text, and lists every source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.datafiles import read_toml
from core.models import Event

_WORDS = read_toml("words.toml")["merge"]

DAYS = 3
TITLE_SIMILARITY = 0.6
TEXT_SIMILARITY = 0.6
_WORD = re.compile(r"\w{3,}")
_STOP = frozenset(_WORDS["stop"])


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.casefold()) if w not in _STOP)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def same_happening(a: Event, b: Event) -> bool:
    """True when two events report the same happening (or share a source article)."""
    return _same(a, b, event_words(a), event_words(b))


def event_words(event: Event) -> tuple[frozenset[str], frozenset[str]]:
    """The words of an event's title and of its text (or summary), as merging compares them."""
    return words(event.title), words(event.text or event.summary)



def previews(early: Event, event: Event) -> bool:
    """True when `early` announced ahead of time (its date lies after its article) the happening that
    `event` reports: the same day, at least two countries in common and a theme in common (a
    summit preview and the summit itself)."""
    return (early.scheduled and not event.scheduled and early.date is not None and early.date == event.date
            and len(set(early.countries) & set(event.countries)) >= 2 and bool(set(early.themes) & set(event.themes)))


def combine(primary: Event, other: Event) -> Event:
    """The primary event with the other's sources and labels added; a curated event keeps its own
    labels (a curator's labels win) and only gains sources."""
    known = {s.article_id for s in primary.sources}
    sources = (*primary.sources, *(s for s in other.sources if s.article_id not in known))
    if primary.curated:
        return primary.model_copy(update={"sources": sources})
    return primary.model_copy(update={
        "sources": sources,
        "themes": tuple(dict.fromkeys((*primary.themes, *other.themes))),
        "countries": tuple(sorted({*primary.countries, *other.countries})),
        "organizations": tuple(dict.fromkeys((*primary.organizations, *other.organizations))),
    })


def merge_events(events: Iterable[Event], leaders: frozenset[str] = frozenset()) -> list[Event]:
    """Events with the same happening merged.

    A curated event leads its merge (its id, title and labels win); then events whose id is in
    `leaders` (already stored), so stored ids do not change; otherwise the earliest event (then
    the first by id) leads. Only events within DAYS of each other that share a country (or both
    name none) are compared, each event's words computed once: a batch of a large ingest costs
    what can match, not every pair of events near in time.
    """
    ordered = sorted(events, key=lambda e: (not e.curated, e.id not in leaders, e.date is None, e.date, e.id))
    merged: list[Event] = []
    index: dict[tuple[int | None, str], list[int]] = {}
    by_article: dict[str, int] = {}
    memo: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
    for event in ordered:
        day = event.date.toordinal() if event.date else None
        days = [None] if day is None else range(day - DAYS, day + DAYS + 1)
        near = {i for d in days for c in (event.countries or ("",)) for i in index.get((d, c), ())}
        near |= {by_article[s.article_id] for s in event.sources if s.article_id in by_article}
        mine = event_words(event)
        for i in sorted(near, key=lambda i: (merged[i].date is None, merged[i].date, i)):
            if _same(merged[i], event, memo[i], mine):
                merged[i] = combine(merged[i], event)
                _index(index, by_article, merged[i], i)
                break
        else:
            memo[len(merged)] = mine
            _index(index, by_article, event, len(merged))
            merged.append(event)
    return merged


def _index(index: dict[tuple[int | None, str], list[int]], by_article: dict[str, int], event: Event, i: int) -> None:
    """File a merged event under its day and each of its countries (a merge can add countries)."""
    day = event.date.toordinal() if event.date else None
    for c in event.countries or ("",):
        bucket = index.setdefault((day, c), [])
        if i not in bucket:
            bucket.append(i)
    for s in event.sources:
        by_article.setdefault(s.article_id, i)


def _same(a: Event, b: Event, wa: tuple[frozenset[str], frozenset[str]], wb: tuple[frozenset[str], frozenset[str]]) -> bool:
    """`same_happening` with each event's words given."""
    if {s.article_id for s in a.sources} & {s.article_id for s in b.sources}:
        return True
    if a.curated and b.curated:  # a curator keeps apart what are two records (two stages of one law, say)
        return False
    if a.date and b.date and abs((a.date - b.date).days) > DAYS:
        return False
    if (a.countries or b.countries) and not set(a.countries) & set(b.countries):
        return False
    if previews(a, b) or previews(b, a):
        return True
    if jaccard(wa[0], wb[0]) >= TITLE_SIMILARITY:
        return True
    return jaccard(wa[1], wb[1]) >= TEXT_SIMILARITY
