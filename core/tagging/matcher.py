"""One pass of a multi-pattern matcher (Aho-Corasick) over a text.

Every cue of every kind (themes, countries, organizations, leaders, blockers, co-cues)
is compiled into two automata (ahocorasick-rs, in Rust): one for case-insensitive cues
over the case-folded text, one for case-sensitive cues over the text as written. Before
matching, every character that is not part of a word becomes a space and the text is
padded with a space at each end; a cue that must sit on word boundaries is compiled with
a space on each side, so boundaries cost nothing at match time. Scripts written without
spaces (Chinese, Japanese, Korean with its particles) and prefix cues (`Росси*`) are
compiled without the space on that side. A Latin name that touches such a script ("米IBMと",
"IBM과") is found by a second search with that script's characters blanked.

A match is kept when one of its required co-cues occurs in the same text. Overlaps are
resolved per channel, leftmost-longest.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

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


class Match(NamedTuple):
    """A cue found in a text at [start, end)."""

    start: int
    end: int
    cue: Cue


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# Bytes tables for ASCII text: non-word characters become spaces (and, for the folded
# table, A-Z become a-z). Bytes 128-255 never occur in ASCII text; they map to a space
# only as the mark of a non-ASCII character (see `_spaced`).
_ASCII_TABLE = bytes(cp if _word(chr(cp)) else 32 for cp in range(128)) + b" " * 128
_FOLDED_TABLE = bytes(ord(chr(cp).lower()) if _word(chr(cp)) else 32 for cp in range(128)) + b" " * 128
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Scripts written without spaces (Thai, Hangul, CJK radicals, kana, ideographs and their extensions,
# full- and half-width forms), where a word may touch the next: "米IBMと", "IBM이".
_UNSPACED = ("\u0e00-\u0e7f\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3130-\u318f\u31c0-\u31ef\u3400-\u4dbf"
             "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f")
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_LATIN_TOUCHES_UNSPACED = re.compile(f"[A-Za-z0-9][{_UNSPACED}]|[{_UNSPACED}][A-Za-z0-9]")
_UNSPACED_RUN = re.compile(f"[{_UNSPACED}]+")


def fold(text: str) -> str:
    """Lower-case a text without changing its length, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _space_run(run: str) -> str:
    """Non-ASCII characters: those of the Basic Multilingual Plane that are not part of a word become spaces."""
    return "".join(c if c.isalnum() or c > "\uffff" else " " for c in run)


def _spaced(text: str, table: bytes) -> str:
    """`text` through an ASCII table, with its non-ASCII characters kept or spaced one by one (same length)."""
    if text.isascii():
        return text.encode("ascii").translate(table).decode("ascii")
    out = text.encode("ascii", "replace").translate(table).decode("ascii")
    pieces: list[str] = []
    last = 0
    for m in _NON_ASCII.finditer(text):
        start = m.start()
        pieces.append(out[last:start])
        pieces.append(_space_run(m.group()))
        last = m.end()
    pieces.append(out[last:])
    return "".join(pieces)


def spaced(text: str) -> str:
    """The text with every non-word character replaced by a space (same length).

    Non-word characters outside the Basic Multilingual Plane are kept as they are.
    """
    return _spaced(text, _ASCII_TABLE)


def folded_spaced(text: str) -> str:
    """`spaced(fold(text))`, in one step for ASCII text."""
    if text.isascii():
        return text.encode("ascii").translate(_FOLDED_TABLE).decode("ascii")
    return _spaced(fold(text), _ASCII_TABLE)


def unspaced_script(ch: str) -> bool:
    """True for characters of scripts where a word may touch the next without a space."""
    return _UNSPACED_CHAR.match(ch) is not None


