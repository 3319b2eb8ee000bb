"""The forms of the resident's page: a wish for an activity or a talk."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..i18n_forms import BaseForm


class ResidentWishForm(BaseForm):
    """A wish from the resident, kept without their name (no one-time key: its receipt would
    hold the time of sending; the pool drops a double submit instead, see `wishes.py`)."""

    text = TextAreaField(
        _l("Your wish"),
        validators=[DataRequired(message=_l("Write your wish.")), Length(max=1000)],
    )
    submit = SubmitField(_l("Send the wish"))
