"""Property tests: the tagger never raises on any text, and every span points at its cue."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.tagging.tagger import Tagger

TAGGER = Tagger()
CUES = st.sampled_from([
    "AI", "chips", "export controls", "Japan", "U.S.", "Beijing", "Kishida", "TSMC", "中国", "미국", "Росси", "İstanbul",
    "New Mexico", "quantum leap", "ﬁ", "ß", "\u0130", "\u200b", "\n\n", ". ", "’s", "(BIS)", "Ministry of Commerce",
])
TEXTS = st.lists(st.one_of(st.text(max_size=40), CUES), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, title=st.text(max_size=30), day=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2035, 1, 1))))
def test_any_text_tags_without_error_and_spans_point_at_cues(text: str, title: str, day: dt.date | None) -> None:
    result = TAGGER.tag(text, title, day)
    fields = {"title": title, "text": text}
    for tag in result.all_tags():
        for ev in tag.evidence:
            assert fields[ev.field][ev.start:ev.end] == ev.cue
            assert 0 <= ev.start < ev.end <= len(fields[ev.field])
            assert isinstance(ev.sentence, str)
    for relation in result.relations:
        assert relation.source != relation.target


SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6)), max_size=12).map(
    lambda pairs: _disjoint(sorted(pairs)))


def _disjoint(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans sorted by start, like the context phrases the matcher keeps."""
    spans: list[tuple[int, int]] = []
    for start, width in pairs:
        if not spans or start >= spans[-1][1]:
            spans.append((start, start + width))
    return spans


@given(spans=SPANS, a=st.integers(0, 50), b=st.integers(0, 50))
def test_span_look_ups_agree_with_a_scan(spans: list[tuple[int, int]], a: int, b: int) -> None:
    from core.tagging.tagger import _Marks

    marks = _Marks(spans)
    lo, hi = min(a, b), max(a, b)
    assert marks.within(lo, hi) == any(lo <= s and e <= hi for s, e in spans)
    if lo < hi:
        assert marks.holding(lo, hi) == any(s <= lo and hi <= e for s, e in spans)


def test_a_long_text_leaves_the_garbage_collector_as_it_was() -> None:
    import gc

    from core.tagging.tagger import LONG_TEXT

    text = "Japan and the U.S. agreed to cooperate on chips amid trade tensions. " * (LONG_TEXT // 60)
    assert len(text) > LONG_TEXT
    long_result = TAGGER.tag(text)
    assert gc.isenabled()
    assert long_result.values("country") == TAGGER.tag(text[:2000]).values("country")
    gc.disable()
    try:
        TAGGER.tag(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
