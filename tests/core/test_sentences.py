"""Sentence spans: short invented texts."""

from __future__ import annotations

import pytest

from core.tagging.sentences import Sentences


@pytest.mark.parametrize(("text", "count"), [
    ("The plan was approved on Monday. Industry groups welcomed it.", 2),
    ("The U.S. plan was approved. Dr. Smith welcomed it.", 2),
    ("정부는 반도체 지원 방안을 발표했다. 업계는 환영했다. 그러나 우려도 있다.", 3),
    ("政府は支援策を発表した。業界は歓迎した。", 2),
    ("Правительство утвердило план. Отрасль его поддержала.", 2),
    ("prices rose 3.5 percent. shares fell", 1),
])
def test_sentences_end_where_the_language_ends_them(text: str, count: int) -> None:
    assert len(Sentences(text)) == count
