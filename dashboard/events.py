"""Events: the filtered table, and the selected event with its evidence and sources."""

from __future__ import annotations

import datetime as dt
import math

import streamlit as st

from core import export
from core.queries import EXPORT_LIMIT, PAGE_SIZE, SORTS
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
left, right = st.columns([1, 1])
with left:
    # Sorting happens in the store across every page (a column header click sorts only the page shown).
    # No format_func: a bound selectbox writes the displayed text into the URL, so options are the URL values.
    sort = st.selectbox("Sort by", list(SORTS), key="sort", bind="query-params",
                        help="newest or oldest first, most sources (articles merged into the event) first, or by title; "
                             "across all pages.") or "newest"
page = 1
if pages > 1:
    if not 1 <= int(st.session_state.get("page") or 1) <= pages:  # fewer pages after a filter change
        st.session_state["page"] = 1
    with right:
        page = int(st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1, key="page",
                                   bind="query-params"))
frame = data.events_page(path, version, f, PAGE_SIZE, (page - 1) * PAGE_SIZE, sort).copy()
st.caption(f"{total} event{'s' if total != 1 else ''}" + (f", showing {len(frame)} on page {page} of {pages}" if pages > 1 else ""))

with st.popover("Export", icon=":material/download:"):
    # The files are built once asked for (not on every rerun), in the script run itself: a download
    # generated later in a side thread could hang when a rerun replaced its button.
    st.caption(f"The {min(total, EXPORT_LIMIT)} filtered events with tags, relations, evidence and source URLs.")
    wanted = f"{version}:{hash(f)}"
    if st.session_state.get("_export_for") != wanted:
        st.button("Prepare the files", key="prepare_export", on_click=lambda: st.session_state.update(_export_for=wanted))
    else:
        today = dt.date.today()
        rows = data.export_rows(path, version, f)
        st.download_button("CSV", export.to_csv(rows), file_name=export.file_name(f, today, "csv"), mime="text/csv")
        st.download_button("JSON", export.to_json(rows), file_name=export.file_name(f, today, "json"), mime="application/json")


def pick(key: str, ids: list[str]) -> None:
    """A selected row (in the events or the related table) becomes the event in the URL."""
    rows = st.session_state[key].selection.rows
    if rows:
        st.query_params["event"] = str(ids[rows[0]])


# A table's selection is kept per key: the key names what the table shows, so a selection made
# on other rows (another page, sort or filter) is not carried over onto these.
table_key = f"events_table-{sort}-{page}-{abs(hash(f))}"
frame["themes"] = frame["themes"].map(lambda ts: [filters.theme_label(t) for t in ts])
frame["url"] = frame["url"].map(safe_url)
st.dataframe(
    frame,
    hide_index=True,
    column_order=["date", "title", "url", "themes", "countries", "orgs", "sources"],
    column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width="small"),
        "title": st.column_config.TextColumn("Title", width="medium"),
        "themes": st.column_config.ListColumn("Themes", width="small"),
        "countries": st.column_config.ListColumn("Countries", width="small"),
        "orgs": st.column_config.ListColumn("Organizations", width="small"),
        "url": st.column_config.LinkColumn("Source", display_text="open", width="small"),
        "sources": st.column_config.NumberColumn("Sources", width="small", help="Articles merged into this event"),
    },
    on_select=lambda ids=list(frame["id"]), key=table_key: pick(key, ids),
    selection_mode="single-row",
    key=table_key,
    height=min(36 * (len(frame) + 1) + 2, 640),  # 17 rows on a 1440 x 900 screen before the table scrolls
)
selected = st.query_params.get("event")
event = data.event_detail(path, version, selected) if selected else None
if event:
    st.divider()
    show_event(event)
    near = data.related(path, version, event["id"])
    st.markdown("**Related events**")
    if near.empty:
        st.caption("No other event within 120 days shares a country and a theme with this one.")
    else:
        st.caption("Within 120 days, sharing a country and a theme; most shared tags first. Select one to open it.")
        st.dataframe(near, hide_index=True, column_order=["date", "title", "shared"], column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width="small"),
            "title": st.column_config.TextColumn("Title", width="large"),
            "shared": st.column_config.NumberColumn("Shared tags", width="small"),
        }, on_select=lambda ids=list(near["id"]), key=f"related_table-{event['id']}": pick(key, ids),
            selection_mode="single-row", key=f"related_table-{event['id']}")
elif selected:
    st.warning("The event in the link is not in the store. Pick one from the table.")
else:
    st.caption("Select a row to see the event, the evidence behind each tag, and its sources.")
