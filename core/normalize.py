"""Turn an article into an event: tags with evidence, relations, the event's date."""

from __future__ import annotations

import datetime as dt

from core.ids import make_id
from core.ingest.records import safe_url
from core.models import Article, Event, Relation, SourceRef, Tag
from core.tagging.lexicon import find_org
from core.tagging.sentences import Sentences
from core.tagging.tagger import Tagger, TagResult
from core.taxonomy import THEME_IDS, country_names, theme_labels

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
        tags=tuple(t.model() for t in result.all_tags()),
        relations=tuple(result.relations),
        sources=(SourceRef(article_id=article.id, url=article.url, name=article.source, title=article.title, published=article.published),),
        date_kind=article.date_kind,
    )


def curated_event(article: Article, result: TagResult, today: dt.date | None = None) -> Event:
    """A curated record's event: its explicit labels win; the tagger's evidence backs them.

    Every label of the record reaches the event: themes, countries, organizations (a registry
    name or alias becomes the registry's organization), relations, sources, the instrument and
    its stage, and the scheduled flag. A label the tagger also found keeps the tagger's evidence;
    one it did not find is kept with the reason "curated label"; a tagger tag the curator left
    out becomes a mention. A kind the record leaves empty takes the tagger's tags, except countries
    and relations: an explicit empty list there says there are none.
    """
    labels = article.curated
    assert labels is not None
    orgs = curated_orgs(labels.orgs)
    explicit = {
        "theme": set(labels.themes) or set(result.values("theme")),
        "country": set(result.values("country")) if labels.countries is None else set(labels.countries),
        "org": set(orgs) or {t.value for t in result.orgs if t.tagged},
    }
    tags: list[Tag] = []
    for tag in (t.model() for t in result.all_tags()):
        if tag.kind in explicit:
            keep = tag.value in explicit[tag.kind]
            reason = "curated label, found by the tagger" if keep else "found by the tagger, not a curated label"
            tag = tag.model_copy(update={"tagged": keep, "reason": reason})
        tags.append(tag)
    names = {**_labels(), "org": {**{t.value: t.label for t in tags if t.kind == "org"}, **orgs}}
    for kind, values in explicit.items():
        found = {t.value for t in tags if t.kind == kind}
        for value in sorted(values - found):
            tags.append(Tag(kind=kind, value=value, label=names[kind].get(value, value), score=0.0, tagged=True,  # type: ignore[arg-type]
                            reason="curated label (no cue in the summary)"))
    relations = tuple(result.relations) if labels.relations is None else \
        tuple(Relation(source=s, target=t, type=ty) for s, t, ty in labels.relations)
    sources = (
        SourceRef(article_id=article.id, url=article.url, name=article.source, title=article.title, published=article.published),
        *(SourceRef(article_id=make_id(article.id, url), url=safe_url(url), name=name, title=article.title,
                    published=article.published) for url, name in labels.sources),
    )
    day = article.published
    org_order = list(orgs) or [t.value for t in result.orgs if t.tagged]
    return Event(
        id=article.id, date=day, date_precision=article.date_precision,
        scheduled=labels.scheduled or bool(day and day > (today or dt.date.today())), title=article.title,
        summary=article.text, text=article.text, themes=tuple(t for t in THEME_IDS if t in explicit["theme"]),
        countries=tuple(sorted(explicit["country"])), organizations=tuple(names["org"][o] for o in org_order),
        tags=tuple(tags), relations=relations, sources=sources, curated=True,
        instrument=labels.instrument, stage=labels.stage, date_kind=article.date_kind,
    )


def curated_orgs(names: tuple[str, ...]) -> dict[str, str]:
    """A curator's organization names as {organization id: name}: a registry name or alias is the
    registry's organization (id and name); another name keeps its own words, under the id the
    tagger gives a name it finds by shape ("x:" and the name in lower case)."""
    out: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        org = find_org(name)
        key, label = (org.id, org.name) if org else ("x:" + name.casefold(), name)
        out.setdefault(key, label)
    return out


def _labels() -> dict[str, dict[str, str]]:
    return {"theme": theme_labels(), "country": country_names()}


def normalize(article: Article, tagger: Tagger) -> Event:
    result = tagger.tag(article.text, article.title, article.published)
    if article.curated is not None:
        return curated_event(article, result)
    return to_event(article, result)
