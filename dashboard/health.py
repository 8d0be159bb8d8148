"""Data health: the live sources' refresh state, a "Refresh now" button, every run, and the problems recorded."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import data, refresh
from dashboard.text import escape_markdown

st.title("Data health")
st.caption("Every ingest and fetch records a run; problems found in files and feeds are kept in the store.")
path = data.store_path()
refresher, summary, (kind, line) = refresh.status(path)
specs, sources_error = data.live_sources(refresh.sources_file())

st.subheader("Live sources", anchor=False)
{"ok": st.success, "info": st.info, "offline": st.warning, "seed": st.info}[kind](line)
if sources_error:
    st.error(f"A sources file cannot be used: {escape_markdown(sources_error)}")


def _refresh_now() -> None:
    if refresher.trigger():
        st.toast("Refresh started in the background; the page stays usable.", icon=":material/sync:")
    else:
        st.toast("A refresh is already running.", icon=":material/hourglass_top:")


left, right = st.columns([1, 4], vertical_alignment="center")
lake = refresh.reads_lake()
left.button("Refresh now", icon=":material/sync:", on_click=_refresh_now, disabled=not specs or bool(lake),
            help="The app reads a Parquet lake (GEOTECH_LAKE) and does not write to it; add events with `geotech lake merge`."
            if lake else "Fetch every live source now, in the background, as `geotech fetch` does.")
auto = refresher.state().auto
if lake:
    right.caption("The app reads a Parquet lake (GEOTECH_LAKE): nothing refreshes it from here; new events arrive with "
                  "`geotech lake merge`.")
else:
    right.caption(("Sources are refreshed automatically when their last run is older than their time-to-live"
                   if auto else "Automatic refresh is off (`GEOTECH_REFRESH=off`); use Refresh now")
                  + (f" ({refresh.ttl_minutes()} minutes for every source)." if refresh.ttl_minutes() else " (the cadence below)."))


@st.fragment(run_every=2.0 if refresher.state().busy else None)
def progress() -> None:
    """While a refresh runs, its progress (redrawn every 2 s); when it ends, the whole page reloads."""
    state = refresher.state()
    if state.busy:
        st.session_state["_refresh_seen_busy"] = True
        done, total = len(state.outcomes), len(state.planned)
        with st.status(f"Refreshing live sources: {done} of {total or '…'} done", state="running", expanded=True):
            for o in state.outcomes:
                st.markdown(f"{'✅' if o.status == 'ok' else '⚠️'} {escape_markdown(o.name)}: {escape_markdown(o.message)}")
    elif st.session_state.pop("_refresh_seen_busy", False):
        st.rerun(scope="app")  # the refresh ended: reload every table from the store
    elif state.outcomes:
        failed = sum(o.status != "ok" for o in state.outcomes)
        label = (f"Last refresh by this server: {len(state.outcomes) - failed} of {len(state.outcomes)} "
                 f"sources ok")
        with st.status(label, state="complete" if not failed else "error", expanded=False):
            for o in state.outcomes:
                st.markdown(f"{'✅' if o.status == 'ok' else '⚠️'} {escape_markdown(o.name)}: {escape_markdown(o.message)}")
    if state.error:
        st.error(f"The last background refresh could not run: {escape_markdown(state.error)}")


progress()

if summary.sources:
    table = pd.DataFrame([{
        "source": s.name, "status": s.status or "never run", "last_run": s.last_run, "last_ok": s.last_ok,
        "next_due": s.next_due, "message": s.message, "ttl": s.ttl_minutes, "kind": s.kind,
    } for s in summary.sources])
    for column in ("last_run", "last_ok", "next_due"):
        table[column] = pd.to_datetime(table[column])
    st.dataframe(table, hide_index=True, column_config={
        "source": st.column_config.TextColumn("Source"),
        "status": st.column_config.TextColumn("Last status"),
        "last_run": st.column_config.DatetimeColumn("Last run (UTC)", format="YYYY-MM-DD HH:mm"),
        "last_ok": st.column_config.DatetimeColumn("Last successful refresh (UTC)", format="YYYY-MM-DD HH:mm"),
        "next_due": st.column_config.DatetimeColumn("Next due (UTC)", format="YYYY-MM-DD HH:mm",
                                                    help="Empty: due now (the source never ran)."),
        "message": st.column_config.TextColumn("Message", width="large"),
        "ttl": st.column_config.NumberColumn("Every (min)"),
        "kind": st.column_config.TextColumn("Kind"),
    }, key="live_sources")


def table(title: str, frame: pd.DataFrame, empty: Callable[[], object], columns: dict[str, object]) -> None:
    """A titled table, or its empty state."""
    st.subheader(title, anchor=False)
    if frame.empty:
        empty()
    else:
        st.dataframe(frame, hide_index=True, column_config=columns)


health = data.health(str(path), data.store_version(path))
table("Last run per source", health["runs"],
      lambda: st.info("No run recorded yet. The store was built before runs were recorded; run `geotech ingest seeds/`."),
      {"last_run": st.column_config.DatetimeColumn("Last run (UTC)", format="YYYY-MM-DD HH:mm"),
       "message": st.column_config.TextColumn("Message", width="large")})
table("Problems recorded during ingest", health["issues"], lambda: st.success("No problem recorded."),
      {"run_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
       "reason": st.column_config.TextColumn("Reason", width="large")})
