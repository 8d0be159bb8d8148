"""One pass of a multi-pattern matcher (Aho-Corasick) over a text.

Every cue of every kind (themes, countries, organizations, leaders, blockers, co-cues)
lives in one automaton over the case-folded text. A match is kept when its word
boundaries hold, its case matches for case-sensitive cues, and one of its required
co-cues occurs in the same text. Overlaps are resolved per channel, leftmost-longest.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

# Channels resolve overlaps separately: a theme cue inside an organization's name
# still counts for the theme, but "Mexico" inside "New Mexico" does not count as MX.
THEME_CHANNEL = "theme"
ENTITY_CHANNEL = "entity"
CO_CHANNEL = "co"


@dataclass(frozen=True, slots=True)
class Cue:
    """A pattern and what it stands for."""

    pattern: str
    kind: str  # theme | country | org | leader | block | neg | co | relation
    target: str = ""
    layer: str = ""
    weight: float = 1.0
    case_sensitive: bool = False
    prefix: bool = False
    requires: frozenset[str] = field(default_factory=frozenset)
    channel: str = ENTITY_CHANNEL
    mark: str = ""  # added to the co-cues present when this cue matches (e.g. "@ai")


@dataclass(frozen=True, slots=True)
class Match:
    """A cue found in a text at [start, end)."""

    start: int
    end: int
    cue: Cue


def fold(text: str) -> str:
    """Lower-case a text without changing its length, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _scriptio_continua(ch: str) -> bool:
    """Characters of scripts where words are not separated by spaces (or take suffixes)."""
    if not ch:
        return False
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "FULLWIDTH"))


class Matcher:
    """Compiled cues; `find` returns the matches of one text."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        table: dict[str, list[Cue]] = {}
        for cue in cues:
            if cue.pattern:
                table.setdefault(fold(cue.pattern), []).append(cue)
        self._automaton = ahocorasick.Automaton()
        for key, entries in table.items():
            self._automaton.add_word(key, (len(key), tuple(entries)))
        self._automaton.make_automaton()
        self.size = len(table)

    def find(self, text: str) -> tuple[list[Match], frozenset[str]]:
        """Matches of `text` after boundary, case and co-cue checks; and co-cues present."""
        if not text or not self.size:
            return [], frozenset()
        raw: list[Match] = []
        present: set[str] = set()
        for end_index, (length, entries) in self._automaton.iter(fold(text)):
            start, end = end_index - length + 1, end_index + 1
            for cue in entries:
                if self._fits(text, start, end, cue):
                    raw.append(Match(start, end, cue))
                    present.add(fold(cue.pattern))
                    if cue.mark:
                        present.add(cue.mark)
        kept = [m for m in raw if not m.cue.requires or m.cue.requires & present]
        return _resolve(kept), frozenset(present)

    @staticmethod
    def _fits(text: str, start: int, end: int, cue: Cue) -> bool:
        if cue.case_sensitive and text[start:end] != cue.pattern:
            return False
        first, last = text[start], text[end - 1]
        if start > 0 and _is_word(first) and not _scriptio_continua(first):
            if _is_word(text[start - 1]):
                return False
        if cue.prefix or end >= len(text):
            return True
        if _is_word(last) and not _scriptio_continua(last):
            nxt = text[end]
            if _is_word(nxt) and not _scriptio_continua(nxt):
                return False
        return True


def _resolve(matches: list[Match]) -> list[Match]:
    """Leftmost-longest non-overlapping matches within each channel.

    Several cues with the same span (e.g. a name that is both an organization alias
    and a country shorthand) are all kept.
    """
    out: list[Match] = []
    by_channel: dict[str, list[Match]] = {}
    for m in matches:
        if m.cue.channel != CO_CHANNEL:
            by_channel.setdefault(m.cue.channel, []).append(m)
    for group in by_channel.values():
        group.sort(key=lambda m: (m.start, -(m.end - m.start)))
        taken_end = -1
        taken_span: tuple[int, int] | None = None
        for m in group:
            if (m.start, m.end) == taken_span:
                out.append(m)
            elif m.start >= taken_end:
                out.append(m)
                taken_end, taken_span = m.end, (m.start, m.end)
    out.sort(key=lambda m: (m.start, m.end))
    return out
