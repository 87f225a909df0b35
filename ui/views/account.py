"""Sign in / sign out (``streamlit-authenticator``, hashed credentials in the shop's sign-in file)."""

from __future__ import annotations

import streamlit as st

from ui.auth import authenticator, is_demo, sign_out, viewer
from ui.lib import toolbox

settings = toolbox().settings
who = viewer(settings)

if who.kind == "anonymous":
    st.title("Sign in")
    st.caption("Shoppers sign in for personal picks and their conversations; the shop's owner for the shop's pages.")
    if is_demo(settings):
        st.info("Demo shop: try the demo accounts **ava** / `ava-demo` or **ben** / `ben-demo` (shoppers), "
                "**owner** / `owner-demo` (the shop's owner).", icon=":material/science:")
    try:
        authenticator(settings).login(location="main", key="sign-in")
    except Exception as exc:  # noqa: BLE001 - the library raises on bad input; one readable line
        st.error(str(exc).splitlines()[0] if str(exc) else "could not sign in")
    if st.session_state.get("authentication_status") is False:
        st.error("Wrong username or password.")
    elif st.session_state.get("authentication_status"):
        st.rerun()  # the app draws the signed-in pages (and keeps the sign-in cookie)
else:
    st.title("Account")
    st.write(f"Signed in as **{who.name}**" + (" (the shop's owner)" if who.is_owner else ""))
    if st.button("Sign out", key="sign-out"):
        sign_out()
        st.rerun()  # the app draws the anonymous pages (and drops the sign-in cookie)
