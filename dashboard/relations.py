"""Relations: who cooperates with, restricts or competes with whom, on the filtered events."""

from __future__ import annotations

import dataclasses

import streamlit as st

from core import THEME_IDS, queries, to_params
from dashboard import charts, data, filters

st.title("Relations")
st.caption("Country pairs stated in the events: cooperation (blue, solid line), restriction (vermillion, dashed, with an "
           "arrow from the country that restricts to its target), competition (green, dotted, arrow to the target). Edge "
           "width grows with the number of events. Click an edge's handle (the dot near its middle), or a row of the table "
           "below, to list its events; select countries (click a node, or drag a box) to filter by them.")
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


def on_network() -> None:
    """A click on an edge's handle opens its events; nodes (a click or a box) filter by country."""
    state = st.session_state.get("network_chart")
    points = state.selection.points if state else []
    edges = [p["customdata"] for p in points if len(p.get("customdata") or []) == 3]
    if edges:
        st.session_state["_open_relation"] = tuple(edges[0])
    else:
        filters.narrow("country", [str(p["customdata"][0]) for p in points if len(p.get("customdata") or []) == 1])


def open_relation(source: str, target: str, rtype: str) -> None:
    """The Events page listing the events where `source` acts on `target` this way, under the other filters."""
    view = dataclasses.replace(filters.chosen(f, filters.options()), actors=(source,), targets=(target,), rels=(rtype,))
    st.switch_page("dashboard/events.py", query_params=to_params(view))


st.plotly_chart(charts.network_figure(pairs.head(NETWORK_EDGES), filters.country_label), theme="streamlit", key="network_chart",
                on_select=on_network, selection_mode=("points", "box"))
if picked := st.session_state.pop("_open_relation", None):
    open_relation(*picked)

st.subheader("A pair of countries over time", anchor=False)
# One key per unordered pair, strongest first; the choice goes into the URL (pair=CN-US).
totals = queries.pair_totals(pairs)
keys = list(totals)


def pair_label(key: str) -> str:
    a, b = key.split("-", 1)
    return f"{filters.country_label(a)} – {filters.country_label(b)} ({totals.get(key, 0)} events)"


# Shown by name, kept in the URL as codes (pair=CN-US); it follows the country filter: with
# countries chosen, only their pairs are offered.
chosen = set(f.countries)
offered = [k for k in keys if chosen & set(k.split("-"))] or keys if chosen else keys
pair = filters.url_select("Pair", "pair", offered, pair_label, offered[0],
                          help="Pairs with stated relations under the current filters, most events first.")
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
st.caption("Select a row to list its events.")
table = pairs.copy()
table["source"] = table["source"].map(filters.country_label)
table["target"] = table["target"].map(filters.country_label)
st.dataframe(table, hide_index=True, key="pairs_table", on_select="rerun", selection_mode="single-row",
             column_config={"source": "Source", "target": "Target", "type": "Relation",
                            "events": st.column_config.NumberColumn("Events")})
if rows := st.session_state["pairs_table"].selection.rows:
    row = pairs.iloc[rows[0]]
    open_relation(str(row["source"]), str(row["target"]), str(row["type"]))
