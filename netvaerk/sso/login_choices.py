"""What netvaerk's login and logout pages need to know about single sign-on."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, url_for

from . import oidc
from .host import shares_login


def choices() -> dict:
    """The login page's options: the password form and/or "Log in with <intranet>"."""
    return {
        "password_login": bool(current_app.config["NETVAERK_PASSWORD_LOGIN"]),
        "sso_login_url": (
            url_for("netvaerk.sso.login", next=request.args.get("next") or None)
            if oidc.enabled()
            else None
        ),
        "sso_name": oidc.provider_name() if oidc.enabled() else None,
    }


def host_login_redirect():
    """Mounted in a host with its own login: send people there (or say why the host's user
    has no access), instead of showing netvaerk's form."""
    if not shares_login():
        return None
    refused = g.get("netvaerk_sign_in_refused")
    if refused is not None:
        return render_template(
            "netvaerk/errors/error.html", code=403, title=refused.message, text="", reference=None
        ), 403
    if not current_app.login_manager.login_view:
        return current_app.login_manager.unauthorized()
    host_view = current_app.login_manager.login_view
    return redirect(url_for(host_view, next=request.args.get("next") or None))


def after_logout(old_session: dict) -> str | None:
    """Where netvaerk's logout goes: the page offering the provider's end-session, if any."""
    from .views import logout_target

    return logout_target(old_session)
