"""Forms of follow-up: a conversation with commitments, an option, a status check, settings."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.once import OnceField
from ..i18n_forms import BaseForm
from .models import CHECK_STATUSES, FOLLOWER_ROLES

BAD_DATE = _l("Give the date as day, month and year.")
NEEDED = _l("Please fill in this field.")
COMMITMENT_ROWS = 3

STATUS_LABELS = {
    "same_job": _l("Same job"),
    "other_job": _l("Other job"),
    "education": _l("Education"),
    "internship": _l("Internship"),
    "benefits": _l("Back on benefits"),
    "other_programme": _l("Other programme"),
    "moved_away": _l("Moved away"),
    "not_reached": _l("Unknown / not reached"),
}
assert set(STATUS_LABELS) == set(CHECK_STATUSES)

FOLLOWER_ROLE_LABELS = {
    "mentor": _l("Mentor"),
    "job_consultant": _l("Job consultant"),
    "contact": _l("Contact person"),
}
assert set(FOLLOWER_ROLE_LABELS) == set(FOLLOWER_ROLES)


class ConversationForm(BaseForm):
    """A follow-up conversation and up to three commitments made in it."""

    held_on = DateField(_l("Date of the conversation"), [InputRequired(BAD_DATE)])
    present = StringField(_l("Who was there"), [Optional(), Length(max=300)])
    agreed = TextAreaField(_l("What was agreed"), [Optional(), Length(max=4000)])
    next_due_on = DateField(_l("Next conversation (empty: the network's interval)"), [Optional()])
    commitment_1 = StringField(_l("Commitment 1"), [Optional(), Length(max=500)])
    due_1 = DateField(_l("Due date 1"), [Optional()])
    commitment_2 = StringField(_l("Commitment 2"), [Optional(), Length(max=500)])
    due_2 = DateField(_l("Due date 2"), [Optional()])
    commitment_3 = StringField(_l("Commitment 3"), [Optional(), Length(max=500)])
    due_3 = DateField(_l("Due date 3"), [Optional()])
    submit = SubmitField(_l("Save the conversation"))

    def validate(self, extra_validators=None) -> bool:
        """A commitment needs its due date and a due date its commitment."""
        valid = super().validate(extra_validators)
        for row in range(1, COMMITMENT_ROWS + 1):
            text, due = self[f"commitment_{row}"], self[f"due_{row}"]
            if (text.data or "").strip() and due.data is None and not due.errors:
                due.errors = [*due.errors, _l("Give the date the commitment falls due.")]
                valid = False
            if due.data is not None and not (text.data or "").strip():
                text.errors = [*text.errors, _l("Write what the resident commits to.")]
                valid = False
        return valid

    def commitments(self) -> list[tuple[str, object]]:
        """The filled-in (text, due date) rows."""
        rows = []
        for row in range(1, COMMITMENT_ROWS + 1):
            text = (self[f"commitment_{row}"].data or "").strip()
            if text:
                rows.append((text, self[f"due_{row}"].data))
        return rows


class OptionForm(BaseForm):
    """An idea for the resident's list of options."""

    once_key = OnceField()
    text = StringField(_l("Idea"), [DataRequired(NEEDED), Length(max=300)])
    submit = SubmitField(_l("Add to the list"))


class ChooseForm(BaseForm):
    """Choose an option as plan A, B or C, or no plan."""

    plan = SelectField(
        _l("Plan"),
        choices=[SelectChoice("", _l("Not chosen"))] + [SelectChoice(p, p) for p in "ABC"],
        validators=[Optional()],
    )


class ButtonForm(BaseForm):
    """Only the CSRF token, for buttons."""


class CheckForm(BaseForm):
    """The status found at a check, and the date the person was reached."""

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Choose …"))]
        + [SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        validators=[DataRequired(_l("Choose a status from the list."))],
    )
    reached_on = DateField(_l("Date of contact"), [InputRequired(BAD_DATE)])
    seen_status = HiddenField()
    submit = SubmitField(_l("Save the status"))


class SettingsForm(BaseForm):
    """Days between conversations and the months after leaving with a status check."""

    interval_days = IntegerField(
        _l("Days between conversations"),
        [InputRequired(_l("Give a number of days from 1 to 365.")), NumberRange(1, 365)],
    )
    check_months = StringField(
        _l("Status checks, months after leaving (e.g. 1, 3, 6, 12)"),
        [DataRequired(NEEDED), Length(max=40)],
    )
    submit = SubmitField(_l("Save"))

    def months(self) -> list[int] | None:
        """The months as ints, or None when they are not numbers."""
        try:
            return [
                int(part) for part in self.check_months.data.replace(" ", "").split(",") if part
            ]
        except ValueError:
            return None


class FollowerForm(BaseForm):
    """A coordinator names a facilitator to follow the resident (choices set by the view)."""

    # Whether the one chosen is a facilitator of the network is the service's rule.
    user_id = SelectField(
        _l("Facilitator"), coerce=int, validate_choice=False, validators=[InputRequired()]
    )
    role = SelectField(
        _l("As"),
        choices=[SelectChoice(role, FOLLOWER_ROLE_LABELS[role]) for role in FOLLOWER_ROLES],
        default="mentor",
    )
    submit = SubmitField(_l("Name as follower"))
