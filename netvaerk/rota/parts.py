"""What the rota shows on other pages: the resident's task after check-in, today's chores
for the facilitator, a participant's chores and the start-page panel."""

from flask import g
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import timeutil
from . import services

STAFF = ("coordinator", "facilitator")


def kiosk_task_rows(participant, meeting, **_ignored):
    """What the confirmation's one statement reads for the resident's task (see `kiosk_task`)."""
    return services.task_rows(participant.id, meeting.id)


def kiosk_task(participant, meeting, rows, **_ignored):
    """ "Your task today: …" after a resident checks in, in the resident's own language."""
    tasks = sorted(row.title for row in rows)
    if not tasks:
        return None
    locale = participant.preferred_locale if participant.preferred_locale in ("da", "en") else None
    if locale:
        with force_locale(locale):
            message = _("Your task today: %(tasks)s", tasks=", ".join(tasks))
    else:
        message = _("Your task today: %(tasks)s", tasks=", ".join(tasks))
    return {"message": message, "lang": locale, "tasks": tasks}


def today_rota(meeting, **_ignored):
    """Today's chores on the facilitator's page: open ones with a one-click re-assign."""
    if g.get("role") not in STAFF:
        return None
    return {
        "meeting": meeting,
        "rows": services.meeting_rota(meeting),
        "started": services.has_started(meeting),
    }


def participant_chores(participant, **_ignored):
    """A participant's coming chores and how many they have done."""
    if g.get("role") not in STAFF:
        return None
    return {"participant": participant, **services.participant_overview(participant.id)}


def rota_panel() -> dict:
    """Today's chores at a glance (open ones first) with links to the rota."""
    today = timeutil.local_today()
    meetings = services.period_meetings(g.network.id, today, today)
    meeting = meetings[0] if meetings else None
    rows = services.meeting_rota(meeting) if meeting else []
    return {
        "meeting": meeting,
        "rows": rows,
        "open_count": sum(1 for r in rows if r.is_open),
        "done_count": sum(1 for r in rows if r.assignment.is_done),
    }
