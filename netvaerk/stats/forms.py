"""Forms of the statistics pages: reopening a month and entering reference figures."""

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..i18n_forms import BaseForm
from .closing import REOPEN_REASONS


class CommaDecimalField(DecimalField):
    """A decimal field that also takes the Danish decimal comma ("38,5")."""

    def process_formdata(self, valuelist):
        """Read "38,5" as 38.5 before the usual parsing."""
        if valuelist:
            valuelist = [str(valuelist[0]).strip().replace(" ", "").replace(",", ".")]
        super().process_formdata(valuelist)


class CloseMonthForm(BaseForm):
    """Closing a month needs nothing but the button (and its CSRF token)."""


class ReopenMonthForm(BaseForm):
    """Reopening a closed month: a reason from a fixed list (the steering group sees it) and
    an optional note for coordinators only."""

    reason = SelectField(
        _l("Why is the month reopened?"),
        choices=[
            SelectChoice(value, label)
            for value, label in (("", _l("Choose a reason")), *REOPEN_REASONS.items())
        ],
        validators=[DataRequired(_l("Please choose why the month is reopened."))],
    )
    note = TextAreaField(
        _l("Note for coordinators (optional, never shown to the steering group)"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Please keep the note under 500 characters.")),
        ],
    )


class AreaReferenceForm(BaseForm):
    """The housing area's official share of 18–64-year-olds outside work and education."""

    housing_area = SelectField(_l("Housing area"), coerce=int, validate_choice=True)
    year = IntegerField(
        _l("Counted on 1 December of the year"),
        validators=[
            InputRequired(_l("Please enter a year.")),
            NumberRange(2000, 2100, _l("Please enter a year between 2000 and 2100.")),
        ],
    )
    percent = CommaDecimalField(
        _l("Share outside work and education (%)"),
        places=2,
        validators=[
            InputRequired(_l("Please enter a percentage.")),
            NumberRange(0, 100, _l("Please enter a percentage between 0 and 100.")),
        ],
    )


class TargetForm(BaseForm):
    """A target of the social plan for one figure in one year."""

    metric = SelectField(_l("Figure"), validate_choice=True)
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Please enter a year.")),
            NumberRange(2000, 2100, _l("Please enter a year between 2000 and 2100.")),
        ],
    )
    value = CommaDecimalField(
        _l("Target (a number, or a percentage for shares)"),
        places=2,
        validators=[
            InputRequired(_l("Please enter the target.")),
            NumberRange(0, 1_000_000, _l("Please enter a number of 0 or more.")),
        ],
    )
