"""Primary documents: link events to the Federal Register rules they report, and turn a
rule's effective date and comment deadline into scheduled events.

An article names a rule by its document number ("FR Doc. 2024-07004", "2024-07004") or
reports it by title and agency; the event then carries a link to the rule, its effective
date and its comment deadline, and the Upcoming view can list them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.ids import make_id
from core.ingest.records import make_article
from core.merge import jaccard, words
from core.models import Article, CuratedLabels, DateKind, Event

DOCUMENT_NUMBER = re.compile(r"\b(20\d\d-\d{5})\b")
TITLE_SIMILARITY = 0.5


@dataclass(frozen=True)
class PrimaryDocument:
    """A Federal Register document as the store keeps it."""

    document_number: str
    title: str
    type: str
    url: str
    agencies: tuple[str, ...]
    publication_date: dt.date | None
    effective_on: dt.date | None = None
    comments_close_on: dt.date | None = None


DEADLINES: tuple[tuple[str, str, DateKind], ...] = (
    ("effective_on", "takes effect", "effective_date"), ("comments_close_on", "comment period closes", "comment_deadline"))
"""(PrimaryDocument field, words in the record's title, the record's date kind)."""


def deadline_id(document_number: str, kind: DateKind) -> str:
    """The id of a rule's dated record (its effective date or comment deadline): stable per rule and kind."""
    what = next(words for _, words, k in DEADLINES if k == kind)
    return make_id("fr", document_number, what)


def document_numbers(text: str) -> set[str]:
    """Federal Register document numbers written in a text."""
    return set(DOCUMENT_NUMBER.findall(text))


def links(event: Event, documents: list[PrimaryDocument]) -> list[str]:
    """Document numbers of the rules an event reports: by number, else by title and agency."""
    numbers = document_numbers(f"{event.title}\n{event.text}")
    by_number = [d.document_number for d in documents if d.document_number in numbers]
    if by_number:
        return by_number
    title = words(event.title)
    text = f"{event.title} {event.text}".casefold()
    return [
        d.document_number for d in documents
        if jaccard(title, words(d.title)) >= TITLE_SIMILARITY and any(a.casefold() in text for a in d.agencies)
    ]


def deadline_articles(doc: PrimaryDocument) -> list[Article]:
    """Dated records for a rule's effective date and comment deadline; normalized like curated events
    (country US; themes from the tagger), they are scheduled while the date lies ahead."""
    agency = ", ".join(doc.agencies) or "Federal Register"
    out: list[Article] = []
    for field, what, kind in DEADLINES:
        day: dt.date | None = getattr(doc, field)
        if day is None:
            continue
        article = make_article(
            f"{agency}: {doc.title} ({doc.document_number}) {what} on {day.isoformat()}.", day,
            title=f"{doc.type or 'Rule'} {what}: {doc.title}"[:100], url=doc.url, source=agency,
            id=deadline_id(doc.document_number, kind),
        )
        out.append(article.model_copy(update={"curated": CuratedLabels(countries=("US",)), "date_kind": kind}))
    return out
