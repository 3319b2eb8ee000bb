"""The resident's own page: on the kiosk (after a check-in, with the code) and through the
personal link on the resident's phone; and the coordinator's making of the link.

No URL names a resident: the kiosk's pages take the resident from the kiosk session (the
check-in just made and the code typed then), the phone's from the link's secret token. Every
page here is `no-store` (logged in, or a token in its path: core.security).
"""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import _, force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import timeutil
from ..core.errors import UserError, show_user_error
from ..core.permissions import get_in_network, kiosk_allowed, public, roles_required
from ..core.security import external_url, token_link_limit
from ..extensions import limiter
from ..kiosk.forms import KioskCodeForm
from ..kiosk.services import confirmation_is_fresh
from ..participants import services as participants
from ..participants.models import Participant
from . import links, qr, services
from .forms import ResidentWishForm

bp = Blueprint("mypage", __name__)

# The kiosk's own session key for the check-in just made (kiosk.views.DONE_KEY).
KIOSK_DONE_KEY = "netvaerk_kiosk_done"
GRANT_KEY = "netvaerk_mypage_grant"
# The page on the tablet closes itself after this many seconds.
KIOSK_PAGE_SECONDS = 60


def _just_checked_in() -> Participant | None:
    """The active resident the kiosk checked in just now (None: nobody, or too long ago)."""
    done = session.get(KIOSK_DONE_KEY)
    participant_id = done.get("participant") if isinstance(done, dict) else None
    if not isinstance(participant_id, int):
        return None
    if not confirmation_is_fresh(done, participant_id, timeutil.utcnow()):
        return None
    participant = services.resident_of(g.network.id, participant_id)
    if participant is None or not services.may_have_page(participant):
        return None
    return participant


def _kiosk_locale() -> str:
    done = session.get(KIOSK_DONE_KEY)
    chosen = session.get("lang") or (done.get("locale") if isinstance(done, dict) else None)
    return chosen if chosen in ("da", "en") else "da"


@bp.route("/my-page/kiosk", methods=["GET", "POST"])
@kiosk_allowed
@roles_required("kiosk")
def kiosk_code():
    """ "Min side" after a check-in: the resident types their code to open their page."""
    participant = _just_checked_in()
    if participant is None or not participant.checkin_code_hash:
        return redirect(url_for("netvaerk.kiosk.index"))
    form = KioskCodeForm()
    error = None
    if request.method == "POST":
        error = _code_error(participant, form)
        if error is None:
            now = timeutil.utcnow()
            session[GRANT_KEY] = services.make_grant(participant, now.timestamp())
            return redirect(url_for(".kiosk_page"), 303)
    with force_locale(_kiosk_locale()):
        return render_template(
            "netvaerk/mypage/kiosk_code.html", participant=participant, form=form, error=error
        )


def _code_error(participant: Participant, form) -> str | None:
    """None when the typed code is the resident's; else what to tell them."""
    now = timeutil.utcnow()
    with force_locale(_kiosk_locale()):
        if participants.code_locked(participant, now):
            return _("Too many wrong codes. Ask a member of staff.")
        if not form.validate_on_submit():
            return " ".join(str(e) for e in form.code.errors) or _("Type your four-digit code.")
        if not participants.verify_code(participant, form.code.data, now):
            return _("That code is not right. Try again.")
    return None


def _granted() -> Participant | None:
    done = session.get(KIOSK_DONE_KEY)
    last = done.get("participant") if isinstance(done, dict) else None
    now = timeutil.utcnow().timestamp()
    participant_id = services.granted_id(session.get(GRANT_KEY), g.network.id, last, now)
    participant = services.resident_of(g.network.id, participant_id) if participant_id else None
    if participant is None or not services.may_have_page(participant):
        return None
    return participant


@bp.route("/my-page/kiosk/open")
@kiosk_allowed
@roles_required("kiosk")
def kiosk_page():
    """The resident's page on the tablet, for a short while after their code."""
    participant = _granted()
    if participant is None:
        session.pop(GRANT_KEY, None)
        return redirect(url_for("netvaerk.kiosk.index"))
    services.record_visit(participant, "kiosk")
    locale = _kiosk_locale()
    with force_locale(locale):
        return render_template(
            "netvaerk/mypage/kiosk_page.html",
            form=ResidentWishForm(formdata=None),
            wish_action=url_for(".kiosk_wish"),
            seconds=KIOSK_PAGE_SECONDS,
            **services.page(participant, timeutil.local_now(), locale),
        )


@bp.route("/my-page/kiosk/done")
@kiosk_allowed
@roles_required("kiosk")
def kiosk_done():
    """ "Færdig" (or the page's time is up): close the page and go back to the names."""
    session.pop(GRANT_KEY, None)
    session.pop(KIOSK_DONE_KEY, None)
    return redirect(url_for("netvaerk.kiosk.index"))


@bp.route("/my-page/kiosk/wish", methods=["POST"])
@kiosk_allowed
@roles_required("kiosk")
def kiosk_wish():
    """A wish sent from the page on the tablet (kept without a name)."""
    participant = _granted()
    if participant is None:
        return redirect(url_for("netvaerk.kiosk.index"), 303)
    with force_locale(_kiosk_locale()):
        _save_wish(participant, ResidentWishForm())
    return redirect(url_for(".kiosk_page"), 303)


