"""Imports every model so that the metadata (and Alembic) knows all of netvaerk's tables."""

from .audit.models import AuditEvent  # noqa: F401
from .core.models import HousingArea, Membership, Network, User  # noqa: F401
from .meetings.models import Attendance, Closure, Meeting  # noqa: F401
from .participants.models import Participant, ParticipationPeriod, StatusChange  # noqa: F401
from .stats.models import AreaReference, MonthlyReport, PlanTarget  # noqa: F401
