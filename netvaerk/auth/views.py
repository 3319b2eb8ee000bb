"""Login, logout and change of password."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _
from flask_login import current_user, login_required, login_user

from ..core.drafts import DRAFT_KEY, carry_draft
from ..core.errors import UserError, show_user_error
from ..core.permissions import kiosk_allowed, public
from ..core.security import safe_next, start_session_clock
from ..extensions import limiter
from ..sso import login_choices
from . import services, sessions, throttle
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    throttle.address_limit,
    methods=["POST"],
    exempt_when=throttle.exempt_from_address_limit,
    deduct_when=throttle.failed,
)
@limiter.limit(
    throttle.login_limit,
    methods=["POST"],
    key_func=throttle.account_client_key,
    deduct_when=throttle.failed,
)
@limiter.limit(
    throttle.account_limit,
    methods=["POST"],
    key_func=throttle.account_key,
    exempt_when=throttle.known_client,
    deduct_when=throttle.failed,
)
def login():
    """Show the login form and log a staff member in."""
    if current_user.is_authenticated:
        return redirect(url_for("netvaerk.core.home"))
    elsewhere = login_choices.host_login_redirect()  # a host intranet's own login
    if elsewhere is not None:
        return elsewhere
    form = LoginForm(next=safe_next(request.args.get("next")) or "")
    choices = login_choices.choices()
    if not choices["password_login"] and request.method == "POST":
        abort(404)
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            services.note_failed_login(form.email.data)
            flash(_("The e-mail or the password is wrong."), "error")
        else:
            return _signed_in(user, safe_next(form.next.data) or url_for("netvaerk.core.home"))
    return render_template("netvaerk/auth/login.html", form=form, **choices)


def _signed_in(user, target: str):
    """Start a fresh session for `user` (no fixation) and go on to `target`."""
    language, draft = session.get("lang"), carry_draft()
    session.clear()
    if language:
        session["lang"] = language
    if draft and draft.get("user") == user.id:  # a form sent after the session ended
        session[DRAFT_KEY] = draft
    # Only the kiosk tablet keeps its cookie across browser restarts.
    session.permanent = services.is_kiosk_account(user)
    login_user(user)
    start_session_clock()
    services.note_login(user)
    response = redirect(target)
    throttle.remember_device(response, user.id)
    return response


@bp.route("/logout", methods=["POST"])
@kiosk_allowed
@login_required
def logout():
    """End this browser's session; the account's other sessions go on."""
    old_session = sessions.log_out(current_user._get_current_object(), everywhere=False)
    flash(_("You are logged out."), "info")
    return redirect(login_choices.after_logout(old_session) or url_for("netvaerk.auth.login"))


@bp.route("/logout/everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every session of the account, on every device (its own button)."""
    old_session = sessions.log_out(current_user._get_current_object(), everywhere=True)
    flash(_("You are logged out everywhere: on this device and on all others."), "info")
    return redirect(login_choices.after_logout(old_session) or url_for("netvaerk.auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_own_password(user, form.current_password.data, form.new_password.data)
        except UserError as error:
            show_user_error(error, form)
        else:
            login_user(user)  # re-issue the cookie with the new session version
            flash(_("Your password is changed."), "success")
            return redirect(url_for("netvaerk.core.home"))
    return render_template("netvaerk/auth/change_password.html", form=form)
