"""What the evaluations add to other capabilities' pages (registered in `hooks.py`)."""

from __future__ import annotations

from flask import g

from ..participants.models import Participant
from ..timeutil import local_today, utcnow
from . import answers, delivery, personal, versions
from .blueprint import STAFF, locale, participant_url
from .forms import CsrfOnlyForm, OfferForm, options


def _staff_of(participant: Participant) -> bool:
    return (
        g.get("role") in STAFF
        and g.get("network") is not None
        and participant.network_id == g.network.id
    )


def participant_part(participant: Participant):
    """Named answers and a way to open a form for the participant (staff of their network)."""
    if not _staff_of(participant):
        return None
    offer_form = OfferForm(participant_id=participant.id)
    # An exit evaluation answered for this leaving is not offered again (no buttons for it).
    forms = delivery.offerable_forms(versions.active_forms(g.network.id), participant)
    offer_form.form_id.choices = options((f.id, f.title(locale())) for f in forms)
    period = answers.exit_period(participant)
    return {
        "participant": participant,
        "offer_form": offer_form,
        "forms": forms,
        "named": personal.named_submissions(participant),
        "exit_status": delivery.exit_status(period) if participant.status == "left" else None,
        "locale": locale(),
    }


def left_part(participant: Participant):
    """Right after leaving: offer the exit evaluation on the tablet, by link or on paper."""
    if not _staff_of(participant):
        return None
    exit_form = versions.exit_form(g.network.id)
    if exit_form is None or not delivery.can_offer(exit_form, participant):
        return None
    offer_form = OfferForm(participant_id=participant.id, form_id=exit_form.id)
    offer_form.form_id.choices = options([(exit_form.id, exit_form.title(locale()))])
    return {
        "participant": participant,
        "exit_form": exit_form,
        "offer_form": offer_form,
        "locale": locale(),
    }


def _waiting_context(network_id: int) -> dict | None:
    waiting = delivery.pending_tablet_sessions(network_id, utcnow())
    if not waiting:
        return None
    return {"waiting": waiting, "locale": locale()}


def kiosk_part(network, meeting=None):
    """The forms waiting on the tablet, as large buttons on the check-in screen."""
    return _waiting_context(network.id)


def kiosk_panel() -> dict:
    """The waiting forms on the kiosk's start page (when there is no check-in screen)."""
    return _waiting_context(g.network.id) or {"waiting": [], "locale": locale()}


def reminder_panel() -> dict:
    """People who left recently and have not answered the exit evaluation."""
    return {
        "missing": delivery.missing_exit_evaluations(g.network.id, local_today()),
        "exit_form": versions.exit_form(g.network.id),
        "action_form": CsrfOnlyForm(),
        "participant_url": participant_url,
        "locale": locale(),
    }
