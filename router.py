"""GeoTech Radar entry point and router: page config, shared URL-bound filters, navigation.

Run with `streamlit run streamlit_app.py`. Streamlit puts this file's folder on sys.path,
so `core` and `dashboard` import with no install step (as on Community Cloud).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import GeoTechError
from dashboard import ask, data, filters, freshness, refresh

# A local icon: a Material one would make every viewer's browser fetch it from a font CDN.
st.set_page_config(page_title="GeoTech Radar", page_icon=str(Path(__file__).parent / "static" / "icon.png"), layout="wide")

path = data.store_path()
try:
    data.ensure_store(str(path))
    opts = data.options(str(path), data.store_version(path))
except GeoTechError as exc:
    st.error(f"The event store could not be opened: {exc}. Check GEOTECH_STORE (or GEOTECH_LAKE) or run `geotech ingest seeds/`.")
    st.stop()

pages = [
    st.Page("dashboard/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("dashboard/events.py", title="Events", icon=":material/table_rows:", url_path="events"),
    st.Page("dashboard/relations.py", title="Relations", icon=":material/hub:", url_path="relations"),
    st.Page("dashboard/country.py", title="Country profile", icon=":material/flag:", url_path="country"),
    st.Page("dashboard/map.py", title="Map", icon=":material/public:", url_path="map"),
    st.Page("dashboard/upcoming.py", title="Upcoming", icon=":material/event_upcoming:", url_path="upcoming"),
    st.Page("dashboard/instruments.py", title="Instruments", icon=":material/gavel:", url_path="instruments"),
    st.Page("dashboard/health.py", title="Data health", icon=":material/monitor_heart:", url_path="health"),
]
page = st.navigation(pages, position="top")
# the page is known before the filters: a page switch keeps them (see filters.take_url)
left_out = filters.ignored_values(opts)  # read before the widgets, which drop bad values without a word
st.session_state["_options"] = opts  # what the question box may set
ask.render()
st.session_state["_filters"] = filters.render(opts, page.url_path)
refresh.status_caption(path)  # starts the background refresh (once per process) and says where the data comes from
freshness.sidebar(path)  # how old the newest event is, and a plain warning when the data is old

filters.notice(left_out)
filters.share_link(opts, [p.url_path for p in pages])  # before the page, so that an empty state (a page that stops early) keeps it too
try:
    page.run()
except GeoTechError as exc:  # one boundary for the pages: a clear message, no traceback
    st.error(f"{exc}. If another program is writing to the store, wait for it to finish and reload.")
