"""Relations: who cooperates with, restricts or competes with whom, on the filtered events."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters

st.title("Relations")
st.caption("Country pairs stated in the events: cooperation (blue), restriction (vermillion, source restricts target), "
           "competition (orange). Edge width grows with the number of events.")
path = str(data.store_path())
pairs = data.relation_pairs(path, data.store_version(data.store_path()), filters.current())
if pairs.empty:
    st.info("No relation between countries in the events that match these filters.", icon=":material/hub:")
    st.stop()
st.plotly_chart(charts.network_figure(pairs, filters.country_label), theme="streamlit", key="network_chart")
table = pairs.copy()
table["source"] = table["source"].map(filters.country_label)
table["target"] = table["target"].map(filters.country_label)
st.dataframe(table, hide_index=True, column_config={"events": st.column_config.NumberColumn("Events")})
