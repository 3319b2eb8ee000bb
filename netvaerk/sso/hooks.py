"""What single sign-on adds to the shared registry: the labels of its audit actions."""

from flask_babel import lazy_gettext as _l

from ..core.registry import Registry


def register(registry: Registry) -> None:
    """Declare the audit actions of sign-in through the intranet."""
    registry.audit_action("sso.link", _l("Account linked to the intranet"))
    registry.audit_action(
        "sso.account_created", _l("Account created at sign-in through the intranet")
    )
