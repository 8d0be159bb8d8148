"""Instruments: laws, rules, programmes and sanction regimes with their dated stages and their
status as of today. One instrument in the URL (`?instrument=eu-ai-act`) shows its stages in order."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core import STAGE_LABELS, STATUSES, InstrumentView
from dashboard import charts, data, filters
from dashboard.text import escape_markdown

st.title("Instruments")
st.caption("A policy instrument is one law, rule, programme or sanction regime; its stages (proposed, adopted, "
           "in force, amended, suspended, rescinded ...) are events. Status is as of today.")
path = str(data.store_path())
version = data.store_version(data.store_path())
f = filters.current()
today = dt.date.today()
views = data.instruments(path, version, f, today)

if not views:
    st.info("No policy instrument has an event under these filters. Remove a filter in the sidebar, or clear them all.",
            icon=":material/gavel:")
    st.stop()


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def stage_rows(chosen: list[InstrumentView]) -> pd.DataFrame:
    return pd.DataFrame([
        {"instrument": v.name, "date": s.date, "stage": s.stage, "title": s.title, "event_id": s.event_id}
        for v in chosen for s in v.stages if s.date is not None
    ])


counts = {s: sum(1 for v in views if v.status == s) for s in STATUSES}
with st.container(horizontal=True):  # wraps on a narrow screen
    st.metric("Instruments", f"{len(views):,}", border=True)
    st.metric("In force", f"{counts['in force']:,}", border=True)
    st.metric("Pending or adopted", f"{counts['pending'] + counts['adopted']:,}", border=True,
              help="Proposed and not yet adopted, or adopted and not yet in force (or not recorded as such).")
    st.metric("Suspended or ended", f"{counts['suspended'] + counts['rescinded'] + counts['expired'] + counts['struck down']:,}",
              border=True, help="Suspended, rescinded, expired or struck down.")

status_filter = st.segmented_control("Status today", list(STATUSES), selection_mode="multi", key="status",
                                     bind="query-params")
shown = [v for v in views if not status_filter or v.status in status_filter]
if not shown:
    st.info("No instrument has that status under these filters. Choose another status.", icon=":material/gavel:")
    st.stop()

if len(shown) == 1:
    v = shown[0]
    st.subheader(escape_markdown(v.name), anchor=False)
    since = f" since {v.since}" if v.since else ""
    if v.as_scheduled:
        since += " (a date announced in advance; no later record confirms it held)"
    ahead = f" · next: {stage_label(v.next.stage).lower()} on {v.next.date}" if v.next else ""
    st.caption(escape_markdown(f"Status today: {v.status}{since}{ahead} · {len(v.stages)} stages"))
top = shown[:40]
st.plotly_chart(charts.stages_figure(stage_rows(top), today, stage_label,
                                     title="Stages" if len(top) == 1 else f"Stages of the {len(top)} most recently active instruments"),
                theme="streamlit", key="stages_chart")

if len(shown) == 1:
    frame = pd.DataFrame([{"date": s.date, "stage": stage_label(s.stage), "scheduled": s.scheduled, "title": s.title,
                           "open": f"events?event={s.event_id}"} for s in shown[0].stages])
    st.markdown("**Stages in order**")
else:
    frame = pd.DataFrame([{
        "name": v.name, "status": v.status + (" (as scheduled)" if v.as_scheduled else ""), "since": v.since,
        "stages": len(v.stages),
        "first": v.stages[0].date, "last": v.stages[-1].date,
        "next": f"{stage_label(v.next.stage)} {v.next.date}" if v.next else "", "id": v.id,
    } for v in shown])
    st.caption(f"{len(shown)} instruments, most recently active first. Select one to see its stages.")


def pick() -> None:
    """A selected instrument becomes the instrument filter (and so the URL)."""
    rows = st.session_state["instruments_table"].selection.rows
    if rows:
        st.session_state["instrument"] = [str(frame["id"].iloc[rows[0]])]


st.dataframe(
    frame, hide_index=True, key="instruments_table" if len(shown) > 1 else "stages_table",
    height=min(36 * (len(frame) + 1) + 2, 900),  # every stage of one instrument visible; a long list scrolls
    on_select=pick if len(shown) > 1 else "ignore", selection_mode="single-row",
    column_order=["date", "stage", "scheduled", "title", "open"] if len(shown) == 1
    else ["name", "status", "since", "stages", "first", "last", "next"],
    column_config={
        "name": st.column_config.TextColumn("Instrument", width="large"),
        "status": st.column_config.TextColumn("Status today"),
        "since": st.column_config.DateColumn("Since", format="YYYY-MM-DD"),
        "stages": st.column_config.NumberColumn("Stages", width="small"),
        "first": st.column_config.DateColumn("First stage", format="YYYY-MM-DD"),
        "last": st.column_config.DateColumn("Latest stage", format="YYYY-MM-DD"),
        "next": st.column_config.TextColumn("Next (scheduled)"),
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "stage": st.column_config.TextColumn("Stage"),
        "scheduled": st.column_config.CheckboxColumn("Scheduled", help="Announced in advance"),
        "title": st.column_config.TextColumn("Event", width="large"),
        "open": st.column_config.LinkColumn("Event view", display_text="open", width="small"),
    },
)
