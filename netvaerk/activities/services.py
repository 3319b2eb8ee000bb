"""Transitional: the activities' services, split by subject into `planning`, `signups`,
`hours`, `invitations` and `feeds`, are reachable here under their old names. New code imports
the module of its subject."""

# ruff: noqa: F401
from .errors import (
    ActivityProblem,
)
from .feeds import (
    calendar_bytes,
    feed_for_token,
    has_feed,
    renew_feed,
)
from .hours import (
    activities_held,
    confirm_hours,
    hours_by_facilitator,
    hours_by_type,
    mark_not_held,
    month_bounds,
)
from .invitations import (
    accept_invitation,
    create_invitation,
    existing_account,
    find_invitation,
    invitation_problem,
    open_invitations,
    revoke_invitation,
    token_hash,
)
from .planning import (
    DEFAULT_TYPES,
    WISH_STATUSES,
    ActivityInput,
    activities_on,
    activity_types,
    add_default_types,
    add_wish,
    bookable_for,
    cancel_activity,
    coordinator_emails,
    facilitators,
    group_by_week,
    is_bookable,
    may_edit,
    needing_someone,
    programme,
    save_activity,
    save_type,
    set_wish_status,
    times_on,
    to_confirm,
    user_names,
    wishes,
)
from .signups import (
    Withdrawal,
    acknowledge,
    can_run_activities,
    free_seats,
    is_late,
    late_cancellations,
    leave_waitlist,
    notice_hours,
    promote_from_waitlist,
    release_seat,
    set_notice_hours,
    sign_up,
    withdraw,
)
