"""A CSV file of curated events: header `date,title,summary,url,themes,countries`.

Themes and countries are `;`-separated (theme ids; ISO alpha-2 codes or EU). Each row becomes
an article with curated labels; a bad row becomes an error naming its line and field, and the
other rows still load. A missing column ends the source; an extra column is dropped with a
warning. `since` is not used: the file is a curated list, kept whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx

from core.ingest.records import make_article, parse_date, safe_url
from core.models import Article, CuratedLabels
from core.sources.context import FetchContext
from core.sources.spec import SourceSpec, required_url
from core.taxonomy import THEME_IDS, is_country_code

COLUMNS = ("date", "title", "summary", "url", "themes", "countries")


def crawl(context: FetchContext, source: SourceSpec, since: dt.date | None) -> None:
    """Emit one article per good row of the CSV file at the source's url."""
    response = context.get(required_url(source))
    read_rows(context, source, response.content.decode("utf-8-sig", errors="replace"))


def read_rows(context: FetchContext, source: SourceSpec, text: str) -> None:
    """Check the header, then emit every good row and record a Problem for every bad one."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise context.fail(f"the CSV header lacks {', '.join(missing)} (expected {','.join(COLUMNS)})", "fix the file's first line")
    extra = [h for h in header if h not in COLUMNS]
    if extra:
        context.warn(source.name, f"columns {extra} are not used; dropped", 1)
    reader.fieldnames = header
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a field past csv's limit, a NUL byte: this row is lost, the next ones are read
            context.error(source.name, f"unreadable row ({exc}); skipped", reader.line_num)
            continue
        try:
            context.emit(row_article(row))
        except ValueError as exc:  # line_num is the row's last line (its only line unless a quoted cell breaks)
            context.error(source.name, str(exc), reader.line_num)


def row_article(row: dict[str | None, str | list[str] | None]) -> Article:
    """An article with curated themes and countries; ValueError names the bad field."""
    if None in row:
        raise ValueError("more fields than columns in the header")
    value = {c: str(row.get(c) or "").strip() for c in COLUMNS}
    try:
        published = parse_date(value["date"])
    except ValueError as exc:
        raise ValueError(f"field `date`: {exc}") from None
    for field in ("title", "summary"):
        if not value[field]:
            raise ValueError(f"field `{field}`: missing")
    url = safe_url(value["url"])
    if url is None:
        raise ValueError(f"field `url`: {value['url'][:80]!r} is not an http(s) URL")
    labels = CuratedLabels(themes=split_checked(value["themes"], "themes"),
                           countries=split_checked(value["countries"], "countries") or None)
    article = make_article(value["summary"], published, title=value["title"], url=url, source=httpx.URL(url).host)
    return article.model_copy(update={"curated": labels})


def split_checked(cell: str, field: str) -> tuple[str, ...]:
    """The `;`-separated values of a themes or countries cell; ValueError names unknown ones."""
    values = tuple(dict.fromkeys(v.strip() if field == "themes" else v.strip().upper() for v in cell.split(";") if v.strip()))
    known = (lambda v: v in THEME_IDS) if field == "themes" else is_country_code
    unknown = [v for v in values if not known(v)]
    if unknown:
        expected = "theme ids such as ai, semiconductors" if field == "themes" else "ISO 3166-1 alpha-2 codes or EU"
        raise ValueError(f"field `{field}`: unknown {unknown}; expected {expected}")
    return values
