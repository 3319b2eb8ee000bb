"""The activities' own user error."""

from ..core.errors import UserError


class ActivityProblem(UserError):
    """A rule about activities refused the change: a translated sentence and its field."""
