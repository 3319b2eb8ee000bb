"""Imports every model so that the metadata (and Alembic) knows all of netvaerk's tables."""

from .activities.models import (  # noqa: F401
    Activity,
    ActivityType,
    CalendarFeed,
    Cancellation,
    Invitation,
    SignUp,
    WaitlistEntry,
    Wish,
)
from .audit.models import AuditEvent  # noqa: F401
from .core.models import EndedSession, HousingArea, Membership, Network, User  # noqa: F401
from .core.once import FormReceipt  # noqa: F401
from .evaluations.models import (  # noqa: F401
    AnswerItem,
    AnswerLink,
    EvaluationForm,
    ExitEvaluationStatus,
    FormQuestion,
    FormVersion,
    Submission,
    TabletSession,
)
from .followup.models import (  # noqa: F401
    Commitment,
    Conversation,
    FollowUpSettings,
    Option,
    StatusCheck,
)
from .meetings.models import Attendance, Closure, Meeting  # noqa: F401
from .mypage.models import ResidentLink  # noqa: F401
from .participants.models import Participant, ParticipationPeriod, StatusChange  # noqa: F401
from .reminders.models import ErasureForecast, ReminderSettings, SentReminder  # noqa: F401
from .rota.models import Chore, ChoreAssignment, ChoreChange  # noqa: F401
from .sso.models import Identity, ManagedMembership  # noqa: F401
from .stats.models import AreaReference, MonthlyReport, PlanTarget, RecordKey  # noqa: F401
from .tasks.models import JobRun, OutboxMessage, WorkerHeartbeat  # noqa: F401
from .wheel.models import (  # noqa: F401
    WheelArea,
    WheelConsent,
    WheelPersonalArea,
    WheelScore,
    WheelScoring,
)
