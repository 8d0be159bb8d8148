"""Upcoming: what takes effect or happens next (effective dates, comment deadlines, summits)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import charts, data, filters

st.title("Upcoming")
st.caption("Events dated after today, nearest first: rules taking effect, comment deadlines, scheduled meetings.")
path = str(data.store_path())
today = dt.date.today()
past = st.toggle("Also past scheduled events", key="past", bind="query-params",
                 help="Events that lay ahead when they were reported (a summit announced for next month), "
                      "even if their date has gone by.")
frame = data.upcoming(path, data.store_version(data.store_path()), filters.current(), today, bool(past)).copy()
if frame.empty:
    hint = "" if past else " switch on past scheduled events,"
    st.info(f"Nothing scheduled matches these filters. Clear a filter,{hint} or fetch newer sources (`geotech fetch`).",
            icon=":material/event_busy:")
    st.stop()
st.plotly_chart(charts.upcoming_figure(frame, today), theme="streamlit", key="upcoming_chart")
frame["themes"] = frame["themes"].map(lambda ts: [filters.theme_label(t) for t in ts])
st.dataframe(frame, hide_index=True, column_order=["date", "in_days", "kind", "title", "themes", "countries", "orgs"],
             column_config={
                 "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                 "in_days": st.column_config.NumberColumn("In days", help="Negative: days ago"),
                 "kind": st.column_config.TextColumn("What"),
                 "title": st.column_config.TextColumn("Title", width="large"),
                 "themes": st.column_config.ListColumn("Themes"),
                 "countries": st.column_config.ListColumn("Countries"),
                 "orgs": st.column_config.ListColumn("Organizations"),
             })
