"""Turn an article into an event: tags with evidence, relations, the event's date."""

from __future__ import annotations

from core.models import Article, Event, SourceRef
from core.tagging.sentences import Sentences
from core.tagging.tagger import Tagger, TagResult

SUMMARY_LIMIT = 400


def summarize(text: str) -> str:
    """The lede: the first sentences up to about 400 characters."""
    flat = " ".join(text.split())
    sentences = Sentences(flat)
    summary = ""
    for i in range(len(sentences)):
        start, end = sentences.span(i)
        piece = flat[start:end].strip()
        if summary and len(summary) + len(piece) > SUMMARY_LIMIT:
            break
        summary = f"{summary} {piece}".strip()
    if len(summary) > SUMMARY_LIMIT + 200:
        summary = summary[:SUMMARY_LIMIT].rsplit(" ", 1)[0] + "…"
    return summary


def to_event(article: Article, result: TagResult) -> Event:
    """The event an article reports, from the article and its tags."""
    date = result.date
    return Event(
        id=article.id,
        date=date.date if date else article.published,
        date_precision=date.precision if date else "day",
        scheduled=bool(date and date.scheduled),
        title=article.title,
        summary=summarize(article.text),
        text=article.text,
        themes=tuple(result.values("theme")),
        countries=tuple(sorted(result.values("country"))),
        organizations=tuple(result.labels("org")),
        tags=tuple(result.all_tags()),
        relations=tuple(result.relations),
        sources=(SourceRef(article_id=article.id, url=article.url, name=article.source, title=article.title, published=article.published),),
    )


def normalize(article: Article, tagger: Tagger) -> Event:
    return to_event(article, tagger.tag(article.text, article.title, article.published))
