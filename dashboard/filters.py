"""The shared filters, drawn in the router's sidebar and kept in the URL.

Each widget key is its URL parameter: theme, country, org, instrument, stage, actor, target, rel
(repeated parameters), dates (a date range), q (text). Selectors show names ("China (CN)",
"Export controls") while the URL keeps ids: Streamlit's own binding would write the displayed text
into the URL, so the selectors' values are read from and written to the URL here (`take_url`,
`put_url`); dates and q, whose shown text is their value, are bound by Streamlit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from core import (
    EARLIEST,
    LATEST,
    RELATION_TYPES,
    STAGES,
    THEME_IDS,
    Filters,
    Ignored,
    Options,
    country_name,
    lookup,
    parse_params,
    theme_label,
    to_params,
)
from dashboard.text import escape_markdown

DIRECTED = ("actor", "target", "rel")
LISTS = ("theme", "country", "org", "instrument", "stage", *DIRECTED)


def ignored_values(opts: Options) -> list[Ignored]:
    """The URL's filter values that cannot be used, read before the widgets (which drop them silently):
    malformed values, and countries, organizations or instruments no stored event has."""
    raw = {k: st.query_params.get_all(k) for k in st.query_params}
    _, ignored = parse_params(raw)
    known = {"country": set(opts.countries), "actor": set(opts.countries), "target": set(opts.countries),
             "org": set(opts.orgs), "instrument": set(opts.instruments)}
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


country_label = country_name  # the pages' name for it; theme_label is the taxonomy's


def country_option(code: str) -> str:
    """A country as selectors show it: its common English name with its code, "China (CN)"."""
    name = country_label(code)
    return f"{name} ({code})" if name != code else code


def stage_label(stage: str) -> str:
    return stage.replace("_", " ")


NAMED = {"theme": "theme", "country": "country", "actor": "country", "target": "country", "org": "org"}


def allowed_values(opts: Options) -> dict[str, list[str]]:
    """The ids each filter can take: what the store holds (countries, organizations, instruments) or
    the fixed vocabularies (themes, stages, relation types)."""
    countries = sorted(opts.countries, key=lambda c: (country_label(c).casefold(), c))
    return {"theme": list(THEME_IDS), "country": countries, "org": list(opts.orgs),
            "instrument": list(opts.instruments), "stage": list(STAGES), "actor": countries, "target": countries,
            "rel": list(RELATION_TYPES)}


def _clean(key: str, values: list[str], allowed: list[str]) -> list[str]:
    known = set(allowed)
    out: list[str] = []
    for value in values:
        v = value.strip().upper() if key in ("country", "actor", "target") else \
            value.strip().lower() if key in ("theme", "stage", "rel") else " ".join(value.split())
        if v in known and v not in out:
            out.append(v)
    return out


def take_url(opts: Options, page: str) -> None:
    """Before the widgets: the URL's filter ids become the selectors' values when the URL changed
    from outside them (the first load, a pasted link, a link on a page). Switching pages drops these
    parameters from the address; then the current filters stay and `put_url` writes them back."""
    url = {k: st.query_params.get_all(k) for k in LISTS}
    written = st.session_state.get("_url_written")
    moved = st.session_state.get("_url_page", page) != page
    st.session_state["_url_page"] = page
    if written is not None and (url == written or (moved and not any(url.values()))):
        return
    allowed = allowed_values(opts)
    for key in LISTS:
        st.session_state[key] = _clean(key, url[key], allowed[key])


def put_url() -> None:
    """After the widgets: their ids into the URL (repeated parameters; none when empty)."""
    for key in LISTS:
        values = [str(v) for v in st.session_state.get(key) or []]
        if values:
            if st.query_params.get_all(key) != values:
                st.query_params[key] = values
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state["_url_written"] = {k: st.query_params.get_all(k) for k in LISTS}


def _typed(key: str, allowed: list[str]) -> None:
    """on_change of a selector: a name typed into it that is not an option ("PRC", "Chinese",
    "Japon", "BIS") becomes the ids it stands for; what stands for nothing is named below it."""
    chosen: list[str] = []
    unknown: list[str] = []
    for value in st.session_state.get(key) or []:
        if value in allowed:
            chosen.append(value)
            continue
        found = [v for v in lookup(NAMED[key], value) if v in allowed]
        chosen += found
        if not found:
            unknown.append(value)
    st.session_state[key] = list(dict.fromkeys(chosen))
    st.session_state["_typed_unknown"] = (key, unknown) if unknown else None


def _select(label: str, key: str, allowed: list[str], label_of: Callable[[str], str], placeholder: str,
            help: str | None = None) -> list[str]:
    named = key in NAMED
    chosen = st.multiselect(label, allowed, key=key, format_func=label_of, placeholder=placeholder, help=help,
                            accept_new_options=named, on_change=(lambda: _typed(key, allowed)) if named else None)
    unknown = st.session_state.get("_typed_unknown")
    if unknown and unknown[0] == key:
        st.caption(escape_markdown(f"Nothing known as {', '.join(repr(u[:40]) for u in unknown[1])}; left out."))
    return [c for c in chosen if c in allowed]


def url_select(label: str, key: str, options: list[str], label_of: Callable[[str], str], default: str,
               kind: str | None = None, help: str | None = None) -> str:
    """One choice of a page kept in the URL as an id (profile=JP, pair=CN-US) and shown by name. With
    `kind` ("country"), a typed name, alias or demonym picks its option. A URL value that is not an
    option is named in a notice, and the default is shown."""
    url = st.query_params.get(key)
    if url is not None and url != st.session_state.get(f"_url_{key}"):
        if url in options:
            st.session_state[key] = url
        elif url.strip().upper() in options:
            st.session_state[key] = url.strip().upper()
        else:
            notice([Ignored(key, url, f"not one of this page's choices; showing {label_of(default)}")])
            st.session_state[key] = default
    if st.session_state.get(key) not in options:
        st.session_state[key] = default

    def typed() -> None:
        value = st.session_state.get(key)
        if value not in options and kind:
            found = [v for v in lookup(kind, str(value)) if v in options]
            st.session_state[key] = found[0] if found else st.session_state.get(f"_url_{key}", default)

    choice = st.selectbox(label, options, key=key, format_func=label_of, help=help, accept_new_options=bool(kind),
                          on_change=typed)
    choice = choice if choice in options else default
    if choice == default:  # as with Streamlit's own binding, a default stays out of the URL
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != choice:
        st.query_params[key] = choice
    st.session_state[f"_url_{key}"] = st.query_params.get(key)
    return choice


def render(opts: Options, page: str) -> Filters:
    """Draw the filter widgets in the sidebar and return the current filters. Selectors show names
    ("China (CN)", "Export controls") and take typed names, aliases and demonyms; the URL keeps ids."""
    take_url(opts, page)
    allowed = allowed_values(opts)
    instruments = opts.instruments
    with st.sidebar:
        st.header("Filters")
        themes = _select("Themes", "theme", allowed["theme"], theme_label, "All themes",
                         help="Type a theme, or a word for it (\"chips\" finds Semiconductors).")
        countries = _select("Countries", "country", allowed["country"], country_option, "All countries",
                            help="Type a name, code, alias or demonym: China, CN, PRC, Chinese, Japon. EU is the European Union.")
        orgs = _select("Organizations", "org", allowed["org"], str, "All organizations",
                       help="Type a name or an abbreviation (BIS, METI).")
        chosen_instruments = _select("Instruments", "instrument", allowed["instrument"], lambda i: instruments.get(i, i),
                                     "All policy instruments",
                                     help="A law, rule, programme or sanction regime whose stages are events "
                                          "(see the Instruments page).")
        stages = _select("Stages", "stage", allowed["stage"], stage_label, "All stages",
                         help="A policy act's stage: " + ", ".join(stage_label(s) for s in STAGES) + ".")
        with st.expander("Who acts on whom", expanded=any(st.session_state.get(k) for k in DIRECTED)):
            actors = _select("Actor", "actor", allowed["actor"], country_option, "Any country",
                             help="The country that acts in a stated relation.")
            targets = _select("Target", "target", allowed["target"], country_option, "Any country",
                              help="The country acted upon, or the partner.")
            rels = _select("Relation", "rel", allowed["rel"], str.capitalize, "Any relation",
                           help="One stated relation must match actor, target and type together: "
                                "?actor=US&target=CN&rel=restriction lists US restrictions on China.")
        put_url()
        first, last = opts.first_date, opts.last_date
        _follow_the_data(first, last)
        dates: Any = ()
        if first and last:
            # Any range in 1900-2100 is accepted (a shared link may reach past the data's span), not silently dropped.
            dates = st.date_input("Dates", value=(first, last), min_value=EARLIEST, max_value=LATEST, key="dates",
                                  bind="query-params", format="YYYY-MM-DD")
        q = st.text_input("Search titles and text", key="q", bind="query-params", placeholder="e.g. OpenAI")
        start, end = _range(dates)
        current = Filters(tuple(themes), tuple(countries), tuple(orgs), start, end, (q or "").strip(),
                          tuple(chosen_instruments), tuple(stages), tuple(actors), tuple(targets), tuple(rels))
        narrowed = chosen(current, opts) != dataclasses.replace(current, start=None, end=None)
        if narrowed or any(st.session_state.get(k) for k in (*LISTS, "q")):
            st.button("Clear filters", on_click=clear, use_container_width=False)
    return current


def chosen(f: Filters, opts: Options) -> Filters:
    """The filters without the date range when it is the store's whole span: the date widget starts
    there, so only a narrower range is a period the user chose."""
    if (f.start, f.end) == (opts.first_date, opts.last_date):
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


def options() -> Options:
    """The store's options the router read for this run."""
    return st.session_state.get("_options", Options())


def current() -> Filters:
    """The filters the router computed for this run."""
    return st.session_state.get("_filters", Filters())


def share_link(opts: Options, page_paths: list[str]) -> None:
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
        feed_col.link_button("Feed", f"{root}feed.atom{suffix}", help="Atom feed: the view's newest 50 events")
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
