"""One pass of a multi-pattern matcher (Aho-Corasick) over a text.

Every cue of every kind (themes, countries, organizations, leaders, blockers, co-cues)
is compiled into two automata (ahocorasick-rs, in Rust): one for case-insensitive cues
over the case-folded text, one for case-sensitive cues over the text as written. Before
matching, every character that is not part of a word becomes a space and the text is
padded with a space at each end; a cue that must sit on word boundaries is compiled with
a space on each side, so boundaries cost nothing at match time. Scripts written without
spaces (Chinese, Japanese, Korean with its particles) and prefix cues (`Росси*`) are
compiled without the space on that side.

A match is kept when one of its required co-cues occurs in the same text. Overlaps are
resolved per channel, leftmost-longest.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick_rs

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


def _separator_table() -> dict[int, str]:
    """Every non-word character of the Basic Multilingual Plane maps to a space."""
    return {cp: " " for cp in range(0x10000) if not (chr(cp).isalnum() or chr(cp) == "_")}


_SEPARATORS = _separator_table()
_ASCII_SEPARATORS = str.maketrans({chr(cp): " " for cp in range(128) if cp in _SEPARATORS})
_COMMON_PUNCTUATION = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                                     "\u2014": "-", "\u00a0": " ", "\u2026": "."})


def fold(text: str) -> str:
    """Lower-case a text without changing its length, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def spaced(text: str) -> str:
    """The text with every non-word character replaced by a space (same length)."""
    if not text.isascii():
        text = text.translate(_COMMON_PUNCTUATION)
        if not text.isascii():
            return text.translate(_SEPARATORS)
    return text.translate(_ASCII_SEPARATORS)


def unspaced_script(ch: str) -> bool:
    """True for characters of scripts where a word may touch the next without a space."""
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "FULLWIDTH", "KATAKANA-HIRAGANA"))


def _key(cue: Cue) -> str:
    """The compiled form of a cue: normalized like the text, with boundary spaces."""
    body = spaced(cue.pattern if cue.case_sensitive else fold(cue.pattern))
    first, last = cue.pattern[0], cue.pattern[-1]
    left = " " if (first.isalnum() or first == "_") and not unspaced_script(first) else ""
    right = " " if (last.isalnum() or last == "_") and not unspaced_script(last) and not cue.prefix else ""
    return f"{left}{body.strip()}{right}"


class _Automaton:
    """One automaton with, per compiled key, its cues and the width of its left pad."""

    def __init__(self, table: dict[str, list[Cue]]) -> None:
        keys = [k for k in table if k.strip()]
        self.entries = [tuple(table[k]) for k in keys]
        self.pads = [(len(k) - len(k.lstrip(" ")), len(k) - len(k.rstrip(" "))) for k in keys]
        self.automaton = ahocorasick_rs.AhoCorasick(keys) if keys else None

    def scan(self, haystack: str, out: list[tuple[int, int, tuple[Cue, ...]]]) -> None:
        if self.automaton is None:
            return
        entries, pads = self.entries, self.pads
        for index, start, end in self.automaton.find_matches_as_indexes(haystack, overlapping=True):
            left, right = pads[index]
            # -1: the haystack carries one pad space before the text.
            out.append((start + left - 1, end - right - 1, entries[index]))


class Matcher:
    """Compiled cues; `find` returns the matches of one text."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        folded: dict[str, list[Cue]] = {}
        cased: dict[str, list[Cue]] = {}
        for cue in cues:
            if cue.pattern.strip():
                (cased if cue.case_sensitive else folded).setdefault(_key(cue), []).append(cue)
        self._folded = _Automaton(folded)
        self._cased = _Automaton(cased)
        self.size = len(folded) + len(cased)

    def find(self, text: str) -> tuple[list[Match], frozenset[str]]:
        """Matches of `text` after co-cue checks, overlaps resolved; and the co-cues present."""
        if not text or not self.size:
            return [], frozenset()
        spans: list[tuple[int, int, tuple[Cue, ...]]] = []
        self._folded.scan(f" {spaced(fold(text))} ", spans)
        self._cased.scan(f" {spaced(text)} ", spans)
        present: set[str] = set()
        for _s, _e, entries in spans:
            for cue in entries:
                present.add(cue.mark or cue.pattern.lower())
                if cue.mark:
                    present.add(cue.pattern.lower())
        kept = [
            Match(s, e, cue) for s, e, entries in spans for cue in entries
            if cue.channel != CO_CHANNEL and (not cue.requires or cue.requires & present)
        ]
        return _resolve(kept), frozenset(present)


def _resolve(matches: list[Match]) -> list[Match]:
    """Leftmost-longest non-overlapping matches within each channel.

    Several cues with the same span (a name that is both an organization alias and a
    country shorthand) are all kept.
    """
    matches.sort(key=lambda m: (m.start, m.start - m.end))
    out: list[Match] = []
    taken: dict[str, tuple[int, int]] = {}
    for m in matches:
        last = taken.get(m.cue.channel)
        if last is None or m.start >= last[1] or (m.start, m.end) == last:
            out.append(m)
            taken[m.cue.channel] = (m.start, m.end)
    return out
