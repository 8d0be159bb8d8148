"""What every reader yields: articles, or problems that name where and why."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from core.ids import article_id

if TYPE_CHECKING:  # loaded where an article is made, so reading dates and limits costs no pydantic
    from core.models import Article

MAX_TEXT_CHARS = 1_000_000  # an article's text beyond this is cut (with a warning), so one input cannot exhaust memory
TITLE_LIMIT = 100
LONG_TITLE_LIMIT = 200  # a sentence that opens with a subordinate clause may run to its main clause's end
_SUBORDINATE = re.compile(r"^(As|When|While|After|Although|Though|Since|With|Amid|Following|Despite)\b[^,]{10,160},\s+")
_PRONOUN = re.compile(r"^(they|it|he|she|we|this|these|those|there)\b", re.IGNORECASE)
_PARENS = re.compile(r"\s*\([^)]{0,40}\)")
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?。！？])(?:\s|$)", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """A record or file that could not be used, or something worth a warning."""

    source: str
    reason: str
    line: int | None = None
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


def safe_url(url: object) -> str | None:
    """The URL when it is http(s), else None (javascript:, data: and friends are dropped)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parsed = urlparse(url)
    except ValueError:
        return None
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc:
        return url
    return None


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def check_date(day: dt.date) -> dt.date:
    """The day when it lies in 1900-2100; else ValueError (such a date is a typo or a placeholder,
    and a text dated there cannot be placed among the events)."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"date {day.isoformat()} is outside 1900-01-01 .. 2100-12-31; correct the date")
    return day


def parse_date(value: object) -> dt.date:
    """A YYYY-MM-DD date (a longer ISO timestamp is cut to its date) in 1900-2100."""
    if isinstance(value, dt.datetime):
        return check_date(value.date())
    if isinstance(value, dt.date):
        return check_date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"date {value!r} is a number; write it as a string YYYY-MM-DD")
    if not isinstance(value, str) or not value.strip():
        raise ValueError("missing date (expected YYYY-MM-DD)")
    text = value.strip()
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"bad date {text[:40]!r} (expected YYYY-MM-DD)") from None
    return check_date(day)


def derive_title(text: str) -> str:
    """A headline-style title from the first sentence: about 100 characters, cut at a clause end,
    never inside an opening subordinate clause ("When the leaders meet next month, ...")."""
    body = " ".join(text.split())
    m = _FIRST_SENTENCE.match(body)
    sentence = (m.group(1) if m else body).rstrip(".!?。！？ ")
    sentence = _PARENS.sub("", sentence)
    main = _SUBORDINATE.sub("", sentence)
    if main != sentence and not _PRONOUN.match(main) and len(main) >= 30:
        sentence = main[0].upper() + main[1:]
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    opening = _SUBORDINATE.match(sentence)
    if opening and opening.end() > 50:  # the title must reach into the main clause
        if len(sentence) <= LONG_TITLE_LIMIT:
            return sentence
        comma = sentence.rfind(", ", opening.end(), LONG_TITLE_LIMIT)
        if comma > opening.end():
            return sentence[:comma]
    head = sentence[:TITLE_LIMIT]
    comma = head.rfind(", ")
    if comma >= 50:
        return head[:comma]
    space = head.rfind(" ")
    return head[: space if space > 40 else TITLE_LIMIT].rstrip(",;: ") + "…"


def cut_note(text: str) -> str | None:
    """The warning for a text too long to keep whole, or None."""
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return f"text of {len(text):,} characters cut to the first {MAX_TEXT_CHARS:,}"


def make_article(
    text: str, published: dt.date | None, *, title: str = "", url: object = None, source: str = "", id: str | None = None,
) -> Article:
    """An Article with a derived title when none is given and a deterministic id; a text longer than
    MAX_TEXT_CHARS is cut there (callers report `cut_note`); a title is at most 1,000 characters."""
    link = safe_url(url)
    text = text.strip()[:MAX_TEXT_CHARS]
    title = title[:1000]
    from core.models import Article

    return Article(
        id=id or article_id(link, published, text),
        published=published,
        title=" ".join(title.split()) or derive_title(text),
        text=text,
        url=link,
        source=source,
    )
