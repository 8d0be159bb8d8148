"""Sentence spans, so every cue can be shown in the sentence that holds it."""

from __future__ import annotations

import bisect
import re

from core.datafiles import read_toml

_WORDS = read_toml("words.toml")["sentences"]

# A sentence ends at . ! ? (and their CJK forms) followed by space and a capital, a digit, a Cyrillic
# letter or a Hangul syllable (Korean has no capitals), or at a line break.
_BOUNDARY = re.compile(r"[.!?]\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ\u0400-\u04FF\uac00-\ud7af])|[。！？]|\n\s*\n|\n(?=\s*[•\-–*\d])")
ABBREVIATIONS = tuple(_WORDS["abbreviations"])


EVIDENCE_WINDOW = 300  # characters of a long sentence kept on each side of a cue


class Sentences:
    """The sentence spans of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        for m in _BOUNDARY.finditer(text):
            at = m.start()
            # Every abbreviation ends in a full stop.
            if text[at] == "." and text[max(0, at - 4): at + 1].endswith(ABBREVIATIONS):
                continue
            if starts[-1] < m.end() < len(text):  # no empty sentence after a final 。
                starts.append(m.end())
        self.starts = starts
        self._cache: dict[int, str] = {}
        self.short: dict[int, str] = {}  # sentences no longer than 2 * EVIDENCE_WINDOW, by index (see tagger.evidence_json)

    def index(self, offset: int) -> int:
        """Index of the sentence that holds `offset`."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def span(self, index: int) -> tuple[int, int]:
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return start, end

    def sentence(self, offset: int) -> str:
        """The sentence that holds `offset`, on one line."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            index = 0
        cached = self._cache.get(index)
        if cached is None:
            start, end = self.span(index)
            cached = self._cache[index] = " ".join(self.text[start:end].split())
        return cached

    def around(self, start: int, end: int, window: int = EVIDENCE_WINDOW) -> str:
        """The sentence that holds the span [start, end), on one line; in a sentence longer than the
        span and `window` characters on each side, only that much of it, with "…" where it is cut.
        Evidence so stays small whatever the input (a text with no sentence breaks is one sentence)."""
        index = max(0, bisect.bisect_right(self.starts, start) - 1)
        lo, hi = self.span(index)
        if hi - lo <= end - start + 2 * window:
            return self.sentence(start)
        cut_lo, cut_hi = max(lo, start - window), min(hi, end + window)
        piece = " ".join(self.text[cut_lo:cut_hi].split())
        return ("… " if cut_lo > lo else "") + piece + (" …" if cut_hi < hi else "")

    def __len__(self) -> int:
        return len(self.starts)
