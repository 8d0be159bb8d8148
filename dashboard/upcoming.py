"""Upcoming: what takes effect or happens next (effective dates, comment deadlines, summits)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core import STAGE_LABELS
from dashboard import charts, data, filters

st.title("Upcoming")
st.caption("Events dated after today, nearest first: rules taking effect, comment deadlines, scheduled meetings.")
path = str(data.store_path())
today = dt.date.today()
past = st.toggle("Also past scheduled events", key="past", bind="query-params",
                 help="Events that lay ahead when they were reported (a summit announced for next month), "
                      "even if their date has gone by.")
version = data.store_version(data.store_path())
frame = data.upcoming(path, version, filters.current(), today, bool(past)).copy()
anchor = today
if frame.empty and not past:
    # Nothing lies after today: show what was scheduled after the newest event, so that old data
    # still says what came next from where it stops.
    fresh = data.freshness(path, version, today)
    if fresh.newest_event and fresh.newest_event < today:
        anchor = fresh.newest_event
        frame = data.upcoming(path, version, filters.current(), today, after=anchor).copy()
    if not frame.empty:
        st.info(f"Nothing under these filters is scheduled after today ({today}). The newest event is dated {anchor}; "
                "below is what was scheduled after it (these dates have passed since).", icon=":material/update:")
if frame.empty:
    hint = "" if past else " switch on past scheduled events,"
    st.info(f"Nothing scheduled matches these filters after today ({today}). Clear a filter,{hint} or fetch newer "
            "sources (`geotech fetch`).", icon=":material/event_busy:")
    st.stop()
st.plotly_chart(charts.upcoming_figure(frame, today), theme="streamlit", key="upcoming_chart")
frame["themes"] = frame["themes"].map(lambda ts: [filters.theme_label(t) for t in ts])
frame["stage"] = frame["stage"].map(lambda s: STAGE_LABELS.get(s, "") if isinstance(s, str) else "")
frame["open"] = "events?event=" + frame["id"]  # every event list opens the event
st.dataframe(frame, hide_index=True,
             column_order=["date", "in_days", "kind", "title", "open", "instrument", "stage", "themes", "countries", "orgs"],
             column_config={
                 "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                 "in_days": st.column_config.NumberColumn("In days", help="Negative: days ago"),
                 "kind": st.column_config.TextColumn("What"),
                 "title": st.column_config.TextColumn("Title", width="large"),
                 "themes": st.column_config.ListColumn("Themes"),
                 "countries": st.column_config.ListColumn("Countries"),
                 "orgs": st.column_config.ListColumn("Organizations"),
                 "instrument": st.column_config.TextColumn("Instrument"),
                 "stage": st.column_config.TextColumn("Stage"),
                 "open": st.column_config.LinkColumn("Event", display_text="open", width="small"),
             })
