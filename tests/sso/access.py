"""Access matrix entries of single sign-on (see tests/security/harness.py for the format).

The harness's app has no OpenID provider configured, so the sign-in routes do not exist there
(404); tests/sso/test_oidc.py drives them against a real provider.
"""

from ..security.harness import FORBIDDEN, LOGIN, NOT_FOUND, everyone

ACCESS = {
    "netvaerk.sso.login": everyone(NOT_FOUND, kiosk=FORBIDDEN),
    "netvaerk.sso.callback": everyone(NOT_FOUND, kiosk=FORBIDDEN),
    # Without a provider to log out of, the page after logging out is the login page.
    "netvaerk.sso.logged_out": everyone(LOGIN, kiosk=FORBIDDEN),
}