def _save_wish(participant: Participant, form) -> None:
    """Seal a valid wish into the network's pool (flashed either way); see `wishes.py`."""
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.text.errors) or _("Write your wish."), "error")
        return
    services.send_wish(participant, form.text.data, timeutil.local_today())
    flash(_("Thank you. Your wish is sent. It does not say who sent it."), "success")


# --- the personal link ----------------------------------------------------------------------


REFUSED = (
    _l("This link does not work"),
    _l("It may be old or closed. Ask the staff for a new link."),
)
STAFF_REFUSED = (
    _l("This link is for the resident's own phone"),
    _l("You are logged in. Log out to open the link."),
)


def _both_languages(texts) -> dict:
    """Each (lazy) text in Danish and in English."""
    found = {}
    for locale in ("da", "en"):
        with force_locale(locale):
            found[locale] = [str(text) for text in texts]
    return found


def _refused():
    """The one page for a link that does not work (unknown, expired, revoked, or the resident
    is no longer in the course): it says nothing about who it was."""
    texts = _both_languages(REFUSED)
    return render_template("netvaerk/mypage/refused.html", texts=texts), 404


def _staff_refused():
    """Staff logged in on this browser: the link is the resident's, for their own phone."""
    texts = _both_languages(STAFF_REFUSED)
    return render_template("netvaerk/mypage/refused.html", texts=texts), 403


def _link_locale(participant: Participant) -> str:
    chosen = session.get("lang")
    if chosen in ("da", "en"):
        return chosen
    return participant.preferred_locale if participant.preferred_locale in ("da", "en") else "da"


@bp.route("/my/<token>")
@public
@limiter.shared_limit(token_link_limit, scope="netvaerk-secret-links")
def link_page(token: str):
    """The resident's page on their phone, opened by their personal link."""
    if not links.could_be_token(token):
        return _refused()  # never a link, whoever asks
    if current_user.is_authenticated:
        return _staff_refused()
    opened = services.open_link(token, timeutil.utcnow())
    if opened is None:
        return _refused()
    services.record_visit(opened.participant, "link")
    locale = _link_locale(opened.participant)
    with force_locale(locale):
        return render_template(
            "netvaerk/mypage/link_page.html",
            form=ResidentWishForm(formdata=None),
            wish_action=url_for(".link_wish", token=token),
            here=url_for(".link_page", token=token),
            **services.page(opened.participant, timeutil.local_now(), locale),
        )


@bp.route("/my/<token>/wish", methods=["POST"])
@public
@limiter.limit("10 per minute")
@limiter.shared_limit(token_link_limit, scope="netvaerk-secret-links")
def link_wish(token: str):
    """A wish sent from the phone (kept without a name)."""
    if not links.could_be_token(token):
        return _refused()  # never a link, whoever asks
    if current_user.is_authenticated:
        return _staff_refused()
    opened = services.open_link(token, timeutil.utcnow())
    if opened is None:
        return _refused()
    with force_locale(_link_locale(opened.participant)):
        _save_wish(opened.participant, ResidentWishForm())
    return redirect(url_for(".link_page", token=token), 303)


# --- the coordinator's side -----------------------------------------------------------------


@bp.route("/participants/<id:participant_id>/personal-link", methods=["POST"])
@roles_required("coordinator")
def make_link(participant_id: int):
    """Make or renew the resident's link and show it once, as a QR code to print."""
    participant = get_in_network(Participant, participant_id)
    try:
        token = services.make_link(participant, current_user.id, timeutil.utcnow())
    except UserError as error:
        show_user_error(error)
        return redirect(url_for("netvaerk.participants.show", participant_id=participant.id), 303)
    url = external_url("netvaerk.mypage.link_page", token=token)
    locale = participant.preferred_locale if participant.preferred_locale in ("da", "en") else "da"
    with force_locale(locale):
        texts = [
            _("Your own page, %(name)s", name=participant.first_name),
            _("Scan the code with your phone. Then you see your own page."),
            _("QR code with your own link"),
            _("The link is only for you. If you lose it, ask us for a new one."),
        ]
    return render_template(
        "netvaerk/mypage/print.html",
        participant=participant,
        url=url,
        qr_svg=qr.svg(url) if links.is_absolute(url) else None,
        no_base_url=links.NO_BASE_URL,
        resident_locale=locale,
        resident_texts=texts,
    )


@bp.route("/participants/<id:participant_id>/personal-link/revoke", methods=["POST"])
@roles_required("coordinator")
def revoke_link(participant_id: int):
    """Revoke the resident's link: it stops working at once."""
    participant = get_in_network(Participant, participant_id)
    if services.revoke_link(participant, current_user.id):
        flash(_("The personal link is revoked. It no longer works."), "success")
    else:
        flash(_("The resident had no personal link."), "info")
    return redirect(url_for("netvaerk.participants.show", participant_id=participant.id), 303)


@bp.route("/participants/<id:participant_id>/personal-link/send", methods=["POST"])
@roles_required("coordinator")
def send_link(participant_id: int):
    """Send a new link to the resident's e-mail address through the outbox."""
    participant = get_in_network(Participant, participant_id)
    try:
        address = services.send_link(
            participant,
            lambda token: external_url("netvaerk.mypage.link_page", token=token),
            current_user.id,
            timeutil.utcnow(),
        )
    except UserError as error:
        show_user_error(error)
    else:
        flash(
            _("A new link is sent to %(address)s. The old link no longer works.", address=address),
            "success",
        )
    return redirect(url_for("netvaerk.participants.show", participant_id=participant.id), 303)
