"""Forms of the site administrator's pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired

from ..labels import ROLE_LABELS
from .models import ROLES


class RoleForm(FlaskForm):
    """Give a role in a network (or change the one held there)."""

    network_id = SelectField(_l("Network"), coerce=int, validators=[InputRequired()])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES],
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Save role"))


class ConfirmForm(FlaskForm):
    """A confirmation: only the CSRF token and the button."""

    submit = SubmitField(_l("Yes, remove the role"))


class EnabledForm(FlaskForm):
    """Enable ("1") or disable ("0") an account."""

    enabled = HiddenField(validators=[AnyOf(["0", "1"])])
