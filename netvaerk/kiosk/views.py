"""The kiosk account's only pages: the check-in grid, the code step and the confirmation.

A tap answers with the confirmation itself, in one request: the database records a check-in
once however often it is sent, and the page puts its own URL (the confirmation's) in the
tablet's history, so "reload", "back" and "forward" are plain GETs that never ask to send a
form again. The confirmation lives at that URL for CONFIRMATION_SECONDS, then it leads back to
the names. The code step is a page of its own, reached by a redirect.
"""

from datetime import timedelta
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _, force_locale, get_locale

from .. import timeutil
from ..core.permissions import get_in_network, kiosk_allowed, roles_required
from ..meetings import offline
from ..meetings import services as meetings
from ..participants import services as participants
from ..participants.models import Participant
from .forms import KioskCodeForm
from .services import (
    checked_in_time,
    confirmation_data,
    confirmation_is_fresh,
    grid_labels,
    resident_and_meeting,
    resident_and_meetings,
    undo_seconds_left,
)

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
STATIC = Path(__file__).resolve().parent.parent / "static"

DONE_KEY = "netvaerk_kiosk_done"
CODE_ERROR_KEY = "netvaerk_kiosk_code_error"
# How a tablet is told apart: by its own session. The kiosk account logs in on each tablet,
# so each has a signed session cookie of its own, and a tap is remembered (DONE_KEY) only in
# the session of the tablet that made it; "That wasn't me" needs that memory, so another
# tablet (another session) cannot undo it, and the database's window decides the rest.


def _closed(status_code: int = 200, tried: bool = False):
    """No meeting open now: say when the next one is."""
    now = timeutil.local_now()
    return render_template(
        "netvaerk/kiosk/closed.html",
        next_meeting=meetings.next_meeting(g.network.id, now),
        today=now.date(),
        tried=tried,
    ), status_code


def _active_participant(participant_id: int) -> Participant:
    """The network's active resident, or 404."""
    participant = get_in_network(Participant, participant_id)
    _require_active(participant)
    return participant


def _require_active(participant: Participant | None) -> None:
    """404 unless the network's resident is active."""
    if participant is None or participant.status != "active":
        abort(404)


def _needs_code(participant: Participant) -> bool:
    return bool(g.network.checkin_code_required and participant.checkin_code_hash)


@bp.route("/")
@kiosk_allowed
@roles_required("kiosk")
def index():
    """Today's meeting and a big button per active participant; outside hours, the next one."""
    meeting = meetings.open_meeting(g.network.id, timeutil.local_now())
    if meeting is None:
        return _closed()
    people = participants.active_participants(g.network.id)
    return render_template(
        "netvaerk/kiosk/index.html",
        meeting=meeting,
        participants=people,
        labels=grid_labels(people),
        checked_in=meetings.checked_in_ids(meeting),
    )


@bp.route("/check-in/<id:participant_id>", methods=["POST"])
@kiosk_allowed
@roles_required("kiosk")
def check_in(participant_id: int):
    """Check a resident in (after the code, when the network asks for one) and confirm it."""
    now = timeutil.local_now()
    participant, todays = resident_and_meetings(g.network.id, participant_id, now.date())
    _require_active(participant)
    meeting = meetings.open_among(todays, now)
    if meeting is None:
        return _closed(tried=True)
    if _needs_code(participant):
        error = _code_problem(participant)
        if error is not None:
            if error:
                session[CODE_ERROR_KEY] = error
            return redirect(url_for(".code", participant_id=participant.id), 303)
    done = _record_tap(participant, meeting)
    return _confirmation_page(participant, meeting, done)


def _record_tap(participant: Participant, meeting) -> dict:
    """Check the resident in and remember the tap in this tablet's session."""
    now_utc = timeutil.utcnow()
    attendance_id = meetings.check_in(meeting, participant, now_utc)
    done = session[DONE_KEY] = {
        "participant": participant.id,
        "meeting": meeting.id,
        # The record this tap made or changed, and its exact time ("That wasn't me" removes
        # that record and no later one); None: the tap changed nothing.
        "attendance": attendance_id,
        "checked_in": now_utc.isoformat(),
        "already": attendance_id is None,
        "at": now_utc.timestamp(),
        # The confirmation speaks the resident's own language, else the one on the screen (a
        # tapped choice or the browser's); the next resident starts again without the choice.
        "locale": participant.preferred_locale or str(get_locale()),
    }
    session.pop("lang", None)
    return done


@bp.route("/api/tap/<id:participant_id>", methods=["POST"])
@kiosk_allowed
@roles_required("kiosk")
def api_tap(participant_id: int):
    """A tap from the cached grid (kiosk.js): the check-in, answered with what the
    confirmation shows, as data (no page rendered). The CSRF token comes in X-CSRFToken."""
    now = timeutil.local_now()
    participant, todays = resident_and_meetings(g.network.id, participant_id, now.date())
    _require_active(participant)
    meeting = meetings.open_among(todays, now)
    if meeting is None:
        return jsonify(
            status="closed", message=_("Check-in is closed, so nothing was recorded.")
        ), 409
    if _needs_code(participant):
        return jsonify(status="code", url=url_for(".code", participant_id=participant.id))
    done = _record_tap(participant, meeting)
    data = confirmation_data(participant, meeting, done, timeutil.utcnow())
    if data["undo"]:
        data["undo"]["url"] = url_for(".undo", participant_id=participant.id)
    return jsonify(data)


