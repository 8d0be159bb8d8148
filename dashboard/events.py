"""Events: the filtered table, and the selected event with its evidence and sources."""

from __future__ import annotations

import datetime as dt
import math

import streamlit as st

from core import export
from core.queries import EXPORT_LIMIT, PAGE_SIZE
from dashboard import data, filters
from dashboard.event_view import show_event
from dashboard.text import safe_url

st.title("Events")
path = str(data.store_path())
version = data.store_version(data.store_path())
f = filters.current()
total = data.count(path, version, f)

if total == 0:
    st.info("No events match these filters. Remove a filter in the sidebar, or clear them all.", icon=":material/filter_alt_off:")
    st.stop()

pages = max(1, math.ceil(total / PAGE_SIZE))
page = 1
if pages > 1:
    page = int(st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1, key="page"))
frame = data.events_page(path, version, f, PAGE_SIZE, (page - 1) * PAGE_SIZE).copy()
st.caption(f"{total} event{'s' if total != 1 else ''}" + (f", showing {len(frame)} on page {page} of {pages}" if pages > 1 else ""))

with st.popover("Export", icon=":material/download:"):
    # The files are built only when a button is clicked (a callable), not on every rerun.
    st.caption(f"The {min(total, EXPORT_LIMIT)} filtered events with tags, relations, evidence and source URLs.")
    today = dt.date.today()
    st.download_button("CSV", lambda: export.to_csv(data.export_rows(path, version, f)),
                       file_name=export.file_name(f, today, "csv"), mime="text/csv")
    st.download_button("JSON", lambda: export.to_json(data.export_rows(path, version, f)),
                       file_name=export.file_name(f, today, "json"), mime="application/json")

frame["themes"] = frame["themes"].map(lambda ts: [filters.theme_label(t) for t in ts])
frame["url"] = frame["url"].map(safe_url)
selection = st.dataframe(
    frame,
    hide_index=True,
    column_order=["date", "title", "url", "themes", "countries", "orgs"],
    column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width="small"),
        "title": st.column_config.TextColumn("Title", width="large"),
        "themes": st.column_config.ListColumn("Themes"),
        "countries": st.column_config.ListColumn("Countries"),
        "orgs": st.column_config.ListColumn("Organizations"),
        "url": st.column_config.LinkColumn("Source", display_text="open", width="small"),
    },
    on_select="rerun",
    selection_mode="single-row",
    key="events_table",
)
rows = selection.selection.rows if selection else []
if rows:
    st.query_params["event"] = str(frame.iloc[rows[0]]["id"])
selected = st.query_params.get("event")
event = data.event_detail(path, version, selected) if selected else None
if event:
    st.divider()
    show_event(event)
elif selected:
    st.warning("The event in the link is not in the store. Pick one from the table.")
else:
    st.caption("Select a row to see the event, the evidence behind each tag, and its sources.")
