"""The site administrator's outbox: queued, sent and failed mail, and resending a failed one."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_babel import lazy_gettext as _l

from ..core.errors import UserError, show_user_error
from ..core.permissions import MAX_ID, roles_required
from ..core.registry import current_registry
from ..extensions import db
from ..timeutil import utcnow
from . import outbox
from .models import OutboxMessage

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")

STATUS_LABELS = {
    "queued": _l("Queued"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
}


@bp.route("/")
@roles_required(admin=True)
def messages():
    """The latest messages, all or of one state, with the count of each state."""
    status = request.args.get("status") or None
    if status not in (None, *STATUS_LABELS):
        status = None
    found, counts = outbox.outbox_page(status)
    kinds = current_registry().message_kinds
    return render_template(
        "netvaerk/tasks/outbox.html",
        messages=found,
        counts=counts,
        status=status,
        status_labels=STATUS_LABELS,
        kind_label=lambda kind: kinds[kind].label if kind in kinds else kind,
        mail_on=outbox.mail_configured(),
    )


@bp.route("/<id:message_id>/resend", methods=["POST"])
@roles_required(admin=True)
def resend(message_id: int):
    """Queue a failed message again; the worker sends it with the same Message-ID."""
    if message_id > MAX_ID:
        abort(404)
    message = db.get_or_404(OutboxMessage, message_id)
    try:
        outbox.resend(message, utcnow())
    except UserError as error:
        show_user_error(error)
    else:
        flash(_("The message is queued again."), "success")
    return redirect(url_for("netvaerk.outbox.messages", status="failed"))
