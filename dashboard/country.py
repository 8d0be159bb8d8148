"""Country profile: a country's themes over time, its partners and targets, its organizations, its latest events."""

from __future__ import annotations

import dataclasses

import streamlit as st

from core import THEME_IDS
from dashboard import charts, data, filters

st.title("Country profile")
path = str(data.store_path())
version = data.store_version(data.store_path())
options = filters.allowed_values(data.options(path, version))["country"]
if not options:
    st.info("No country in the store yet.", icon=":material/public_off:")
    st.stop()
code = filters.url_select("Country", "profile", options, filters.country_option, "US" if "US" in options else options[0],
                          kind="country", help="Type a name, code, alias or demonym (Japan, JP, Japanese, Japon); "
                                               "the code goes into the URL (profile=JP).")
f = dataclasses.replace(filters.current(), countries=(code,))
summary = data.summary(path, version, f)
if summary.events == 0:
    st.info("No event names this country under the current filters.", icon=":material/filter_alt_off:")
    st.stop()
st.subheader(filters.country_label(code), anchor=False)
with st.container(horizontal=True):  # wraps on a narrow screen
    st.metric("Events", f"{summary.events:,}", border=True)
    st.metric("Organizations", f"{summary.orgs:,}", border=True)
    st.metric("Sources", f"{summary.sources:,}", border=True)
st.plotly_chart(charts.timeline_figure(data.timeline(path, version, f, "quarter"), filters.theme_label, list(THEME_IDS)),
                theme="streamlit", key="profile_timeline")
mine = data.country_relations(path, version, f, code).copy()
left, right = st.columns(2)
with left:
    st.markdown("**Partners and targets**")
    if mine.empty:
        st.caption("No relation stated with another country.")
    else:
        mine["country"] = mine["other"].map(filters.country_label)
        st.dataframe(mine[["country", "type", "direction", "events"]], hide_index=True, column_config={
            "country": "Country", "type": "Relation", "direction": "Direction", "events": "Events"})
with right:
    st.plotly_chart(charts.orgs_figure(data.top_orgs(path, version, f, 10)), theme="streamlit", key="profile_orgs")
st.markdown("**Latest events**")
latest = data.events_page(path, version, f, 10, 0)[["date", "title", "id"]]
latest["open"] = "events?event=" + latest["id"]  # every event list opens the event
st.dataframe(latest, hide_index=True, column_order=["date", "title", "open"],
             column_config={"date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                            "title": st.column_config.TextColumn("Title", width="large"),
                            "open": st.column_config.LinkColumn("Event", display_text="open", width="small")})
