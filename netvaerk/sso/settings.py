"""The single sign-on settings, their defaults and how environment strings are read."""

from __future__ import annotations

import json

DEFAULTS = {
    # OpenID Connect: off while NETVAERK_OIDC_ISSUER is empty.
    "NETVAERK_OIDC_ISSUER": "",
    "NETVAERK_OIDC_CLIENT_ID": "",
    "NETVAERK_OIDC_CLIENT_SECRET": "",
    "NETVAERK_OIDC_SCOPES": "openid email profile groups",
    # Shown on the button: "Log in with <name>".
    "NETVAERK_OIDC_NAME": "",
    # The claim holding the user's groups (Entra ID: "groups" or "roles").
    "NETVAERK_OIDC_GROUPS_CLAIM": "groups",
    # Group -> "network name:role",
    # e.g. {"netvaerk-hedemarken-coordinator": "Hedemarken:coordinator"}.
    # A dict, or the same as JSON in the environment. Used for the proxy header's groups too.
    "NETVAERK_SSO_GROUP_ROLES": {},
    # Groups starting with this prefix are meant for netvaerk: one missing from the mapping is
    # refused rather than silently ignored.
    "NETVAERK_SSO_GROUP_PREFIX": "netvaerk-",
    # False: only single sign-on; the password form is neither shown nor accepted.
    "NETVAERK_PASSWORD_LOGIN": True,
    # Reverse-proxy login (REMOTE_USER style): off while the header is empty; accepted only
    # from the listed proxy addresses or networks (comma separated, e.g. "10.0.0.5,10.1.0.0/16").
    "NETVAERK_PROXY_USER_HEADER": "",
    "NETVAERK_PROXY_EMAIL_HEADER": "",
    "NETVAERK_PROXY_NAME_HEADER": "",
    "NETVAERK_PROXY_GROUPS_HEADER": "",
    "NETVAERK_PROXY_ADDRESSES": "",
    # Mounted in a host with its own Flask-Login: a function host_user -> dict with
    # "subject", "email", "name" and optionally "groups"; None reads get_id(), .email, .name.
    "NETVAERK_HOST_USER": None,
}

ROLE_RANK = {"coordinator": 4, "facilitator": 3, "steering": 2, "kiosk": 1}


def apply_defaults(config) -> None:
    """Fill in the defaults and turn environment strings into their types."""
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)
    if isinstance(config["NETVAERK_SSO_GROUP_ROLES"], str):
        text = config["NETVAERK_SSO_GROUP_ROLES"].strip()
        config["NETVAERK_SSO_GROUP_ROLES"] = json.loads(text) if text else {}
    if isinstance(config["NETVAERK_PASSWORD_LOGIN"], str):
        text = config["NETVAERK_PASSWORD_LOGIN"].strip().lower()
        config["NETVAERK_PASSWORD_LOGIN"] = text not in ("0", "false", "no", "off")


def group_roles(config) -> dict[str, tuple[str, str]]:
    """The configured mapping as group -> (network name, role); malformed entries raise."""
    mapping = {}
    for group, target in config["NETVAERK_SSO_GROUP_ROLES"].items():
        network, _, role = str(target).rpartition(":")
        if not network or role not in ROLE_RANK:
            raise ValueError(f"NETVAERK_SSO_GROUP_ROLES[{group!r}] must be 'network:role'")
        mapping[group] = (network.strip(), role)
    return mapping
