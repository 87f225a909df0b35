"""Who is looking: an anonymous visitor, a signed-in shopper, or the shop's owner (``streamlit-authenticator``).

Credentials are hashed in a YAML file the owner edits (``SHOPAGENT_AUTH_CONFIG``, default ``<data_dir>/auth.yaml``;
without one, the demo shop's labelled demo accounts in ``ui/demo_auth.yaml``). Nothing lets a visitor pick who
they are: a shopper is whoever signed in, an anonymous visitor is their own browser (a random id in a cookie).
"""

from __future__ import annotations

import secrets
import time
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
    """This session's ``stauth.Authenticate``, for the sign-in form and the sign-out button (the account page only).

    Made once per session. Its constructor draws a cookie component whose first value reruns the script; on the
    account page that rerun keeps the page, whereas before ``st.navigation`` it would land every deep link (``/account``,
    ``/?c=...``) on the chat. So no other page makes one: who is signed in is read by :func:`viewer`."""
    import streamlit_authenticator as stauth

    if "_authenticator" not in st.session_state:
        config = _config(settings)
        st.session_state["_authenticator"] = stauth.Authenticate(
            config["credentials"], _cookie_name(config), config["cookie"]["key"], _expiry_days(config),
            auto_hash=False)
    return st.session_state["_authenticator"]


def _config(settings: Settings) -> dict[str, Any]:
    if "_auth_config" not in st.session_state:
        st.session_state["_auth_config"] = load_config(settings)
    return st.session_state["_auth_config"]


def _cookie_name(config: dict[str, Any]) -> str:
    return str(config["cookie"].get("name", "shopagent_auth"))


def _expiry_days(config: dict[str, Any]) -> float:
    return float(config["cookie"].get("expiry_days", 7))


def is_demo(settings: Settings) -> bool:
    return bool(_config(settings).get("demo"))


def _signed_in_username(config: dict[str, Any]) -> str | None:
    """The username signed in in this session (the form on the account page), else the one of a valid sign-in
    cookie (the library's signed token: ``{"username", "exp_date"}``, HS256 with the cookie key), unless this session
    signed out."""
    if st.session_state.get("authentication_status"):
        return st.session_state.get("username")
    if st.session_state.get("logout"):
        return None
    token = _decode(st.context.cookies.get(_cookie_name(config)), config)
    if token is None or token["username"] not in config["credentials"]["usernames"]:
        return None
    return str(token["username"])


def _decode(token: str | None, config: dict[str, Any]) -> dict[str, Any] | None:
    import jwt

    if not token:
        return None
    try:
        claims = jwt.decode(token, config["cookie"]["key"], algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    if "username" not in claims or float(claims.get("exp_date", 0)) <= time.time():
        return None
    return claims


def viewer(settings: Settings) -> Viewer:
    """The signed-in shopper or owner (this session's sign-in or its cookie), else this browser's anonymous
    visitor. Draws nothing (see :func:`keep_cookies`)."""
    injected = st.session_state.get(OVERRIDE_KEY)
    if injected is not None:
        return injected
    config = _config(settings)
    username = _signed_in_username(config)
    if username:
        entry = config["credentials"]["usernames"].get(username, {})
        kind = "owner" if "owner" in (entry.get("roles") or []) else "shopper"
        return Viewer(kind=kind, name=entry.get("name") or username, username=username,
                      shopper_id=entry.get("shopper_id"), key=f"{kind}:{username}")
    return Viewer(kind="anonymous", name="", key=f"visitor:{visitor_id()}")


def sign_out() -> None:
    """End this session's sign-in as the library's own sign-out does (its session keys; ``logout`` also stops a
    sign-in cookie sent with this session's first request from counting); :func:`keep_cookies` then drops the
    cookie."""
    for key in ("name", "username", "authentication_status", "email", "roles"):
        st.session_state[key] = None
    st.session_state["logout"] = True


def visitor_id() -> str:
    """This browser's anonymous id: kept in a cookie, so a reload is the same visitor (and only this browser)."""
    if "_visitor" not in st.session_state:
        sent = st.context.cookies.get(ANON_COOKIE, "")
        st.session_state["_visitor"] = sent if len(sent) == 32 and sent.isalnum() else uuid.uuid4().hex
    return str(st.session_state["_visitor"])


def keep_cookies(settings: Settings, who: Viewer) -> None:
    """Make the browser's cookies match this session: the anonymous visitor's id, the sign-in token after signing in,
    none after signing out. Drawn on every run by the app until the session ends (its cookies stay those of its first
    request), so a rerun right after signing in or out cannot drop it before it ran; ``SameSite=Strict``."""
    if st.session_state.get(OVERRIDE_KEY) is not None:
        return
    config = _config(settings)
    name, script = _cookie_name(config), []
    if who.kind == "anonymous" and st.context.cookies.get(ANON_COOKIE) != visitor_id():
        script.append(f"document.cookie = '{ANON_COOKIE}={visitor_id()}; path=/; max-age=31536000; SameSite=Strict';")
    sent = _decode(st.context.cookies.get(name), config)
    if who.username and (sent is None or sent["username"] != who.username):
        import jwt

        tokens = st.session_state.setdefault("_auth_tokens", {})
        if who.username not in tokens:
            expiry = time.time() + _expiry_days(config) * 86400
            tokens[who.username] = jwt.encode({"username": who.username, "exp_date": expiry},
                                              config["cookie"]["key"], algorithm="HS256")
        script.append(f"document.cookie = '{name}={tokens[who.username]}; path=/; "
                      f"max-age={int(_expiry_days(config) * 86400)}; SameSite=Strict';")
    elif not who.username and st.context.cookies.get(name):
        script.append(f"document.cookie = '{name}=; path=/; max-age=0; SameSite=Strict';")
    if script:
        st.html("<script>" + " ".join(script) + "</script>", unsafe_allow_javascript=True)  # our own values only


def require_owner(settings: Settings) -> Viewer:
    """Stop the page unless the owner is signed in."""
    who = viewer(settings)
    if not who.is_owner:
        st.error("This page is for the shop's owner. Sign in with the owner's account (Sign in, in the menu) to "
                 "open it.", icon=":material/lock:")
        st.stop()
    return who
