"""Federal Register API: documents of the source's agencies published since a date, newest first.

Each document becomes an article (text: title, abstract, action and dates; source: the agency
names) and a `PrimaryDocument` in `context.documents`, so the pipeline can store the rule with
its effective date and comment deadline. `pdf_url`, `topics` and `citation` are not requested.
"""

from __future__ import annotations

import datetime as dt

import httpx

from core.ingest.records import make_article, parse_date, safe_url
from core.primary import PrimaryDocument
from core.sources.context import FetchContext
from core.sources.payload import decode_json
from core.sources.spec import SourceSpec

API_URL = "https://www.federalregister.gov/api/v1/documents.json"
FIELDS = ("title", "type", "abstract", "document_number", "html_url", "publication_date", "agencies",
          "effective_on", "comments_close_on", "action", "dates")
PER_PAGE = 100
MAX_PAGES = 10
DEFAULT_LOOKBACK = dt.timedelta(days=7)


def crawl(context: FetchContext, source: SourceSpec, since: dt.date | None) -> None:
    """Emit every document of the agencies published on or after `since` (else the last week)."""
    start = since or (context.now().date() - DEFAULT_LOOKBACK)
    params = httpx.QueryParams([
        *(("conditions[agencies][]", slug) for slug in source.agencies),
        ("conditions[publication_date][gte]", start.isoformat()), ("order", "newest"), ("per_page", PER_PAGE),
        *(("fields[]", name) for name in FIELDS),
    ])
    url: str = API_URL
    query: httpx.QueryParams | None = params
    for page in range(1, MAX_PAGES + 1):
        data = fetch_page(context, url, query)
        for n, result in enumerate(data["results"], start=1):
            emit_result(context, source, result, f"page {page}, result {n}")
        if not data.get("next_page_url"):
            return
        url, query = context.follow_up(str(data["next_page_url"]), API_URL), None  # the next page's URL carries every parameter
    context.warn(source.name, f"stopped after {MAX_PAGES} pages of {PER_PAGE}; fetch more often or narrow the agencies")


def fetch_page(context: FetchContext, url: str, params: httpx.QueryParams | None) -> dict:
    """One page of the envelope `{count, total_pages, next_page_url, results}`; a broken envelope ends the source."""
    if safe_url(url) is None:
        raise context.fail(f"the Federal Register sent a next_page_url that is not http(s): {url[:80]!r}", "report it", "redirect")
    data = decode_json(context, context.get(url, params=params))
    if not isinstance(data, dict):
        raise context.fail("the Federal Register answered with JSON that is not an object", "report it if it persists")
    data.setdefault("results", [])  # a page with no documents may leave `results` out
    if not isinstance(data["results"], list):
        raise context.fail("the Federal Register's `results` is not a list", "report it if it persists")
    return data


def emit_result(context: FetchContext, source: SourceSpec, result: object, where: str) -> None:
    """One document as an article and a PrimaryDocument, or a warning naming the field."""
    try:
        if not isinstance(result, dict):
            raise ValueError("result is not an object")
        document = parse_document(result)
    except ValueError as exc:
        context.warn(source.name, f"{where}: {exc}; skipped")
        return
    context.documents.append(document)
    context.emit(make_article(document_text(result), document.publication_date, title=document.title,
                              url=document.url, source=", ".join(document.agencies) or "Federal Register"))
    for field in ("effective_on", "comments_close_on"):
        if result.get(field) and getattr(document, field) is None:
            context.warn(source.name, f"{where}: field `{field}` {result[field]!r} is not a date; dropped")


def parse_document(result: dict) -> PrimaryDocument:
    """A PrimaryDocument from one result; ValueError names a missing or bad required field."""
    for field in ("document_number", "title", "html_url", "publication_date"):
        if not isinstance(result.get(field), str) or not result[field].strip():
            raise ValueError(f"field `{field}` missing")
    url = safe_url(result["html_url"])
    if url is None:
        raise ValueError(f"field `html_url` is not http(s): {result['html_url'][:80]!r}")
    try:
        published = parse_date(result["publication_date"])
    except ValueError as exc:
        raise ValueError(f"field `publication_date`: {exc}") from None
    return PrimaryDocument(
        document_number=result["document_number"].strip(), title=" ".join(result["title"].split()),
        type=str(result.get("type") or ""), url=url, publication_date=published,
        effective_on=_optional_date(result.get("effective_on")), comments_close_on=_optional_date(result.get("comments_close_on")),
        agencies=agency_names(result.get("agencies")),
    )


def agency_names(agencies: object) -> tuple[str, ...]:
    """Agency names from the `agencies` list (`name`, else `raw_name`), without duplicates."""
    names: list[str] = []
    for agency in agencies if isinstance(agencies, list) else []:
        name = (agency.get("name") or agency.get("raw_name")) if isinstance(agency, dict) else None
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
    return tuple(names)


def document_text(result: dict) -> str:
    """Title, abstract, action and dates as paragraphs of plain text."""
    parts = [result.get("title"), result.get("abstract")]
    parts += [f"{label}: {result.get(key)}" if result.get(key) else None for key, label in (("action", "Action"), ("dates", "Dates"))]
    return "\n\n".join(" ".join(p.split()) for p in parts if isinstance(p, str) and p.strip())


def _optional_date(value: object) -> dt.date | None:
    try:
        return parse_date(value) if value else None
    except ValueError:
        return None
