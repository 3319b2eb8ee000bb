"""The personal calendar feed: making its secret link, and the feed itself."""

from flask import (
    Response,
    abort,
    flash,
    g,
    render_template,
    request,
)
from flask_babel import _
from flask_login import current_user

from .. import timeutil
from ..core.permissions import public, roles_required
from ..core.security import external_url
from ..extensions import limiter
from . import feeds, services
from .blueprint import PLANNERS, bp
from .forms import (
    WithdrawForm,
)

# --- calendar feed --------------------------------------------------------------------------


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def calendar():
    """Show how to subscribe; a POST makes a new secret link (the old one stops working)."""
    link = None
    if request.method == "POST":
        form = WithdrawForm()  # any FlaskForm checks the CSRF token
        if not form.validate_on_submit():
            abort(400)
        token = services.renew_feed(current_user.id, g.network.id)
        link = external_url("netvaerk.activities.feed", token=token)
        flash(_("Your new calendar link is ready. The old link no longer works."), "success")
    return render_template(
        "netvaerk/activities/calendar.html",
        link=link,
        qr_code=feeds.qr_code(link) if link else None,
        has_feed=services.has_feed(current_user.id, g.network.id),
    )


@bp.route("/calendar/<token>.ics")
@public
@limiter.limit("60 per minute")
def feed(token: str):
    """The facilitator's activities as iCalendar; the secret token is the only key."""
    found = services.feed_for_token(token)
    if found is None:
        abort(404)
    body = services.calendar_bytes(found, timeutil.local_today(), _("netvaerk – my activities"))
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'inline; filename="netvaerk.ics"',
            "Cache-Control": "private, max-age=300",
        },
    )
