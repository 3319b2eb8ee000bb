"""Mail choices: the staff account's preferences page, and the one-click unsubscribe link."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from ..core.permissions import public
from ..extensions import csrf
from ..i18n_forms import BaseForm
from . import preferences

bp = Blueprint("mail", __name__)


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # RFC 8058: a mail program POSTs the link itself; the signed token is the proof
def unsubscribe(token: str):
    """GET shows one button; POST (that button or a mail program's one-click) turns it off."""
    try:
        user_id, kind = preferences.read_unsubscribe_token(token)
        label = preferences.kind_label(kind)
    except preferences.BadToken:
        return render_template("netvaerk/tasks/unsubscribe_invalid.html"), 404
    if request.method == "POST":
        preferences.set_wanted(user_id, kind, False)
        return render_template("netvaerk/tasks/unsubscribe.html", label=label, done=True)
    return render_template("netvaerk/tasks/unsubscribe.html", label=label, done=False)


@bp.route("/account/mail", methods=["GET", "POST"])
@login_required
def choices():
    """The signed-in account's choice for each kind of mail its roles can get."""
    roles = {m.role for m in g.get("memberships") or ()}
    if current_user.is_admin:
        roles.add("admin")
    kinds = preferences.kinds_for_roles(roles)
    form = BaseForm()
    if form.validate_on_submit():
        ticked = set(request.form.getlist("wanted"))
        for kind in kinds:
            preferences.set_wanted(current_user.id, kind.kind, kind.kind in ticked)
        flash(_("Your mail choices are saved."), "success")
        return redirect(url_for("netvaerk.mail.choices"))
    wanted = preferences.choices(current_user.id, [k.kind for k in kinds])
    return render_template(
        "netvaerk/tasks/mail_choices.html", form=form, kinds=kinds, wanted=wanted
    )
