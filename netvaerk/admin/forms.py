"""Forms of the site administrator's pages."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired

from ..core.models import ROLES
from ..i18n_forms import BaseForm
from ..labels import ROLE_LABELS


class RoleForm(BaseForm):
    """Give a role in a network (or change the one held there)."""

    network_id = SelectField(_l("Network"), coerce=int, validators=[InputRequired()])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES],
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Save role"))


class ConfirmForm(BaseForm):
    """A confirmation: only the CSRF token and the button."""

    submit = SubmitField(_l("Yes, remove the role"))


class EnabledForm(BaseForm):
    """Enable ("1") or disable ("0") an account."""

    enabled = HiddenField(validators=[AnyOf(["0", "1"])])
