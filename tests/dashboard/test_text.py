from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dashboard.text import escape_markdown, highlight

_UNESCAPED = re.compile(r"(?<!\\)[<>\[\]()*_`#:$]")


def test_html_and_markdown_are_escaped() -> None:
    out = escape_markdown("<script>alert(1)</script> **b** :red[x] [l](javascript:x) $x$")
    assert "<" not in out.replace("\\<", "")
    assert not _UNESCAPED.search(out)


@given(st.text())
def test_escaped_text_has_no_active_markup(text: str) -> None:
    assert not _UNESCAPED.search(escape_markdown(text).replace("\\\\", ""))


def test_highlight_marks_each_cue_and_escapes_the_rest() -> None:
    out = highlight("US <b> and Japan agree on AI.", ["Japan", "AI"])
    assert ":orange-background[Japan]" in out and ":orange-background[AI]" in out
    assert "\\<b\\>" in out
