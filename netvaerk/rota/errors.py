"""The rota's own user error."""

from ..core.errors import UserError


class RotaError(UserError):
    """A rota rule stops the change; the message is a translated sentence for the user."""
