"""Overview: counts, events over time by theme, theme x country heatmap, top organizations."""

from __future__ import annotations

import streamlit as st

from core.tagging.lexicon import THEME_IDS
from dashboard import charts, data, filters

st.title("GeoTech Radar")
st.caption("Technology policy events between governments and companies, tagged with evidence.")

path = str(data.store_path())
version = data.store_version(data.store_path())
f = filters.current()
s = data.summary(path, version, f)

if s["events"] == 0:
    st.info("No events match these filters. Remove a filter in the sidebar, or clear them all.", icon=":material/filter_alt_off:")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric("Events", s["events"])
c2.metric("Sources", s["sources"])
c3.metric("Countries", s["countries"])
c4.metric("Organizations", s["orgs"])
st.caption(f"From {s['first_date']} to {s['last_date']}")

def narrow(chart_key: str, filter_key: str) -> None:
    """Cross-filter: the chart's selected bars (their ids in customdata) become the filter's values."""
    state = st.session_state.get(chart_key)
    points = state.selection.points if state else []
    values = sorted({p["customdata"][0] for p in points if p.get("customdata")})
    if values:
        st.session_state[filter_key] = values


st.caption("Select bars (click, or drag a box) to narrow the filters; **Clear filters** in the sidebar undoes it.")
period = st.segmented_control("Group by", ["month", "quarter", "year"], default="month", key="period")
st.plotly_chart(
    charts.timeline_figure(data.timeline(path, version, f, period or "month"), filters.theme_label, list(THEME_IDS)),
    theme="streamlit", key="timeline_chart", on_select=lambda: narrow("timeline_chart", "theme"),
    selection_mode=("points", "box"),
)
left, right = st.columns([3, 2])
with left:
    st.plotly_chart(charts.heatmap_figure(data.theme_country(path, version, f), filters.theme_label, filters.country_label),
                    theme="streamlit", key="heatmap_chart")
with right:
    st.plotly_chart(charts.orgs_figure(data.top_orgs(path, version, f)), theme="streamlit", key="orgs_chart",
                    on_select=lambda: narrow("orgs_chart", "org"), selection_mode=("points", "box"))
