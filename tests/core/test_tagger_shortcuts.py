"""The tagger's shortcuts find exactly what the plain forms they stand for would find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core.tagging import orgfinder
from core.tagging.matcher import fold, folded_spaced, spaced
from core.tagging.tagger import _MARKET, _PASSING_BEFORE, _passing_words

# Characters that tend to break shortcuts: case traps of IGNORECASE, non-BMP letters and
# symbols, whitespace outside ASCII, CJK, combining marks, surrogates.
TRICKY = st.sampled_from([
    "İ", "ı", "ſ", "\u212a", "ß", "ﬁ", "Σ", "\u00a0", "\u2028", "\u3000", "\u0301", "中", "한", "𝐀", "😀", "\ud800",
    "’", "—", "_", "-", " ", "\n", "Ministry", "ministry", "XMinistry", "Ltd.", "Ltd.-x", "Inc", "Corp.", "University",
    "outside", "OUTSIDE", "other than", "exports to ", "SALES IN ", "ſales into ", "İmports from ",
])
TEXT = st.lists(st.one_of(st.text(max_size=8), TRICKY), max_size=25).map("".join)


def _spaced_reference(text: str) -> str:
    return "".join(" " if c <= "\uffff" and not (c.isalnum() or c == "_") else c for c in text)


@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_spaced_replaces_exactly_the_non_word_characters_of_the_bmp(text: str) -> None:
    assert spaced(text) == _spaced_reference(text)
    assert folded_spaced(text) == _spaced_reference(fold(text))


@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_passing_word_check_agrees_with_the_patterns_it_guards(text: str) -> None:
    passing, market = _passing_words(text)
    words = re.compile(r"outside|beyond|except|excluding|other than", re.IGNORECASE)
    assert passing == (words.search(text) is not None)
    if _PASSING_BEFORE.search(text):
        assert passing
    # Every window where `_MARKET` matches holds one of the market spans.
    for lo in range(len(text)):
        for hi in range(lo, min(len(text), lo + 60) + 1):
            for m in _MARKET.finditer(text[lo:hi]):
                assert any(lo + m.start() <= a and b <= hi for a, b in market), (text, lo, hi)


@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_head_words_are_those_of_the_plain_pattern(text: str) -> None:
    heads = sorted(set(orgfinder.HEADS_AFTER) | set(orgfinder.HEADS_BEFORE), key=len, reverse=True)
    plain = re.compile(rf"\b(?:{'|'.join(re.escape(h) for h in heads)})(?![\w-])")
    assert [m.span() for m in orgfinder.heads(text)] == [m.span() for m in plain.finditer(text)]
