"""The erasure form: a reason and an explicit confirmation."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..i18n_forms import BaseForm


class EraseForm(BaseForm):
    """Why the participant is erased, and a tick that the coordinator means it."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Write why the data is erased.")), Length(max=300)],
    )
    confirm = BooleanField(
        _l("I understand that the participant's data is deleted for good."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Erase the participant"))
