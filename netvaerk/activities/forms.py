"""Forms for planning activities, signing up, hours, types, invitations and wishes."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..core.exports import NotAFormula
from ..core.fields import DecimalCommaField
from ..core.once import OnceField
from ..core.permissions import MAX_ID
from ..i18n_forms import BaseForm


def _optional_int(value):
    """A chosen id, or None; a number no row can have is refused like any wrong choice."""
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError("not an id")
    return number


class WholeNumberField(IntegerField):
    """An integer field whose parse error is our own translated sentence."""

    def process_formdata(self, valuelist):
        """Parse the number, or record a message saying what to type."""
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Give a whole number of at least 1."))) from None


class ActivityForm(BaseForm):
    """An activity on a meeting, or on its own date and times."""

    type_id = SelectField(_l("Type"), coerce=_optional_int, validate_choice=False)
    title = StringField(_l("Title"), validators=[Optional(), Length(max=160)])
    meeting_id = SelectField(_l("Meeting"), coerce=_optional_int, validate_choice=False)
    date = DateField(_l("Date (when not on a meeting)"), validators=[Optional()])
    start_time = TimeField(_l("Start time"), validators=[Optional()])
    end_time = TimeField(_l("End time"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=160)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    facilitators_needed = WholeNumberField(
        _l("Facilitators needed"),
        default=1,
        validators=[
            InputRequired(message=_l("Give a whole number of at least 1.")),
            NumberRange(min=1, max=50, message=_l("Give a number from 1 to 50.")),
        ],
    )
    has_waitlist = BooleanField(_l("Keep a wait list when it is full"))
    submit = SubmitField(_l("Save"))

    def validate_end_time(self, field):
        """An end after the start, named at once (before any question about a past date)."""
        start = self.start_time.data
        if start is not None and field.data is not None and field.data <= start:
            raise ValidationError(_l("The end must be after the start."))


class WithdrawForm(BaseForm):
    """Cancel one's place, with a reason (required when it is late)."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Cancel my place"))


class HoursForm(BaseForm):
    """Hours a facilitator spent on an activity that was held."""

    hours = DecimalCommaField(
        _l("Hours"),
        places=2,
        validators=[
            DataRequired(message=_l("Give the hours as a number above 0 and at most 24.")),
            NumberRange(
                min=0.01, max=24, message=_l("Give the hours as a number above 0 and at most 24.")
            ),
        ],
    )
    submit = SubmitField(_l("Confirm it was held"))


class AssignForm(BaseForm):
    """A coordinator gives a place to a facilitator."""

    user_id = SelectField(_l("Facilitator"), coerce=_optional_int, validate_choice=False)
    submit = SubmitField(_l("Give a place"))


class ActivityTypeForm(BaseForm):
    """An activity type in both languages."""

    name_da = StringField(
        _l("Name in Danish"), validators=[DataRequired(), Length(max=120), NotAFormula()]
    )
    name_en = StringField(
        _l("Name in English"), validators=[DataRequired(), Length(max=120), NotAFormula()]
    )
    is_active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))


class InvitationForm(BaseForm):
    """Invite a facilitator by e-mail."""

    once_key = OnceField()
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Email(message=_l("Give a valid e-mail address.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Invite"))


class AcceptInvitationForm(BaseForm):
    """A new facilitator chooses a name and a password."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create my account"))


class JoinWithAccountForm(BaseForm):
    """Someone who has an account already confirms with its password."""

    password = PasswordField(
        _l("Your current password"), validators=[DataRequired(), Length(max=200)]
    )
    submit = SubmitField(_l("Join the network"))


class WishForm(BaseForm):
    """A wish from the participants, recorded without names."""

    once_key = OnceField()
    text = TextAreaField(_l("The wish"), validators=[DataRequired(), Length(max=1000)])
    type_id = SelectField(_l("Type (optional)"), coerce=_optional_int, validate_choice=False)
    submit = SubmitField(_l("Add the wish"))


class NoticeForm(BaseForm):
    """The network's notice period for facilitators' cancellations."""

    hours = IntegerField(
        _l("Hours before an activity within which a cancellation is late"),
        validators=[
            InputRequired(message=_l("Give a whole number of hours from 0 to 720.")),
            NumberRange(min=0, max=720, message=_l("Give a whole number of hours from 0 to 720.")),
        ],
    )
    submit = SubmitField(_l("Save"))
