"""The shared filters, drawn in the router's sidebar and bound to the URL.

Each widget key is its URL parameter: theme, country, org, instrument, stage (repeated parameters),
dates (a date range), q (text). A bound multiselect writes its options' displayed text
into the URL, so the options are the stable values themselves: theme ids, ISO codes,
organization names (unique in the registry). Labels are explained in the help text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from core.ingest.records import EARLIEST, LATEST
from core.models import STAGES
from core.params import RELATION_TYPES, Ignored, parse, to_params
from core.queries import Filters
from core.tagging.lexicon import THEME_IDS, load_lexicon
from dashboard.text import escape_markdown

DIRECTED = ("actor", "target", "rel")
LISTS = ("theme", "country", "org", "instrument", "stage", *DIRECTED)


def ignored_values(opts: dict[str, Any]) -> list[Ignored]:
    """The URL's filter values that cannot be used, read before the widgets (which drop them silently):
    malformed values, and countries, organizations or instruments no stored event has."""
    raw = {k: st.query_params.get_all(k) for k in st.query_params}
    _, ignored = parse(raw)
    known = {"country": set(opts["countries"]), "actor": set(opts["countries"]), "target": set(opts["countries"]),
             "org": set(opts["orgs"]), "instrument": set(opts.get("instruments", {}))}
    bad = {(i.param, i.value) for i in ignored}
    for param, allowed in known.items():
        for value in raw.get(param, []):
            v = value.strip().upper() if param in ("country", "actor", "target") else " ".join(value.split())
            if (param, value) not in bad and v and v not in allowed:
                ignored.append(Ignored(param, value, "no stored event has it; left out"))
    return ignored


def notice(ignored: list[Ignored]) -> None:
    """Say which URL values were left out, so a view is never silently wider than its link."""
    if ignored:
        text = "; ".join(str(i) for i in ignored[:8]) + ("; ..." if len(ignored) > 8 else "")
        st.warning("Some values in the link could not be used, so this view is wider than the link asked for: "
                   + escape_markdown(text), icon=":material/link_off:")


def theme_label(theme: str) -> str:
    return load_lexicon().themes.get(theme, theme)


def country_label(code: str) -> str:
    return load_lexicon().countries.get(code, code)


def render(opts: dict[str, Any]) -> Filters:
    """Draw the filter widgets in the sidebar and return the current filters."""
    with st.sidebar:
        st.header("Filters")
        themes = st.multiselect("Themes", THEME_IDS, key="theme", bind="query-params", placeholder="All themes",
                                help=_legend(THEME_IDS, theme_label))
        countries = st.multiselect("Countries", opts["countries"], key="country", bind="query-params",
                                   placeholder="All countries", help="ISO 3166-1 codes; EU is the European Union.")
        orgs = st.multiselect("Organizations", opts["orgs"], key="org", bind="query-params",
                              placeholder="All organizations")
        instruments = st.multiselect("Instruments", list(opts.get("instruments", {})), key="instrument",
                                     bind="query-params", placeholder="All policy instruments",
                                     help="A law, rule, programme or sanction regime whose stages are events "
                                          "(see the Instruments page).")
        stages = st.multiselect("Stages", list(STAGES), key="stage", bind="query-params", placeholder="All stages",
                                help="A policy act's stage: " + ", ".join(STAGES) + ".")
        with st.expander("Who acts on whom", expanded=any(st.session_state.get(k) for k in DIRECTED)):
            actors = st.multiselect("Actor", opts["countries"], key="actor", bind="query-params", placeholder="Any country",
                                    help="The country that acts in a stated relation (ISO code, EU for the Union).")
            targets = st.multiselect("Target", opts["countries"], key="target", bind="query-params",
                                     placeholder="Any country", help="The country acted upon, or the partner.")
            rels = st.multiselect("Relation", list(RELATION_TYPES), key="rel", bind="query-params", placeholder="Any relation",
                                  help="One stated relation must match actor, target and type together: "
                                       "?actor=US&target=CN&rel=restriction lists US restrictions on China.")
        first, last = opts["first_date"], opts["last_date"]
        _follow_the_data(first, last)
        dates: Any = ()
        if first and last:
            # Any range in 1900-2100 is accepted (a shared link may reach past the data's span), not silently dropped.
            dates = st.date_input("Dates", value=(first, last), min_value=EARLIEST, max_value=LATEST, key="dates",
                                  bind="query-params", format="YYYY-MM-DD")
        q = st.text_input("Search titles and text", key="q", bind="query-params", placeholder="e.g. OpenAI")
        start, end = _range(dates)
        current = Filters(tuple(themes), tuple(countries), tuple(orgs), start, end, (q or "").strip(),
                          tuple(instruments), tuple(stages), tuple(actors), tuple(targets), tuple(rels))
        narrowed = chosen(current, opts) != dataclasses.replace(current, start=None, end=None)
        if narrowed or any(st.session_state.get(k) for k in (*LISTS, "q")):
            st.button("Clear filters", on_click=clear, use_container_width=False)
    return current


def chosen(f: Filters, opts: dict[str, Any]) -> Filters:
    """The filters without the date range when it is the store's whole span: the date widget starts
    there, so only a narrower range is a period the user chose."""
    if (f.start, f.end) == (opts["first_date"], opts["last_date"]):
        return dataclasses.replace(f, start=None, end=None)
    return f


def _follow_the_data(first: dt.date | None, last: dt.date | None) -> None:
    """When the store's date span changes (a refresh brought newer events), a date range that was
    just the old span (never chosen by the user) follows the new span instead of hiding new events."""
    span, before = (first, last), st.session_state.get("_dates_span")
    if before is not None and before != span and "dates" in st.session_state \
            and _range(st.session_state["dates"]) == before:
        del st.session_state["dates"]
    st.session_state["_dates_span"] = span


def _legend(values: tuple[str, ...], label: Callable[[str], str]) -> str:
    return "  \n".join(f"`{v}` {label(v)}" for v in values)


def _range(value: Any) -> tuple[dt.date | None, dt.date | None]:
    """A date_input value (a date, or a tuple of one or two dates while picking) as a range."""
    if isinstance(value, dt.date):
        return value, value
    items = [v for v in (value or ()) if isinstance(v, dt.date)]
    if len(items) == 2:
        return items[0], items[1]
    if len(items) == 1:
        return items[0], None
    return None, None


def clear() -> None:
    """Reset every filter (the URL follows, since bound widgets drop their defaults)."""
    for key in LISTS:
        st.session_state[key] = []
    st.session_state["q"] = ""
    st.session_state.pop("dates", None)


def customdata_values(points: list[dict[str, Any]]) -> list[str]:
    """The ids a chart selection carries: the first customdata value of each selected point."""
    return sorted({str(p["customdata"][0]) for p in points if p.get("customdata")})


def narrow(filter_key: str, values: list[str]) -> None:
    """Cross-filter: selected ids become the values of a shared filter (and so of the URL)."""
    if values:
        st.session_state[filter_key] = sorted(set(values))


def narrow_from_chart(chart_key: str, filter_key: str) -> None:
    """on_select callback of a chart whose points carry filter ids in customdata."""
    state = st.session_state.get(chart_key)
    narrow(filter_key, customdata_values(state.selection.points if state else []))


def current() -> Filters:
    """The filters the router computed for this run."""
    return st.session_state.get("_filters", Filters())


def share_link(opts: dict[str, Any], page_paths: list[str]) -> None:
    """The link to this exact view (page, filters, selected event), with a copy button; and the view's
    Atom feed and data (JSON, CSV), served beside the app by the same process (core/api.py)."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    root = app_root(base, page_paths)
    view = urlencode(to_params(chosen(current(), opts)))
    suffix = f"?{view}" if view else ""
    with st.sidebar:
        st.caption("Link to this view")
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
        st.caption("Follow this view in a feed reader, or read its data")
        st.code(f"{root}feed.atom{suffix}", language=None, wrap_lines=True)
        feed_col, json_col, csv_col = st.columns(3)
        feed_col.link_button("Feed", f"{root}feed.atom{suffix}", icon=":material/rss_feed:", help="Atom feed: the view's newest 50 events")
        json_col.link_button("JSON", f"{root}api/events{suffix}", help="The view's events as JSON (paged: limit, offset)")
        csv_col.link_button("CSV", f"{root}api/events.csv{suffix}", help="The view's events as CSV, as the Export button gives")


def app_root(page_url: str, page_paths: list[str]) -> str:
    """The app's root URL (ending in /) from a page's URL (its last part one of `page_paths`): the
    routes live at its top, beside the pages, under whatever prefix a host serves the app at."""
    parts = urlsplit(page_url)
    path = parts.path
    for page in filter(None, page_paths):
        if path.rstrip("/").endswith("/" + page):
            path = path.rstrip("/")[: -len(page)]
            break
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
