"""Streamlit helpers shared by app.py and the pages. Only this package, app.py and pages/
import streamlit."""
