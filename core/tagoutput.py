"""The stable output contract of `geotech tag`: one JSON object per input line (see README).

`tag_line(tagger, raw, n)` turns one input line into its output object: the tags, relations, date
and evidence of the text, or `{"line": n, "error": ...}` naming what is wrong with the line.
`dumps(record)` writes an object as the command does (UTF-8 JSON bytes).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import orjson

from core.ingest.records import MAX_TEXT_CHARS, cut_note, parse_date

if TYPE_CHECKING:
    from core.tagging.tagger import FoundTag, Tagger, TagResult

TOO_DEEP = "invalid JSON (nested too deeply); an article is a flat object with `text` and `date`"
MAX_TITLE_CHARS = 1000


def load(raw: str) -> Any:
    """json.loads, faster: orjson parses what both read alike (it is stricter, and turns integers
    beyond 64 bits into floats, so an `id` that is not a string is read again by json)."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)
    if isinstance(obj, dict) and not isinstance(obj.get("id"), str | None):
        return json.loads(raw)
    return obj


def tag_line(tagger: Tagger, raw: str, n: int, evidence: bool = True) -> dict[str, Any]:
    """One output object for one input line (`n` counts from 1); without `evidence`, no `evidence` key."""
    try:
        obj = load(raw)
    except json.JSONDecodeError as exc:
        return {"line": n, "error": f"invalid JSON ({exc.msg} at column {exc.colno})"}
    except RecursionError:
        return {"line": n, "error": TOO_DEEP}
    if not isinstance(obj, dict):
        return {"line": n, "error": "expected a JSON object"}
    text = obj.get("text")
    if not isinstance(text, str):
        return {"line": n, "error": "field `text` is missing or not a string"}
    try:
        published = parse_date(obj["date"]) if obj.get("date") else None
    except ValueError as exc:
        return {"line": n, "error": f"field `date`: {exc}"}
    title: str = obj["title"] if isinstance(obj.get("title"), str) else ""
    note = cut_note(text)
    result = tagger.tag(text[:MAX_TEXT_CHARS], title[:MAX_TITLE_CHARS], published)
    ident = obj.get("id")
    if isinstance(ident, int) and not -(2**63) <= ident < 2**64:  # beyond what JSON writers carry as a number
        ident = str(ident)
    return {"id": ident, **result_json(result, evidence), **({"note": note} if note else {})}


def _evidence(tags: list[FoundTag]) -> dict[str, list[dict[str, Any]]]:
    from core.tagging.tagger import evidence_json  # loaded with the tagger already

    return {t.value: evidence_json(t.evidence) for t in tags if t.tagged}


def result_json(result: TagResult, evidence: bool = True) -> dict[str, Any]:
    """A tagging result as the contract's object (without `id` and `note`; without `evidence` on request)."""
    date = result.date
    out = {
        "themes": [t.value for t in result.themes if t.tagged],
        "countries": [t.value for t in result.countries if t.tagged],
        "org_countries": [t.value for t in result.org_countries if t.tagged],
        "orgs": [t.label for t in result.orgs if t.tagged],
        "relations": [{"source": source, "target": target, "type": rtype} for source, target, rtype, _ev in result.pairs],
        "date": {"date": date.date, "precision": date.precision, "scheduled": date.scheduled} if date else None,
    }
    if evidence:
        out["evidence"] = {"themes": _evidence(result.themes), "countries": _evidence(result.countries),
                           "orgs": _evidence(result.orgs)}
    return out


def to_json(obj: Any) -> Any:
    """What orjson cannot write itself: dates as ISO text, models as their JSON form."""
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    raise TypeError(type(obj).__name__)


def dumps(record: dict[str, Any]) -> bytes:
    """One output object as UTF-8 JSON bytes (no newline)."""
    return orjson.dumps(record, default=to_json)
