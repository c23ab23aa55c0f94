"""Streamlit helpers. Only this package, app.py and app_pages/ import streamlit.

Layout: modules directly in sprintsync/ui/ are shared (by app.py or by two pages or more);
sprintsync/ui/parts/<page>.py (and parts/<page>_<what>.py) hold the widgets of one page,
imported only by that page's script in app_pages/. See docs/ARCHITECTURE.md.
"""
