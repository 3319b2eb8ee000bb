"""Forms for the weekly pattern, generating meetings, closures, single meetings and the
register."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.once import OnceField
from ..i18n_forms import BAD_DATE, BaseForm, to_choices
from ..labels import ABSENCE_REASON_LABELS, ATTENDANCE_LABELS, WEEKDAY_LABELS
from .services import MAX_GENERATION_DAYS

BAD_TIME = _l("Write the time as hh:mm, e.g. 09:00.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _EndAfterStart:
    """Form mixin: the end time must be after the start time."""

    def validate_end(self, field):
        """A meeting ends after it starts."""
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The end time must be after the start time."))


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PatternForm(_EndAfterStart, BaseForm):
    """The network's weekly meeting pattern and whether check-in asks for a personal code."""

    weekdays = MultiCheckboxField(
        _l("Meeting days"),
        coerce=int,
        choices=to_choices(enumerate(WEEKDAY_LABELS)),
    )
    start = TimeField(_l("Starts at"), validators=[InputRequired(message=BAD_TIME)])
    end = TimeField(_l("Ends at"), validators=[InputRequired(message=BAD_TIME)])
    apply_upcoming = BooleanField(
        _l("Also change the upcoming meetings that follow the pattern"), default=True
    )
    checkin_code_required = BooleanField(
        _l("Residents with a personal code type it when they check in")
    )
    closed_days = StringField(
        _l("Closed every year besides the public holidays (month-day, e.g. 12-24, 12-31)"),
        filters=[_strip],
        validators=[Length(max=200)],
    )

    def validate_weekdays(self, field):
        """At least one meeting day."""
        if not field.data:
            raise ValidationError(_l("Choose at least one meeting day."))


class GenerateForm(BaseForm):
    """A period to generate the pattern's meetings for."""

    first_day = DateField(_l("From"), validators=[InputRequired(message=BAD_DATE)])
    last_day = DateField(_l("To"), validators=[InputRequired(message=BAD_DATE)])

    def validate_last_day(self, field):
        """A period forwards in time, and not longer than about a year."""
        if not (self.first_day.data and field.data):
            return
        if field.data < self.first_day.data:
            raise ValidationError(_l("The end date must be on or after the start date."))
        if field.data - self.first_day.data > timedelta(days=MAX_GENERATION_DAYS):
            raise ValidationError(
                _l("Generate at most %(n)d days at a time.", n=MAX_GENERATION_DAYS)
            )


class ClosureForm(BaseForm):
    """A period the centre is closed."""

    once_key = OnceField()
    start_date = DateField(_l("First closed day"), validators=[InputRequired(message=BAD_DATE)])
    end_date = DateField(_l("Last closed day"), validators=[InputRequired(message=BAD_DATE)])
    reason = StringField(
        _l("Reason (e.g. summer break)"), filters=[_strip], validators=[Length(max=200)]
    )

    def validate_end_date(self, field):
        """The closure ends on or after its first day."""
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must be on or after the start date."))


class CancelForm(BaseForm):
    """Cancel one meeting."""

    reason = StringField(_l("Reason (optional)"), filters=[_strip], validators=[Length(max=200)])


class MoveForm(_EndAfterStart, BaseForm):
    """Move one meeting to another day or time."""

    date = DateField(_l("Date"), validators=[InputRequired(message=BAD_DATE)])
    start = TimeField(_l("Starts at"), validators=[InputRequired(message=BAD_TIME)])
    end = TimeField(_l("Ends at"), validators=[InputRequired(message=BAD_TIME)])


class ExtraMeetingForm(MoveForm):
    """A meeting outside the weekly pattern."""


class AttendanceForm(BaseForm):
    """One participant's attendance at a meeting, on the register."""

    status = SelectField(
        _l("Attendance"),
        choices=to_choices(ATTENDANCE_LABELS.items()),
        validators=[InputRequired(message=_l("Choose present, absent or absent with notice."))],
    )
    reason = SelectField(
        _l("Reason for the absence"),
        choices=to_choices([("", _l("No reason given"))] + list(ABSENCE_REASON_LABELS.items())),
    )

    def validate_reason(self, field):
        """Notified absence needs a reason."""
        if self.status.data == "notified" and not field.data:
            raise ValidationError(_l("Choose the reason for the absence."))


class ConfirmForm(BaseForm):
    """Nothing but the CSRF token."""
