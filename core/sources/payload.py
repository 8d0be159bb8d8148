"""Reading response bodies: JSON that may hold invalid escapes, and error bodies in plain text or HTML."""

from __future__ import annotations

import json
import re

import httpx

from core.sources.context import FetchContext
from core.sources.markup import html_lines

# A valid escape (kept; matched first so `\\` stays whole), `\'` (a JavaScript habit), or a stray backslash.
_ESCAPE = re.compile(r'\\(\\|["/bfnrt]|u[0-9a-fA-F]{4})|\\(\')?')
_HTML = re.compile(r"^\s*<(!doctype|html|head|body|\?xml)", re.IGNORECASE)


def first_line(body: str, limit: int = 160) -> str:
    """The first meaningful line of a plain-text or HTML body (HTML tags stripped)."""
    lines = html_lines(body, keep_head=True) if _HTML.match(body) else [ln.strip() for ln in body.splitlines() if ln.strip()]
    line = lines[0] if lines else "(empty body)"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def repair_escapes(body: str) -> str:
    """The body with `\\'` as a plain quote and every other invalid escape as a literal backslash."""
    return _ESCAPE.sub(lambda m: m.group(0) if m.group(1) else "'" if m.group(2) else r"\\", body)


def decode_json(context: FetchContext, response: httpx.Response) -> object:
    """The JSON value of a response; a body that is not JSON, or is broken beyond repair, ends the source.

    Control characters inside strings are accepted (`strict=False`); invalid escapes are repaired
    with a warning; an empty body counts as `{}`.
    """
    body = response.text.strip()
    host = response.url.host
    if not body:
        return {}
    if body[0] not in "{[":
        raise context.fail(f"{host} answered with an error instead of JSON: {first_line(body)!r}", "check the query; try again later")
    try:
        return json.loads(body, strict=False)
    except json.JSONDecodeError as exc:
        first = exc
    except RecursionError:
        raise context.fail(f"invalid JSON from {host} (nested too deeply)", "try again later; report it if it persists") from None
    try:
        value = json.loads(repair_escapes(body), strict=False)
    except json.JSONDecodeError:
        raise context.fail(f"invalid JSON from {host} ({first.msg} at line {first.lineno} column {first.colno})",
                           "try again later; report it if it persists") from None
    context.warn(context.name, f"repaired invalid JSON escapes in the response from {host} ({first.msg})")
    return value
