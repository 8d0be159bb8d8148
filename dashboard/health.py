"""Data health: per source the last run, counts, warnings and errors recorded during ingest."""

from __future__ import annotations

import streamlit as st

from dashboard import data

st.title("Data health")
st.caption("Every ingest and fetch records a run; problems found in files and feeds are kept in the store.")
path = str(data.store_path())
health = data.health(path, data.store_version(data.store_path()))

runs = health["runs"]
st.subheader("Last run per source", anchor=False)
if runs.empty:
    st.info("No run recorded yet. The store was built before runs were recorded; run `geotech ingest seeds/`.")
else:
    st.dataframe(runs, hide_index=True, column_config={
        "last_run": st.column_config.DatetimeColumn("Last run (UTC)", format="YYYY-MM-DD HH:mm"),
        "message": st.column_config.TextColumn("Message", width="large"),
    })

issues = health["issues"]
st.subheader("Problems recorded during ingest", anchor=False)
if issues.empty:
    st.success("No problem recorded.")
else:
    st.dataframe(issues, hide_index=True, column_config={
        "run_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
        "reason": st.column_config.TextColumn("Reason", width="large"),
    })
