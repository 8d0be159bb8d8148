"""The question box: a question in plain words becomes the ordinary filters (and so the URL), shown
as chips that name the words behind each; removing a chip removes that filter."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core import Understood, understand
from dashboard import filters
from dashboard.text import escape_markdown

PARAM_KEYS = {"theme": "theme", "country": "country", "org": "org", "actor": "actor", "target": "target", "rel": "rel",
              "stage": "stage"}
LABELS = {"theme": "Theme", "country": "Country", "org": "Organization", "actor": "Actor", "target": "Target",
          "rel": "Relation", "stage": "Stage", "dates": "Dates", "q": "Text"}


def chip(u: Understood) -> str:
    """A chip's text: what the filter is, and the words it came from."""
    value = filters.theme_label(u.value) if u.param == "theme" else filters.country_label(u.value) \
        if u.param in ("country", "actor", "target") else u.value
    words = "" if u.param == "q" else f' ← "{u.words}"'
    return escape_markdown(f"{LABELS[u.param]}: {value}{words}")  # pills labels are markdown: escape


def ask() -> None:
    """on_change of the box: the question's filters replace the current ones (the URL follows)."""
    question = (st.session_state.get("ask") or "").strip()
    if not question:
        return
    reading = understand(question)
    opts = filters.options()
    kept: list[Understood] = []
    for key in filters.LISTS:
        st.session_state[key] = []
    for u in reading.understood:
        key = PARAM_KEYS.get(u.param)
        allowed = {"country": opts.countries, "actor": opts.countries, "target": opts.countries,
                   "org": opts.orgs}.get(u.param)
        if key and (allowed is None or u.value in allowed):
            st.session_state[key] = [*st.session_state[key], u.value]
            kept.append(u)
    start, end = reading.filters.start, reading.filters.end
    first, last = opts.first_date, opts.last_date
    if start or end:
        st.session_state["dates"] = (start or first or dt.date(1900, 1, 1), end or last or dt.date.today())
        kept += [u for u in reading.understood if u.param == "dates"]
    else:
        st.session_state.pop("dates", None)
    st.session_state["q"] = reading.text
    kept += [u for u in reading.understood if u.param == "q"]
    st.session_state["_reading"] = kept
    st.session_state["_chips"] = [chip(u) for u in kept]
    st.session_state["_chips_key"] = f"_chips_{abs(hash(tuple(st.session_state['_chips'])))}"


def drop_chip() -> None:
    """on_change of the chips: a chip the user removed takes its filter with it."""
    shown = set(st.session_state.get(st.session_state.get("_chips_key", ""), None) or [])
    reading: list[Understood] = st.session_state.get("_reading", [])
    keep = []
    for u in reading:
        if chip(u) in shown:
            keep.append(u)
            continue
        key = PARAM_KEYS.get(u.param)
        if key:
            st.session_state[key] = [v for v in st.session_state.get(key, []) if v != u.value]
        elif u.param == "dates":
            st.session_state.pop("dates", None)
        elif u.param == "q":
            st.session_state["q"] = ""
    st.session_state["_reading"] = keep
    st.session_state["_chips"] = [chip(u) for u in keep]
    st.session_state["_chips_key"] = f"_chips_{abs(hash(tuple(st.session_state['_chips'])))}"


def render() -> None:
    """The box and its chips, at the top of the sidebar."""
    with st.sidebar:
        st.text_input("Ask in plain words", key="ask", on_change=ask,
                      placeholder="e.g. Dutch chip export controls on China since 2023",
                      help="A question becomes the filters below (themes, countries, who acts on whom, organizations, "
                           "stage, dates); words it does not map are searched as text. Each chip shows the words behind "
                           "a filter; remove a chip to drop it.")
        chips = st.session_state.get("_chips") or []
        if chips:
            st.pills("Understood", chips, selection_mode="multi", default=chips, key=st.session_state["_chips_key"],
                     on_change=drop_chip, label_visibility="collapsed")
