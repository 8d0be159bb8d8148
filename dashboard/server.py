"""The read-only HTTP routes served beside the dashboard by the same process (`st.App`).

`/api/events`, `/api/events.csv`, `/api/stats` and `/feed.atom` take a view's URL parameters and
answer from `core.api`. Handlers are plain functions, so Starlette runs them in its thread pool and
a slow query never holds up the app's pages; each reads the store read-only. Only GET (and HEAD).
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from core import Store, api, default_store_path, ensure_seeded

log = logging.getLogger(__name__)


def handle(request: Request) -> Response:
    """Answer one route; an unexpected failure is logged for maintainers and answered with a 500 that
    carries no traceback."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    try:
        store = default_store_path()
        if not store.exists():  # a first request before any page: build the store from seeds/, as the app does
            ensure_seeded(Store(store))
        got = api.answer(request.url.path, store, params, str(request.base_url), str(request.url))
    except Exception:  # the boundary: nothing unexpected reaches a client as a traceback
        log.exception("GeoTech Radar API request failed: %s", request.url.path)
        return JSONResponse({"error": "the request failed on the server; try again, or report it"}, status_code=500)
    headers = {**got.headers, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    return Response(got.body, status_code=got.status, media_type=got.media_type, headers=headers)


def routes() -> list[BaseRoute]:
    return [Route(path, handle, methods=["GET", "HEAD"]) for path in api.ROUTES]