def _keys(cues: list[Cue]) -> list[str]:
    """The compiled form of each cue: normalized like the text, with boundary spaces. (`spaced` maps
    each character alone, so the patterns are spaced in one call, joined, and cut apart again.)"""
    bodies = [cue.pattern if cue.case_sensitive else fold(cue.pattern) for cue in cues]
    joined = spaced(" ".join(bodies))
    keys = []
    at = 0
    for cue, body in zip(cues, bodies, strict=True):
        end = at + len(body)
        first, last = cue.pattern[0], cue.pattern[-1]
        left = " " if (first.isalnum() or first == "_") and not unspaced_script(first) else ""
        right = " " if (last.isalnum() or last == "_") and not unspaced_script(last) and not cue.prefix else ""
        keys.append(f"{left}{joined[at:end].strip()}{right}")
        at = end + 1
    return keys


class _Automaton:
    """One automaton with, per compiled key, its cues and the widths of its pads."""

    def __init__(self, table: dict[str, list[Cue]]) -> None:
        keys = [k for k in table if k.strip()]
        self.entries = [tuple(table[k]) for k in keys]
        self.pads = [(len(k) - len(k.lstrip(" ")), len(k) - len(k.rstrip(" "))) for k in keys]
        self.automaton = ahocorasick_rs.AhoCorasick(keys) if keys else None


