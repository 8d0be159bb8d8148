"""Map: events per country on a world map."""

from __future__ import annotations

import pycountry
import streamlit as st

from dashboard import charts, data, filters

st.title("Map")
path = str(data.store_path())
counts = data.country_counts(path, data.store_version(data.store_path()), filters.current())
if not counts:
    st.info("No country in the events that match these filters.", icon=":material/public_off:")
    st.stop()


def iso3(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def from_table(codes: list[str]) -> None:
    filters.narrow("country", [codes[i] for i in st.session_state["map_table"].selection.rows])


st.caption("Click a country (shift-click for several) or select rows in the table to filter every page by them.")
# World outlines from the app's own static folder (relative URL, so it also works under a base path).
st.plotly_chart(charts.map_figure(counts, iso3, filters.country_label), theme="streamlit", key="map_chart",
                on_select=lambda: filters.narrow_from_chart("map_chart", "country"), selection_mode="points",
                config={"topojsonURL": "app/static/topojson/"})
if "EU" in counts:
    st.caption(f"The European Union as a bloc: {counts['EU']} events (not drawn on the map).")
codes = list(counts)
st.dataframe(
    [{"country": filters.country_label(c), "code": c, "events": counts[c]} for c in codes],
    hide_index=True, column_config={"country": "Country", "code": "Code",
                                    "events": st.column_config.ProgressColumn("Events", max_value=max(counts.values()),
                                                                              format="%d")},
    on_select=lambda: from_table(codes), selection_mode="multi-row", key="map_table",
)
