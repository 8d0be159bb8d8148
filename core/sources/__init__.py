"""Live sources: one small `crawl(context, source, since)` module per kind of feed.

- `spec`: the sources list (`core/data/sources.toml` plus a user file) as `SourceSpec`.
- `context`: `FetchContext`, which owns the HTTP client (retries, backoff), the clock,
  ids, and collects articles, primary documents and problems.
- `gdelt_doc`, `federal_register`, `rss`, `gdelt_events`, `csv_events`: the ingesters.
- `runner`: `fetch()` runs every source on its own, so one failure never stops the rest.
- `schedule`: when each source last ran (the store's runs table), whether it worked, when it is due.

Nothing here writes to the store; the pipeline does that with the `FetchReport`
(`core.pipeline.store_run`, and `core.pipeline.refresh` for the dashboard's background refresh).
"""
