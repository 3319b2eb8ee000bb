"""OpenID Connect through Authlib: the client of the configured provider, one per app.

Authlib checks state, PKCE (S256) and nonce, and validates the ID token's signature against
the provider's keys, its issuer, audience and expiry; we also refuse a provider whose
discovery document names another issuer than the one configured.
"""

from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app
from flask_babel import _
from joserfc.errors import JoseError

from .accounts import Claims, SignInRefused

EXTENSION_KEY = "netvaerk_oidc"


def enabled(app=None) -> bool:
    """Whether OpenID Connect sign-in is configured."""
    config = (app or current_app).config
    return bool(config.get("NETVAERK_OIDC_ISSUER") and config.get("NETVAERK_OIDC_CLIENT_ID"))


def provider_name() -> str:
    """The name on the button: the configured one, else "the intranet"."""
    return current_app.config.get("NETVAERK_OIDC_NAME") or _("the intranet")


def client() -> FlaskOAuth2App:
    """This app's Authlib client, made on first use from the settings."""
    app = current_app._get_current_object()
    existing = app.extensions.get(EXTENSION_KEY)
    if existing is not None:
        return existing
    config = app.config
    issuer = config["NETVAERK_OIDC_ISSUER"].rstrip("/")
    made = FlaskOAuth2App(
        FlaskIntegration("netvaerk_oidc"),
        "netvaerk_oidc",
        client_id=config["NETVAERK_OIDC_CLIENT_ID"],
        client_secret=config["NETVAERK_OIDC_CLIENT_SECRET"] or None,
        server_metadata_url=issuer + "/.well-known/openid-configuration",
        client_kwargs={"scope": config["NETVAERK_OIDC_SCOPES"], "code_challenge_method": "S256"},
    )
    app.extensions[EXTENSION_KEY] = made
    return made


def checked_client() -> FlaskOAuth2App:
    """The client, once the provider's discovery document names the configured issuer."""
    oauth = client()
    try:
        metadata = oauth.load_server_metadata()
    except Exception as error:  # network or JSON: the provider cannot be reached
        current_app.logger.warning("OpenID discovery failed: %r", error)
        oauth.server_metadata = {}
        raise SignInRefused(
            _("The intranet's login cannot be reached just now. Try again in a moment.")
        ) from error
    configured = current_app.config["NETVAERK_OIDC_ISSUER"].rstrip("/")
    if str(metadata.get("issuer", "")).rstrip("/") != configured:
        current_app.logger.warning(
            "OpenID issuer %r is not the configured %r", metadata.get("issuer"), configured
        )
        oauth.server_metadata = {}
        raise SignInRefused(_("The login service is not the one netvaerk trusts. Nothing changed."))
    return oauth


def claims_from_callback() -> tuple[Claims, str]:
    """Finish the authorization code flow: the validated claims and the raw ID token."""
    oauth = checked_client()
    try:
        token = oauth.authorize_access_token()
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        current_app.logger.warning("OpenID sign-in refused: %r", error)
        raise SignInRefused(
            _("The sign-in through the intranet could not be verified. Nothing changed; try again.")
        ) from error
    userinfo = token.get("userinfo")
    if not userinfo:
        raise SignInRefused(_("The intranet sent no identity. Nothing changed; try again."))
    groups_claim = current_app.config["NETVAERK_OIDC_GROUPS_CLAIM"]
    groups = userinfo.get(groups_claim) or ()
    if isinstance(groups, str):
        groups = (groups,)
    claims = Claims(
        issuer=str(userinfo["iss"]),
        subject=str(userinfo.get("sub") or ""),
        email=str(userinfo.get("email") or ""),
        name=str(userinfo.get("name") or ""),
        groups=tuple(str(group) for group in groups),
        email_verified=userinfo.get("email_verified"),
    )
    return claims, token.get("id_token", "")


def end_session_url(id_token: str, return_to: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None if it has none."""
    try:
        metadata = client().load_server_metadata()
    except Exception:  # the provider is down: netvaerk's own logout is done anyway
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client().create_logout_url(
        post_logout_redirect_uri=return_to,
        id_token_hint=id_token or None,
        client_id=current_app.config["NETVAERK_OIDC_CLIENT_ID"],
    )["url"]
