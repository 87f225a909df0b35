"""Who is looking: an anonymous visitor, a signed-in shopper, or the shop's owner (``streamlit-authenticator``).

Credentials are hashed in a YAML file the owner edits (``SHOPAGENT_AUTH_CONFIG``, default ``<data_dir>/auth.yaml``;
without one, the demo shop's labelled demo accounts in ``ui/demo_auth.yaml``). Nothing lets a visitor pick who
they are: a shopper is whoever signed in, an anonymous visitor is their own browser (a random id in a cookie).
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path
from typing import Any, Literal

import streamlit as st
import yaml
from pydantic import BaseModel

from core.config import Settings

DEMO_CONFIG = Path(__file__).resolve().parent / "demo_auth.yaml"
ANON_COOKIE = "shopagent_visitor"
OVERRIDE_KEY = "viewer_override"  # tests put a Viewer here (session state) to run a page as someone


class Viewer(BaseModel):
    """The person in front of the screen."""

    kind: Literal["anonymous", "shopper", "owner"]
    name: str = ""
    username: str | None = None
    shopper_id: str | None = None  # the catalog's id of a signed-in shopper (their purchases)
    key: str  # what their conversations are bound to

    @property
    def is_owner(self) -> bool:
        return self.kind == "owner"


def config_path(settings: Settings) -> Path:
    if settings.auth_config is not None:
        return Path(settings.auth_config)
    own = Path(settings.data_dir) / "auth.yaml"
    return own if own.exists() else DEMO_CONFIG


def load_config(settings: Settings) -> dict[str, Any]:
    path = config_path(settings)
    try:
        config = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RuntimeError(f"cannot read the sign-in file {path}: {exc} (fix it or unset SHOPAGENT_AUTH_CONFIG)")
    cookie = config.setdefault("cookie", {})
    if not cookie.get("key"):
        cookie["key"] = _cookie_key(Path(settings.data_dir))
    return config


def _cookie_key(data_dir: Path) -> str:
    """A random signing key for the sign-in cookie, made once per data directory and kept there."""
    path = data_dir / ".app_cookie_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def authenticator(settings: Settings) -> Any:
    """This session's ``stauth.Authenticate`` (made once per session: it owns the cookie component)."""
    import streamlit_authenticator as stauth

    if "_authenticator" not in st.session_state:
        config = load_config(settings)
        st.session_state["_auth_config"] = config
        st.session_state["_authenticator"] = stauth.Authenticate(
            config["credentials"], config["cookie"].get("name", "shopagent_auth"), config["cookie"]["key"],
            float(config["cookie"].get("expiry_days", 7)), auto_hash=False)
    return st.session_state["_authenticator"]


def is_demo(settings: Settings) -> bool:
    return bool(st.session_state.get("_auth_config", load_config(settings)).get("demo"))


def viewer(settings: Settings) -> Viewer:
    """The signed-in shopper or owner (from the session or its cookie), else this browser's anonymous visitor."""
    injected = st.session_state.get(OVERRIDE_KEY)
    if injected is not None:
        return injected
    auth = authenticator(settings)
    auth.login(location="unrendered")  # restores a session from the sign-in cookie, draws nothing
    username = st.session_state.get("username") if st.session_state.get("authentication_status") else None
    if username:
        entry = st.session_state["_auth_config"]["credentials"]["usernames"].get(username, {})
        kind = "owner" if "owner" in (entry.get("roles") or []) else "shopper"
        return Viewer(kind=kind, name=entry.get("name") or username, username=username,
                      shopper_id=entry.get("shopper_id"), key=f"{kind}:{username}")
    return Viewer(kind="anonymous", name="", key=f"visitor:{visitor_id()}")


def visitor_id() -> str:
    """This browser's anonymous id: kept in a cookie, so a reload is the same visitor (and only this browser)."""
    if "_visitor" not in st.session_state:
        sent = st.context.cookies.get(ANON_COOKIE, "")
        st.session_state["_visitor"] = sent if len(sent) == 32 and sent.isalnum() else uuid.uuid4().hex
    vid = st.session_state["_visitor"]
    if st.context.cookies.get(ANON_COOKIE) != vid and not st.session_state.get("_visitor_set"):
        st.session_state["_visitor_set"] = True
        # a same-origin component iframe sets the cookie for the app's origin (Strict: never sent cross-site)
        st.components.v1.html(f"<script>document.cookie = '{ANON_COOKIE}={vid}; path=/; max-age=31536000; "
                              "SameSite=Strict';</script>", height=0)
    return vid


def require_owner(settings: Settings) -> Viewer:
    """Stop the page unless the owner is signed in."""
    who = viewer(settings)
    if not who.is_owner:
        st.error("This page is for the shop's owner. Sign in with the owner's account to open it.", icon="🔒")
        st.stop()
    return who
