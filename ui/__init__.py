"""The Streamlit app (``shopagent up`` / ``streamlit run ui/app.py``): presentation over ``shopagent.services``."""
