"""Login by a reverse proxy's user header (REMOTE_USER style), for intranets that sign people
in at their proxy. Off unless NETVAERK_PROXY_USER_HEADER is set; the header counts only on
connections from the addresses in NETVAERK_PROXY_ADDRESSES, anyone else could send it."""

from __future__ import annotations

import ipaddress

from flask import current_app, flash, request, session
from flask_login import current_user, login_user

from ..core.security import start_session_clock
from ..core.transaction import commit_sign_in
from .accounts import Claims, SignInRefused, sign_in_racing

PROXY_ISSUER = "proxy"
SESSION_KEY = "netvaerk_proxy_user"


def peer_address() -> str:
    """The address of the connection itself (before ProxyFix rewrote it to the visitor's)."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    return original.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR") or ""


def from_listed_proxy(address: str) -> bool:
    """Whether `address` is one of the configured proxies (addresses or networks)."""
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in current_app.config["NETVAERK_PROXY_ADDRESSES"].split(","):
        entry = entry.strip()
        if entry and peer in ipaddress.ip_network(entry, strict=False):
            return True
    return False


def proxy_claims(user_name: str) -> Claims:
    """The person the proxy vouches for, from its headers."""
    config = current_app.config

    def header(key: str) -> str:
        return request.headers.get(config[key], "").strip() if config[key] else ""

    groups_header = config["NETVAERK_PROXY_GROUPS_HEADER"]
    groups = tuple(part.strip() for part in header("NETVAERK_PROXY_GROUPS_HEADER").split(","))
    return Claims(
        issuer=PROXY_ISSUER,
        subject=user_name,
        email=header("NETVAERK_PROXY_EMAIL_HEADER") or (user_name if "@" in user_name else ""),
        name=header("NETVAERK_PROXY_NAME_HEADER"),
        groups=tuple(group for group in groups if group),
        has_groups=bool(groups_header),
    )


def use_proxy_user() -> None:
    """before_request: sign in the user named by a listed proxy's header (once per session)."""
    name = current_app.config["NETVAERK_PROXY_USER_HEADER"]
    user_name = request.headers.get(name, "").strip() if name else ""
    if not user_name:
        return
    if not from_listed_proxy(peer_address()):
        current_app.logger.warning("Ignored %s from unlisted address %s", name, peer_address())
        return
    if session.get(SESSION_KEY) == user_name and current_user.is_authenticated:
        return
    try:
        user = sign_in_racing(proxy_claims(user_name[:255]))
    except SignInRefused as refused:  # refused before anything was written (sign_in)
        flash(str(refused), "error")
        return
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    start_session_clock()
    session[SESSION_KEY] = user_name
    commit_sign_in()
