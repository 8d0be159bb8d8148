"""Overview: counts, events over time by theme, theme x country heatmap, top organizations."""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from core import THEME_IDS, queries
from dashboard import charts, data, filters, freshness
from dashboard.text import escape_markdown

st.title("GeoTech Radar")
st.caption("Technology policy events between governments and companies, tagged with evidence.")

path = str(data.store_path())
version = data.store_version(data.store_path())
freshness.banner(data.store_path())
f = filters.current()
s = data.summary(path, version, f)

if s.events == 0:
    st.info("No events match these filters. Remove a filter in the sidebar, or clear them all.", icon=":material/filter_alt_off:")
    st.stop()

opts = data.options(path, version)
last = opts.last_date
change = data.compare(path, version, filters.chosen(f, opts), min(last, dt.date.today()) if last else None)


def rise_label(r: queries.Rise) -> str:
    if r.kind == "theme":
        name = filters.theme_label(r.key)
    elif r.kind == "country":
        name = filters.country_label(r.key)
    else:
        source, target, rtype = r.pair
        name = f"{filters.country_label(source)} → {filters.country_label(target)}: {rtype}"
    return f"{name}: {r.now} events, up from {r.before}"


def delta(key: str) -> str | None:
    """The change as text with thousands separators (a leading minus makes the arrow point down)."""
    return f"{getattr(change.current, key) - getattr(change.previous, key):,}" if change else None


tip = None
if change:
    (a, b), (pa, pb) = change.current_window, change.previous_window
    tip = f"The change compares {a} to {b} with the period of equal length before it ({pa} to {pb})."
with st.container(horizontal=True):  # cards wrap onto a second row on a narrow screen instead of cutting values
    st.metric("Events", f"{s.events:,}", delta(key="events"), help=tip, border=True)
    st.metric("Sources", f"{s.sources:,}", delta(key="sources"), help=tip, border=True)
    st.metric("Countries", f"{s.countries:,}", delta(key="countries"), help=tip, delta_color="off", border=True)
    st.metric("Organizations", f"{s.orgs:,}", delta(key="orgs"), help=tip, delta_color="off", border=True)
span = f"Events dated {s.first_date} to {s.last_date}."
if change:
    now, before = change.current.events, change.previous.events
    span += (f" Changes compare {a} to {b} ({now:,} events) with the {(b - a).days + 1} days before, {pa} to {pb} "
             f"({before:,} events); set both dates in the sidebar to choose the period.")
st.caption(span)


# What changed, before any chart: the newest events and what rose against the previous period.
new_left, new_right = st.columns([3, 2])
with new_left:
    st.markdown("**Newest events**")
    up_to_today = dataclasses.replace(filters.chosen(f, opts), end=min(dt.date.today(), f.end or dt.date.today()))
    newest = data.events_page(path, version, up_to_today, 5, 0)  # reported events, not dates scheduled ahead
    for row in newest.itertuples():
        st.markdown(f"[{escape_markdown(f'{row.date:%Y-%m-%d} · {row.title}')}](events?{urlencode({'event': row.id})})")
with new_right:
    st.markdown("**Rising against the previous period**")
    rising = data.rises(path, version, filters.chosen(f, opts), min(last, dt.date.today()) if last else None)
    if not rising:
        st.caption("Nothing rose: no theme, country or pair has more events than in the period before.")
    for r in rising:
        st.markdown(f"[{escape_markdown(rise_label(r))}](?{urlencode(r.params())})")

# Click-to-select is on (Streamlit turns it off when a figure's dragmode is "select"); the box tool
# is in each chart's toolbar.
st.caption("Click a bar to narrow the filters to its theme or organization (shift-click for several), or pick the box "
           "tool in the chart's toolbar and drag over bars; **Clear filters** in the sidebar undoes it.")
period = st.segmented_control("Group by", ["month", "quarter", "year"], default="month", key="period", bind="query-params")
st.plotly_chart(
    charts.timeline_figure(data.timeline(path, version, f, period or "month"), filters.theme_label, list(THEME_IDS)),
    theme="streamlit", key="timeline_chart", on_select=lambda: filters.narrow_from_chart("timeline_chart", "theme"),
    selection_mode=("points", "box"),
)
# One under the other, each the page's width: side by side, the heatmap's country columns and the
# organizations' names were cut on a laptop screen.
st.plotly_chart(charts.heatmap_figure(data.theme_country(path, version, f), filters.theme_label, filters.country_label),
                theme="streamlit", key="heatmap_chart")
st.plotly_chart(charts.orgs_figure(data.top_orgs(path, version, f)), theme="streamlit", key="orgs_chart",
                on_select=lambda: filters.narrow_from_chart("orgs_chart", "org"), selection_mode=("points", "box"))
