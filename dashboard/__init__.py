"""The Streamlit dashboard: pages, pure chart builders, and the one module that caches store queries."""