@bp.route("/api/offline-tap", methods=["POST"])
@kiosk_allowed
@roles_required("kiosk")
def offline_tap():
    """A tap the tablet stored while offline, sent later: recorded once by its key (see
    meetings.offline). Refused taps answer 422 with the reason and change nothing."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error=_("The tap could not be read.")), 422
    participant_id = body.get("participant")
    participant = None
    if isinstance(participant_id, int) and not isinstance(participant_id, bool):
        participant = resident_and_meetings(g.network.id, participant_id, None)[0]
    try:
        outcome = offline.record_offline_tap(
            g.network.id,
            participant,
            offline.valid_key(body.get("key")),
            offline.tap_time(body.get("time")),
            timeutil.local_now(),
            timeutil.utcnow(),
            timedelta(minutes=current_app.config["NETVAERK_KIOSK_OFFLINE_GRACE_MINUTES"]),
            lambda: _offline_code_ok(participant, body.get("code")),
        )
    except offline.TapRefused as refused:
        return jsonify(error=str(refused.message)), 422
    return jsonify(outcome=outcome.outcome, replayed=outcome.replayed)


def _offline_code_ok(participant: Participant, code) -> bool:
    """True when the resident needs no code, or the code typed offline is right."""
    if not _needs_code(participant):
        return True
    now_utc = timeutil.utcnow()
    if not isinstance(code, str) or not code.isdigit() or len(code) != 4:
        return False
    if participants.code_locked(participant, now_utc):
        return False
    return participants.verify_code(participant, code, now_utc)


@bp.route("/sw.js")
@kiosk_allowed
@roles_required("kiosk")
def service_worker():
    """The kiosk's service worker, served under /kiosk/ so that its scope is the kiosk."""
    script = (STATIC / "kiosk-sw.js").read_text(encoding="utf-8")
    response = Response(script, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = url_for(".index")
    return response


def _confirmation_page(participant: Participant, meeting, done: dict):
    """The confirmation, in the resident's language, at the URL a reload keeps showing it."""
    with force_locale(done.get("locale") or "da"):
        return render_template(
            "netvaerk/kiosk/confirmation.html",
            participant=participant,
            meeting=meeting,
            already=done["already"],
            here=url_for(".confirmation", participant_id=participant.id),
            undo_seconds=undo_seconds_left(done, timeutil.utcnow()),
        )


def _code_problem(participant: Participant) -> str | None:
    """None when the typed code is right; "" when none was typed yet; else the error to show."""
    now_utc = timeutil.utcnow()
    form = KioskCodeForm()
    if participants.code_locked(participant, now_utc):
        return _("Too many wrong codes. Ask a member of staff to check you in.")
    if "code" not in request.form:
        return ""
    if not form.validate_on_submit():
        return " ".join(str(e) for e in form.code.errors) or _("Type your four-digit code.")
    if not participants.verify_code(participant, form.code.data, now_utc):
        if participants.code_locked(participant, now_utc):
            return _("Too many wrong codes. Ask a member of staff to check you in.")
        return _("That code is not right. Try again.")
    return None


@bp.route("/code/<id:participant_id>")
@kiosk_allowed
@roles_required("kiosk")
def code(participant_id: int):
    """The code step of a resident who tapped their name (and the error of the last try)."""
    participant = _active_participant(participant_id)
    if not _needs_code(participant):
        return redirect(url_for(".index"))
    form = KioskCodeForm(formdata=None)
    return render_template(
        "netvaerk/kiosk/code.html",
        participant=participant,
        form=form,
        error=session.pop(CODE_ERROR_KEY, None),
    )


@bp.route("/checked-in/<id:participant_id>")
@kiosk_allowed
@roles_required("kiosk")
def confirmation(participant_id: int):
    """The confirmation of a check-in just made; later (or for anyone else) the names."""
    done = session.get(DONE_KEY)
    meeting_id = done.get("meeting") if isinstance(done, dict) else None
    participant, meeting = resident_and_meeting(g.network.id, participant_id, meeting_id)
    _require_active(participant)
    if not confirmation_is_fresh(done, participant.id, timeutil.utcnow()):
        return redirect(url_for(".index"))
    if meeting is None:
        abort(404)
    return _confirmation_page(participant, meeting, done)


@bp.route("/checked-in/<id:participant_id>/undo", methods=["POST"])
@kiosk_allowed
@roles_required("kiosk")
def undo(participant_id: int):
    """ "That wasn't me": remove the check-in this tablet just made, once, then the names.

    Only the tap this tablet's session confirmed, within the server's window (see
    meetings.undo_check_in for which records are never removed); a second undo, one from
    another tablet or a late one changes nothing.
    """
    if get_in_network(Participant, participant_id) is None:
        abort(404)  # like every kiosk page: another network's or an unknown resident
    done = session.pop(DONE_KEY, None)
    checked_in = checked_in_time(done)
    undoable = (
        confirmation_is_fresh(done, participant_id, timeutil.utcnow())
        and not done.get("already")
        and isinstance(done.get("attendance"), int)
        and isinstance(done.get("meeting"), int)
        and checked_in is not None
    )
    locale = done.get("locale") if undoable else None
    with force_locale(locale if locale in ("da", "en") else str(get_locale())):
        outcome = "none"
        if undoable:
            outcome = meetings.undo_check_in(
                g.network.id,
                done["attendance"],
                participant_id,
                done["meeting"],
                checked_in,
                timeutil.utcnow(),
            )
        if outcome in ("removed", "gone"):
            flash(_("Your check-in is removed. Tap your own name."), "success")
        else:
            flash(_("Nothing was removed. Ask a member of staff to correct the check-in."), "info")
    return redirect(url_for(".index"), 303)
