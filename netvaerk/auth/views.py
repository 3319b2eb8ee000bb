"""Login, logout and change of password."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from ..core.permissions import kiosk_allowed, public
from ..core.security import safe_next, start_session_clock
from ..extensions import limiter
from . import services, throttle
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(throttle.login_limit, methods=["POST"])
@limiter.limit(
    throttle.login_limit,
    methods=["POST"],
    key_func=throttle.account_address_key,
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
    form = LoginForm(next=safe_next(request.args.get("next")) or "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            services.note_failed_login(form.email.data)
            flash(_("The e-mail or the password is wrong."), "error")
        else:
            language = session.get("lang")
            session.clear()  # a fresh session at login: no fixation
            if language:
                session["lang"] = language
            # Only the kiosk tablet keeps its cookie across browser restarts.
            session.permanent = services.is_kiosk_account(user)
            login_user(user)
            start_session_clock()
            services.note_login(user)
            response = redirect(safe_next(form.next.data) or url_for("netvaerk.core.home"))
            throttle.remember_device(response, user.id)
            return response
    return render_template("netvaerk/auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@kiosk_allowed
@login_required
def logout():
    """End the session (and the account's sessions elsewhere: see services.end_sessions)."""
    services.end_sessions(current_user._get_current_object())
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:
        session["lang"] = language
    flash(_("You are logged out."), "info")
    return redirect(url_for("netvaerk.auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problem = services.password_problem(form.new_password.data)
        if not check_password_hash(current_user.password_hash or "", form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        elif problem == "too_short":
            form.new_password.errors.append(
                _(
                    "Use at least %(n)d characters.",
                    n=current_app.config["NETVAERK_PASSWORD_MIN_LENGTH"],
                )
            )
        elif problem == "too_common":
            form.new_password.errors.append(
                _("This password is too common. Choose one that is harder to guess.")
            )
        else:
            user = current_user._get_current_object()
            services.change_password(user, form.new_password.data)
            login_user(user)  # re-issue the cookie with the new session version
            flash(_("Your password is changed."), "success")
            return redirect(url_for("netvaerk.core.home"))
    return render_template("netvaerk/auth/change_password.html", form=form)
