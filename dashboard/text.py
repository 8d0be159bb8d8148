"""Showing outside text safely: escape it so nothing in it is read as markdown or HTML."""

from __future__ import annotations

import re
from typing import Any

from core import safe_url

# Every ASCII punctuation character can be backslash-escaped in CommonMark; escaping all
# of them leaves no markdown, HTML, directive (:red[...]), emoji (:x:) or math ($) syntax.
_PUNCT = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:$~&\"'=/^%@;,?])")

__all__ = ["escape_markdown", "highlight", "safe_url"]


def escape_markdown(text: Any) -> str:
    """Text that st.markdown shows literally, character for character (whitespace runs collapse)."""
    flat = re.sub(r"\s+", " ", str(text or ""))
    return _PUNCT.sub(r"\\\1", flat)


def highlight(sentence: str, cues: list[str], color: str = "orange") -> str:
    """A sentence as escaped markdown with each cue shown on a coloured background."""
    wanted = sorted({c for c in cues if c}, key=len, reverse=True)
    if not wanted:
        return escape_markdown(sentence).strip()
    pattern = re.compile("|".join(re.escape(c) for c in wanted))
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(sentence):
        out.append(escape_markdown(sentence[pos:m.start()]))
        out.append(f":{color}-background[{escape_markdown(m.group(0))}]")
        pos = m.end()
    out.append(escape_markdown(sentence[pos:]))
    return "".join(out).strip()
