"""The kiosk's code step."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import InputRequired, Regexp

from ..i18n_forms import BaseForm


class KioskCodeForm(BaseForm):
    """The resident's personal four-digit code."""

    code = PasswordField(
        _l("Your four-digit code"),
        validators=[
            InputRequired(message=_l("Type your four-digit code.")),
            Regexp(r"^[0-9]{4}$", message=_l("The code is four digits.")),
        ],
        render_kw={
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": 4,
            "pattern": "[0-9]*",
            "autofocus": True,
        },
    )
