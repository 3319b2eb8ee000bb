"""Transitional: the rota's services, split by subject into `chores`, `generation`,
`reading`, `changes` and `privacy`, are reachable here under their old names. New code imports
the module of its subject."""

# ruff: noqa: F401
from ..core.dates import week_start_of
from .changes import (
    _log,
    _move_assignment,
    reassign,
    release_chores_of,
    set_done,
    swap,
    swap_candidates,
)
from .chores import (
    activate_chore,
    deactivate_chore,
    future_assignment_count,
    list_chores,
    save_chore,
)
from .errors import (
    RotaError,
)
from .generation import (
    MAX_PERIOD_DAYS,
    GenerationOutcome,
    expected_by_meeting,
    generate_rota,
    has_started,
    history_before,
    meeting_start,
    period_meetings,
)
from .privacy import (
    erase_participant,
    export_participant,
)
from .reading import (
    GRACE,
    MeetingRotaRow,
    WeekRota,
    assignment_is_open,
    meeting_changes,
    meeting_rota,
    participant_overview,
    task_rows,
    tasks_of,
    week_rota,
)
