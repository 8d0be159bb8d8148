"""Relations: who cooperates with, restricts or competes with whom, on the filtered events."""

from __future__ import annotations

import streamlit as st

from core import queries
from core.tagging.lexicon import THEME_IDS
from dashboard import charts, data, filters

st.title("Relations")
st.caption("Country pairs stated in the events: cooperation (blue, solid line), restriction (vermillion, dashed, with an "
           "arrow from the country that restricts to its target), competition (green, dotted, arrow to the target). Edge "
           "width grows with the number of events. Select countries (click a node, or drag a box) to filter by them.")
path = str(data.store_path())
version = data.store_version(data.store_path())
f = filters.current()
pairs = data.relation_pairs(path, version, f)
if pairs.empty:
    st.info("No relation between countries in the events that match these filters.", icon=":material/hub:")
    st.stop()


NETWORK_EDGES = 60  # more edges than this make a hairball; the table below lists every pair
if len(pairs) > NETWORK_EDGES:
    st.caption(f"The network draws the {NETWORK_EDGES} strongest of {len(pairs):,} pairs and relation types; "
               "the table below lists them all.")
st.plotly_chart(charts.network_figure(pairs.head(NETWORK_EDGES), filters.country_label), theme="streamlit", key="network_chart",
                on_select=lambda: filters.narrow_from_chart("network_chart", "country"), selection_mode=("points", "box"))

st.subheader("A pair of countries over time", anchor=False)
# One key per unordered pair, strongest first; the choice goes into the URL (pair=CN-US).
totals = queries.pair_totals(pairs)
keys = list(totals)


def pair_label(key: str) -> str:
    a, b = key.split("-", 1)
    return f"{filters.country_label(a)} – {filters.country_label(b)} ({totals.get(key, 0)} events)"


# No format_func: a bound selectbox writes the displayed text into the URL, so the options are the
# URL values (pair=CN-US); the names and counts are in the help and the chart title.
pair = st.selectbox("Pair", keys, key="pair", bind="query-params",
                    help="Pairs (ISO codes) with stated relations under the current filters, most events first:  \n"
                         + "  \n".join(f"`{k}` {pair_label(k)}" for k in keys[:30]))
if pair:
    a, b = pair.split("-", 1)
    period = st.segmented_control("Group by", ["quarter", "year"], default="year", key="pair_period",
                                  bind="query-params") or "year"
    over_time = data.pair_themes(path, version, f, a, b, period)
    st.plotly_chart(charts.timeline_figure(over_time, filters.theme_label, list(THEME_IDS),
                                           title=f"{filters.country_label(a)} – {filters.country_label(b)}: events by theme"),
                    theme="streamlit", key="pair_chart")
    mine = queries.pair_rows(pairs, a, b)
    st.caption(" · ".join(f"{filters.country_label(r.source)} {'↔' if r.type == 'cooperation' else '→'} "
                          f"{filters.country_label(r.target)}: {r.type}, {r.events} events" for r in mine.itertuples()))

st.subheader("All pairs", anchor=False)
table = pairs.copy()
table["source"] = table["source"].map(filters.country_label)
table["target"] = table["target"].map(filters.country_label)
st.dataframe(table, hide_index=True, column_config={"source": "Source", "target": "Target", "type": "Relation",
                                                   "events": st.column_config.NumberColumn("Events")})
