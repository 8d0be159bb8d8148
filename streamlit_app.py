"""GeoTech Radar entry point: `streamlit run streamlit_app.py` (locally and on Community Cloud).

Streamlit finds the `st.App` below and serves, from one process, the dashboard (the router script
`router.py`: page config, shared URL-bound filters, navigation) and the read-only HTTP routes beside
it: `/api/events`, `/api/events.csv`, `/api/stats` and `/feed.atom` (see `dashboard/server.py`).
"""

import streamlit as st

from dashboard.server import routes

app = st.App("router.py", routes=routes())
