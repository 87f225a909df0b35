"""Who may listen where, and who is calling: secure by default for the tool API and the MCP server.

- ``check_listen``: a non-loopback address needs ``SHOPAGENT_API_TOKEN`` unless ``--insecure`` was given on
  purpose (then a warning is logged at every start and shopper-specific calls are refused).
- ``identify``: the caller behind a bearer token: the shop's own token (``SHOPAGENT_API_TOKEN``, allowed every
  shopper), a shopper token (``SHOPAGENT_API_USER_TOKENS``, allowed one shopper), or the open loopback server.
- ``BearerGuard``: the same token check as ASGI middleware, for the MCP server's HTTP transports.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import secrets
from typing import Literal

from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send

from core.config import Settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1); every other address is reachable."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def check_listen(settings: Settings, host: str, insecure: bool, what: str) -> None:
    """Refuse to listen on a reachable address without a token (unless ``insecure``, which is logged)."""
    if settings.api_token or is_loopback(host):
        return
    if not insecure:
        raise ShopagentError(f"refusing to serve {what} on {host} without a token: set SHOPAGENT_API_TOKEN "
                             "(clients send `Authorization: Bearer <token>`), listen on 127.0.0.1, or pass "
                             "--insecure to accept everyone")
    log.warning("INSECURE: %s listens on %s with no token (--insecure): anyone who can reach it may call it; "
                "shopper-specific calls are refused", what, host)


class Caller(BaseModel):
    """Who sent a request: ``shop`` (the shop's token: any shopper), ``shopper`` (one shopper's token), ``open``
    (a loopback server with no token configured) or ``insecure`` (no token, listening anywhere on purpose)."""

    kind: Literal["shop", "shopper", "open", "insecure"]
    user_id: str | None = None  # the shopper a shopper token is allowed
    token_id: str = ""  # a short digest of the token (never the token): what a shop-token thread is bound to

    def may_act_for(self, user_id: str | None) -> bool:
        """Whether this caller may read or act on ``user_id``'s data (recommendations, history)."""
        if user_id is None or self.kind in ("shop", "open"):
            return True
        return self.kind == "shopper" and self.user_id == user_id

    def owner(self, user_id: str | None) -> str:
        """The key a conversation started by this caller (for ``user_id``) is bound to."""
        if self.kind == "shopper":
            return f"user:{self.user_id}"
        if user_id:
            return f"user:{user_id}"
        return f"token:{self.token_id}" if self.token_id else self.kind


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def identify(settings: Settings, presented: str | None) -> Caller | None:
    """The caller behind ``presented`` (a bearer token or None); None when a token is required and it is not one."""
    shop, shoppers = settings.api_token, settings.api_user_tokens
    if not shop and not shoppers:
        return Caller(kind="insecure" if settings.api_insecure else "open")
    if presented is None:
        return None
    if shop and secrets.compare_digest(presented.encode(), shop.encode()):
        return Caller(kind="shop", token_id=_digest(presented))
    for token, user_id in shoppers.items():
        if secrets.compare_digest(presented.encode(), token.encode()):
            return Caller(kind="shopper", user_id=user_id, token_id=_digest(presented))
    return None


UNAUTHORIZED = "missing or wrong bearer token: send `Authorization: Bearer $SHOPAGENT_API_TOKEN`"


class BearerGuard:
    """ASGI middleware: every HTTP request needs ``Authorization: Bearer <token>``: the shop's token, or with
    ``shoppers`` also a shopper's (the MCP server takes only the shop's: its tools take any ``user_id``)."""

    def __init__(self, app: ASGIApp, settings: Settings, shoppers: bool = False) -> None:
        self.app = app
        self.settings = settings
        self.shoppers = shoppers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers", ())).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = header.partition(" ")
        presented = token.strip() if scheme.lower() == "bearer" and token.strip() else None
        caller = identify(self.settings, presented)
        if caller is None or (caller.kind == "shopper" and not self.shoppers):
            body = json.dumps({"error": {"type": "unauthorized", "message": UNAUTHORIZED, "detail": None}})
            await send({"type": "http.response.start", "status": 401,
                        "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]})
            await send({"type": "http.response.body", "body": body.encode()})
            return
        await self.app(scope, receive, send)