class Matcher:
    """Compiled cues; `find` returns the matches of one text."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        folded: dict[str, list[Cue]] = {}
        cased: dict[str, list[Cue]] = {}
        written = [cue for cue in cues if cue.pattern.strip()]
        for cue, key in zip(written, _keys(written), strict=True):
            (cased if cue.case_sensitive else folded).setdefault(key, []).append(cue)
        self._folded = _Automaton(folded)
        self._cased = _Automaton(cased)
        self.size = len(folded) + len(cased)
        # Matches sort by start, then longest first, on one integer: start * width - length.
        self._width = 1 + max(map(len, [*folded, *cased]), default=0)
        # Per key of both automata (folded first, then cased), what a match of it means:
        # (left pad, right pad, the cues it yields, None or per cue: None, or for a gated cue the
        # keys whose match makes one of its co-cues present).
        entries_all = [*self._folded.entries, *self._cased.entries]
        required = {r for entries in entries_all for cue in entries if cue.requires for r in cue.requires}
        keys_of: dict[str, set[int]] = {r: set() for r in required}
        for k, entries in enumerate(entries_all):
            for token in _tokens(entries):
                if token in keys_of:
                    keys_of[token].add(k)
        self._meaning: list[tuple[int, int, tuple[Cue, ...], tuple[frozenset[int] | None, ...] | None]] = []
        for (left, right), entries in zip([*self._folded.pads, *self._cased.pads], entries_all, strict=True):
            kept = tuple(c for c in entries if c.channel != CO_CHANNEL) if any(c.channel == CO_CHANNEL for c in entries) else entries
            gates = None
            if any(c.requires for c in kept):
                gates = tuple(frozenset().union(*(keys_of[r] for r in c.requires)) if c.requires else None for c in kept)
            self._meaning.append((left + 1, right + 1, kept, gates))

    @functools.cached_property
    def _tokens(self) -> list[frozenset[str]]:
        """Per key, the co-cues a match of it makes present."""
        return [frozenset(_tokens(entries)) for entries in [*self._folded.entries, *self._cased.entries]]

    def _raw(self, text: str) -> list[tuple[int, int, int]]:
        """(key, start, end) of every key found in the padded haystacks; cased keys offset after folded ones.

        Where a Latin word touches a script written without spaces, its boundary is that
        script's character, not a space: the text is searched a second time with those
        characters blanked, and the Latin cues found only then are added.
        """
        raw = self._scan(text)
        if not text.isascii() and _LATIN_TOUCHES_UNSPACED.search(text):
            seen = set(raw)
            blanked = _UNSPACED_RUN.sub(lambda m: " " * len(m.group()), text)
            raw += [hit for hit in self._scan(blanked) if hit not in seen]
        return raw

    def _scan(self, text: str) -> list[tuple[int, int, int]]:
        raw: list[tuple[int, int, int]] = []
        if self._folded.automaton is not None:
            raw = self._folded.automaton.find_matches_as_indexes(f" {folded_spaced(text)} ", overlapping=True)
        if self._cased.automaton is not None:
            found = self._cased.automaton.find_matches_as_indexes(f" {spaced(text)} ", overlapping=True)
            if found:
                shift = len(self._folded.entries)
                raw = [*raw, *((k + shift, s, e) for k, s, e in found)]
        return raw

    def find(self, text: str) -> tuple[list[Match], frozenset[str]]:
        """Matches of `text` after co-cue checks, overlaps resolved; and the co-cues present."""
        if not text or not self.size:
            return [], frozenset()
        raw = self._raw(text)
        tokens = self._tokens
        present = frozenset().union(*(tokens[k] for k, _s, _e in raw))
        return self._matches(raw), present

    def matches(self, text: str) -> list[Match]:
        """Matches of `text` after co-cue checks, overlaps resolved (`find` without the co-cues)."""
        if not text or not self.size:
            return []
        return self._matches(self._raw(text))

    def _matches(self, raw: list[tuple[int, int, int]]) -> list[Match]:
        meaning, width = self._meaning, self._width
        found: set[int] | None = None  # the keys found, for gated cues
        # Sorting is stable: cues with the same span keep the order of the keys found.
        kept: list[tuple[int, int, int, Cue]] = []
        for k, s, e in raw:
            left, right, cues, gates = meaning[k]
            start, end = s + left - 2, e - right
            # -1 on each side: the haystack carries one pad space before the text.
            key = start * width + start - end
            if gates is None:
                for cue in cues:
                    kept.append((key, start, end, cue))
            else:
                if found is None:
                    found = set(map(_first, raw))
                for cue, keys in zip(cues, gates, strict=True):
                    if keys is None or not keys.isdisjoint(found):
                        kept.append((key, start, end, cue))
        kept.sort(key=_first)
        return _resolve(kept)


_first = operator.itemgetter(0)


def _outrun(matches: list[tuple[int, int, int, Cue]], i: int, end: int) -> bool:
    """Whether an unguarded organization name starts inside match `i` and ends after it."""
    for j in range(i + 1, len(matches)):
        _key, start, stop, cue = matches[j]
        if start >= end:
            return False
        if cue.kind == "org" and stop > end and cue.layer != "guarded":
            return True
    return False


def _tokens(entries: tuple[Cue, ...]) -> list[str]:
    """The co-cues that a match of these cues makes present."""
    tokens = []
    for cue in entries:
        tokens.append(cue.mark or cue.pattern.lower())
        if cue.mark:
            tokens.append(cue.pattern.lower())
    return tokens


def _resolve(matches: list[tuple[int, int, int, Cue]]) -> list[Match]:
    """Leftmost-longest non-overlapping matches within each channel (`matches` sorted by start, longest first).

    Several cues with the same span (a name that is both an organization alias and a
    country shorthand) are all kept.

    A blocker written in a script without spaces is a preposition glued to a name ("对华为":
    to Huawei, not "对华", to China): it blocks the country cues it overlaps and leaves the
    organization inside it alone.

    A guarded alias that carries its article ("do Conselho") yields to another organization's
    name that starts inside it and runs past it ("Conselho Europeu"): the longer name is the body.
    """
    out: list[Match] = []
    taken: dict[str, tuple[int, int]] = {}
    glued_end = -1  # the end of the last such blocker
    new = tuple.__new__
    for i, (_key, start, end, cue) in enumerate(matches):
        if start < glued_end and cue.channel == ENTITY_CHANNEL and cue.kind != "org":
            continue
        if cue.layer == "guarded" and _outrun(matches, i, end):
            continue
        last = taken.get(cue.channel)
        if last is None or start >= last[1] or (start == last[0] and end == last[1]):
            if cue.kind == "block" and unspaced_script(cue.pattern[0]):
                glued_end = end
                continue
            out.append(new(Match, (start, end, cue)))
            taken[cue.channel] = (start, end)
    return out
