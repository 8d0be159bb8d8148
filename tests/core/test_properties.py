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
