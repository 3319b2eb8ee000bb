"""The erasure form (a reason and an explicit confirmation) and the retention setting."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

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


class RetentionForm(BaseForm):
    """How many months a network keeps a resident's data after they leave."""

    network_id = HiddenField(filters=[lambda v: int(v) if v and str(v).isdigit() else None])

    months = IntegerField(
        _l("Months to keep a resident's data after they leave"),
        validators=[
            InputRequired(message=_l("Write a number of months.")),
            NumberRange(min=1, max=120, message=_l("Choose from 1 to 120 months.")),
        ],
    )
    submit = SubmitField(_l("Save"))
