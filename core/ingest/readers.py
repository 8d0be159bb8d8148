"""Readers for local files: the seed text format, JSON Lines of articles, and JSON Lines
of curated event records (lines with `summary` and `sources` instead of `text`).

Each reader takes a path and yields Article or Problem items, so one bad line never
stops the rest of the file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from core.errors import field_error
from core.ingest.records import MAX_TEXT_CHARS, Problem, cut_note, make_article, parse_date, safe_url
from core.models import Article, CuratedLabels, DatePrecision, Instrument, RelationType, Stage
from core.taxonomy import THEME_IDS, is_country_code

Item = Article | Problem
Reader = Callable[[Path], Iterator[Item]]

_SEED_HEAD = re.compile(r"\A\s*date\s+(\S+)\s*", re.IGNORECASE)
# Lines that scraped pages leave behind and that are not part of the article.
NOISE_LINES = frozenset({
    "advertisment", "advertisement", "advertisements", "sponsored", "sponsored content", "read more",
    "related articles", "share this article", "click here to subscribe", "scroll to continue",
})


def read_bytes(path: Path) -> bytes:
    """A file's bytes as UTF-8: UTF-16 with a byte order mark is converted; ValueError for a binary
    file (user-facing reason)."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid UTF-16 (byte {exc.start}); save the file as UTF-8") from None
    if b"\x00" in data[:8192]:
        raise ValueError("binary file, not text")
    return data.removeprefix(b"\xef\xbb\xbf")


def read_text(path: Path) -> str:
    """A file's text; raises ValueError with a user-facing reason if it is not UTF-8 (or UTF-16) text."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None


def clean_body(text: str) -> str:
    """Drop scraped noise lines and collapse runs of blank lines."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    kept = [ln for ln in lines if ln.strip().casefold() not in NOISE_LINES]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


SEED_SOURCE = "Seed article"  # the publisher shown for a seed text file, which names none


def read_seed(path: Path) -> Iterator[Item]:
    """The seed text format: optional whitespace, `date YYYY-MM-DD`, then the body."""
    try:
        raw = read_text(path)
    except (OSError, ValueError) as exc:
        yield Problem(str(path), _reason(exc))
        return
    if not raw.strip():
        yield Problem(str(path), "empty file")
        return
    head = _SEED_HEAD.match(raw)
    if not head:
        yield Problem(str(path), "expected the file to start with `date YYYY-MM-DD`", line=1)
        return
    try:
        published = parse_date(head.group(1))
    except ValueError as exc:
        yield Problem(str(path), str(exc), line=1)
        return
    body = clean_body(raw[head.end():])
    if not body:
        yield Problem(str(path), "no text after the date line", line=1)
        return
    if note := cut_note(body):
        yield Problem(str(path), note, severity="warning")
    yield make_article(body, published, source=SEED_SOURCE, url=None)


class ArticleLine(BaseModel):
    """One line of an articles JSONL file. Only `text` and `date` are required."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    text: str
    date: str
    id: str | None = None
    title: str = ""
    url: str | None = None
    source: str = ""

    @field_validator("text")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("empty text")
        return value


class SourceLine(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: str
    name: str = ""

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if safe_url(value) is None:
            raise ValueError("must be an http(s) URL")
        return value


class RelationLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    target: str
    type: RelationType


class EventLine(BaseModel):
    """One curated event record (see README: timeline schema)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str
    date: str
    date_precision: DatePrecision = "day"
    title: str
    summary: str
    themes: list[str] = []
    countries: list[str] | None = None  # an explicit empty list: no country takes part
    orgs: list[str] = []
    relations: list[RelationLine] | None = None
    sources: list[SourceLine]
    instrument: Instrument | None = None
    stage: Stage | None = None
    scheduled: bool = False

    @field_validator("instrument")
    @classmethod
    def _instrument_id(cls, value: Instrument | None) -> Instrument | None:
        if value is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value.id):
            raise ValueError(f"instrument id {value.id!r} must be lower case letters, digits and hyphens")
        return value

    @model_validator(mode="after")
    def _stage_of_instrument(self) -> EventLine:
        if (self.instrument is None) != (self.stage is None):
            raise ValueError("`instrument` and `stage` go together: give both or neither")
        return self

    @field_validator("themes")
    @classmethod
    def _themes(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t not in THEME_IDS]
        if unknown:
            raise ValueError(f"unknown theme ids {unknown}; expected some of {', '.join(THEME_IDS)}")
        return value

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = [c for c in value if not is_country_code(c)]
        if unknown:
            raise ValueError(f"unknown country codes {unknown}; expected ISO 3166-1 alpha-2 or EU")
        return value

    @field_validator("sources")
    @classmethod
    def _some_source(cls, value: list[SourceLine]) -> list[SourceLine]:
        if not value:
            raise ValueError("at least one source is required")
        return value


