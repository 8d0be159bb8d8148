"""Data models at the boundaries of the library.

Every model is a frozen pydantic v2 model: it validates on the way in and cannot be
changed afterwards. Inside the library, plain functions pass these objects around.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

DatePrecision = Literal["day", "month", "year"]
TagKind = Literal["theme", "country", "org", "org_country"]
RelationType = Literal["cooperation", "restriction", "competition"]
Stage = Literal["proposed", "adopted", "published", "in_force", "applies", "amended", "suspended", "rescinded", "expired",
                "struck_down", "other"]
DateKind = Literal["effective_date", "comment_deadline"]
"""What a dated record's date is, when its source says so (a rule's effective date, its comment deadline)."""
STAGES: tuple[str, ...] = get_args(Stage)
"""The stages of a policy instrument's lifecycle, in their usual order."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Instrument(Frozen):
    """A policy instrument (a law, rule, programme, sanction regime, tariff action, investigation)
    whose stages are separate events."""

    id: str
    """Stable id, lower case with hyphens (e.g. eu-ai-act)."""
    name: str
    """Readable name."""


class CuratedLabels(Frozen):
    """Labels given explicitly by a curated record (checked against the tagger)."""

    themes: tuple[str, ...] = ()
    """Theme ids."""
    countries: tuple[str, ...] | None = None
    """ISO alpha-2 codes or EU; None when the record does not say (the tagger's countries are used),
    empty when it says no country takes part."""
    orgs: tuple[str, ...] = ()
    """Organization names as the curator wrote them."""
    relations: tuple[tuple[str, str, RelationType], ...] | None = None
    """(source, target, type) triples; None when the record does not say (the tagger's relations are
    used), empty when it says there are none."""
    sources: tuple[tuple[str, str], ...] = ()
    """(url, name) of every source beyond the first."""
    instrument: Instrument | None = None
    """The instrument this event is a stage of, if any."""
    stage: Stage | None = None
    """The instrument's stage that this event is."""
    scheduled: bool = False
    """True when the date was announced in advance (an obligation that applies later, a deadline)."""


class Article(Frozen):
    """One article or official document as read from a source."""

    id: str
    """Deterministic id: a hash of the URL when there is one, else of date and text."""
    published: dt.date | None
    """Publication date; None when the source does not give one."""
    title: str
    """Headline, given by the source or derived from the first sentence."""
    text: str
    """Body text, cleaned of scraped noise."""
    url: str | None = None
    """Link to the original; only http(s) URLs are kept."""
    source: str = ""
    """Name of the publisher or the file the article came from."""
    date_precision: DatePrecision = "day"
    """Precision of `published` (curated records may know only the month or year)."""
    curated: CuratedLabels | None = None
    """Explicit labels of a curated event record; None for ordinary articles."""
    date_kind: DateKind | None = None
    """What the date is, when the source says so (a Federal Register rule's effective date...)."""


EVIDENCE_FIELDS = ("cue", "field", "start", "end", "sentence")
"""The fields of a piece of evidence that outputs carry (the JSON contract, the API, exports)."""


def evidence_fields(evidence: object) -> dict[str, object]:
    """A piece of evidence (a model, the tagger's record, or its stored JSON object) as its public fields."""
    if isinstance(evidence, dict):
        return {k: evidence[k] for k in EVIDENCE_FIELDS}
    return {k: getattr(evidence, k) for k in EVIDENCE_FIELDS}


class Evidence(Frozen):
    """Where a cue was found: the cue text, its character span and its sentence."""

    cue: str
    """The matched text exactly as it appears in the field."""
    field: Literal["title", "text"]
    """Which field of the article the span points into."""
    start: int
    """Start offset of the cue in the field (characters, inclusive)."""
    end: int
    """End offset of the cue in the field (characters, exclusive)."""
    sentence: str
    """The sentence that holds the cue."""
    layer: str = ""
    """Kind of cue (e.g. strong, cue, name, demonym, capital, leader, organization)."""


class Tag(Frozen):
    """A theme, country or organization found in a text, with the evidence for it."""

    kind: TagKind
    """theme, country (named participant), org, or org_country (home of a named company)."""
    value: str
    """Theme id, ISO 3166-1 alpha-2 code (or EU), or organization id."""
    label: str
    """Human-readable name of the value."""
    score: float
    """Strength of the evidence; higher is stronger."""
    tagged: bool
    """True when the text is about it; False for a passing mention kept for explanation."""
    reason: str = ""
    """Why the tag was given or withheld, in one line."""
    evidence: tuple[Evidence, ...] = ()
    """Every cue occurrence behind the tag."""


class Relation(Frozen):
    """A relation between two countries stated in a text."""

    source: str
    """Country that acts (ISO alpha-2 or EU)."""
    target: str
    """Country acted upon or partnered with."""
    type: RelationType
    """cooperation, restriction or competition."""
    evidence: tuple[Evidence, ...] = ()
    """The cue and sentence that state the relation."""


class EventDate(Frozen):
    """When an event happens, as resolved from its text and publication date."""

    date: dt.date | None
    """The event's date (the first day of the month or year for coarser precision)."""
    precision: DatePrecision = "day"
    """How precisely the date is known."""
    scheduled: bool = False
    """True when the date lies after the article's publication."""
    evidence: Evidence | None = None
    """The date expression the date came from; None when it is the publication date."""


class SourceRef(Frozen):
    """An article that reports an event."""

    article_id: str
    """Id of the article."""
    url: str | None
    """Link to the article (http(s) only)."""
    name: str
    """Publisher or file name."""
    title: str
    """The article's own title."""
    published: dt.date | None
    """The article's publication date."""


class Event(Frozen):
    """A normalized happening: what, when, who, on which themes, and from which sources."""

    id: str
    """Deterministic id derived from the first article that reported the event."""
    date: dt.date | None
    """When the event happens."""
    date_precision: DatePrecision = "day"
    """Precision of `date`."""
    scheduled: bool = False
    """True when the event lies after the publication of its article."""
    title: str
    """Headline."""
    summary: str
    """Short summary (the lede)."""
    text: str = ""
    """Full text of the reporting article, kept for search and evidence."""
    themes: tuple[str, ...] = ()
    """Theme ids the event is about."""
    countries: tuple[str, ...] = ()
    """Countries named as participants or subjects (ISO alpha-2 or EU)."""
    organizations: tuple[str, ...] = ()
    """Canonical names of organizations named."""
    tags: tuple[Tag, ...] = ()
    """All tags and passing mentions with their evidence."""
    relations: tuple[Relation, ...] = ()
    """Country-to-country relations stated in the text."""
    sources: tuple[SourceRef, ...] = Field(default=())
    """Articles that report the event."""
    curated: bool = False
    """True for an event from a curated record: its labels were given by a curator and win over the tagger's."""
    instrument: Instrument | None = None
    """The policy instrument this event is a stage of (curated records), if any."""
    stage: Stage | None = None
    """The instrument's stage that this event is."""
    date_kind: DateKind | None = None
    """What the date is, when its source said so (effective date, comment deadline); None otherwise."""