def _event_article(obj: dict, source: str) -> Article:
    rec = EventLine.model_validate(obj)
    published = parse_date(rec.date)
    first, *more = rec.sources
    labels = CuratedLabels(
        themes=tuple(rec.themes), countries=None if rec.countries is None else tuple(rec.countries), orgs=tuple(rec.orgs),
        relations=None if rec.relations is None else tuple((r.source, r.target, r.type) for r in rec.relations),
        sources=tuple((s.url, s.name) for s in more), instrument=rec.instrument, stage=rec.stage, scheduled=rec.scheduled,
    )
    article = make_article(rec.summary, published, title=rec.title, url=first.url, source=first.name or source, id=rec.id)
    return article.model_copy(update={"date_precision": rec.date_precision, "curated": labels})


def parse_article_line(raw: str, source: str, line: int) -> Item:
    """One JSONL line as an Article, or a Problem naming the line and field."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Problem(source, f"invalid JSON ({exc.msg} at column {exc.colno})", line)
    except RecursionError:
        return Problem(source, "invalid JSON (nested too deeply); a line is one flat object", line)
    if not isinstance(obj, dict):
        return Problem(source, "expected a JSON object", line)
    try:
        if "summary" in obj and "text" not in obj:
            return _event_article(obj, Path(source).name)
        rec = ArticleLine.model_validate(obj)
        published = parse_date(rec.date)
    except ValidationError as exc:
        return Problem(source, field_error(exc, "line"), line)
    except ValueError as exc:
        return Problem(source, f"field `date`: {exc}", line)
    return make_article(rec.text, published, title=rec.title, url=rec.url, source=rec.source or Path(source).name, id=rec.id)


def read_line(raw: str, source: str, line: int) -> Iterator[Item]:
    """One JSONL line: its article (or problem), and a warning when its text had to be cut."""
    item = parse_article_line(raw, source, line)
    if isinstance(item, Article) and len(item.text) == MAX_TEXT_CHARS and (note := _long_text(raw)):
        yield Problem(source, note, line, severity="warning")
    yield item


def _long_text(raw: str) -> str | None:
    """The cut note for a line whose text field was longer than the limit (checked only for long lines)."""
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    text = obj.get("text") or obj.get("summary") if isinstance(obj, dict) else None
    return cut_note(text.strip()) if isinstance(text, str) else None


def read_jsonl(path: Path) -> Iterator[Item]:
    """JSON Lines of articles; each bad line becomes a Problem and the rest still load."""
    try:
        raw = read_bytes(path)
    except (OSError, ValueError) as exc:
        yield Problem(str(path), _reason(exc))
        return
    if not raw.strip():
        yield Problem(str(path), "empty file")
        return
    for n, data in enumerate(raw.split(b"\n"), start=1):  # each line decoded on its own: a bad byte costs one line
        if not data.strip():
            continue
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Problem(str(path), f"not valid UTF-8 (byte {exc.start + 1} of the line); save the file as UTF-8", n)
            continue
        yield from read_line(line, str(path), n)


READERS: dict[str, Reader] = {".txt": read_seed, ".jsonl": read_jsonl, ".ndjson": read_jsonl}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())


def _reason(exc: Exception) -> str:
    """A user-facing reason for a file that cannot be read."""
    if isinstance(exc, OSError):
        return f"cannot read ({exc.strerror or exc}); check the file's permissions"
    return str(exc)


def read_paths(paths: list[Path]) -> Iterator[Item]:
    """Every article in the given files and folders (folders: every supported file, sorted); a file or
    subfolder that cannot be read is one Problem, and the others are still read."""
    for path in paths:
        if path.is_dir():
            files, problems = _walk(path)
            yield from problems
            yield from _read_files(files)
        elif path.exists():
            yield from _read_files([path])
        elif path.is_symlink():
            yield Problem(str(path), "a link to a file that does not exist")
        else:
            yield Problem(str(path), "no such file or folder")


def _walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The visible files under a folder, sorted, and a Problem for each subfolder that cannot be listed."""
    problems: list[Problem] = []
    files: list[Path] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem(str(exc.filename or folder), f"cannot list this folder ({exc.strerror or exc}); its files were skipped"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(root) / n for n in names if not n.startswith("."))
    return sorted(f for f in files if f.is_file()), problems


def _read_files(files: list[Path]) -> Iterator[Item]:
    for file in files:
        reader = reader_for(file)
        if reader is None:
            yield Problem(str(file), f"unsupported file type {file.suffix or '(none)'!r}; expected .txt, .jsonl or .ndjson")
            continue
        yield from reader(file)
