"""Forms for registering participants, the status flow, kiosk codes and places per group."""

import flask_babel
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from .. import timeutil
from ..core.exports import NotAFormula
from ..i18n_forms import BAD_DATE, BaseForm, to_choices
from ..labels import OUTCOME_LABELS, STATUS_LABELS, group_label
from .listing import EVERYONE
from .models import EDITABLE_FIELDS

REQUIRED = _l("Fill in this field.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _none_if_empty(value):
    value = _strip(value)
    return value or None


def default_consent_text(retention_months: int) -> str:
    """What a new resident is asked to agree to (the coordinator may adjust it)."""
    return flask_babel.gettext(
        "I agree that the network stores my name, housing area, year of birth, group, phone "
        "number and e-mail, the note from the intake conversation, my attendance and my wheel "
        "of life, so that the network can support me and report anonymous figures to its "
        "steering group. The data is kept while I take part and %(months)d months after I "
        "leave. I can see my data, have it corrected or erased, and withdraw my consent at "
        "any time.",
        months=retention_months,
    )


class ParticipantForm(BaseForm):
    """A resident's own data: names, housing area, birth year, group, contact, intake, consent.

    By design there is no field for a CPR number or for health data.
    """

    first_name = StringField(
        _l("First name"),
        filters=[_strip],
        validators=[DataRequired(message=REQUIRED), Length(max=80)],
    )
    last_name = StringField(
        _l("Last name"),
        filters=[_strip],
        validators=[DataRequired(message=REQUIRED), Length(max=80)],
    )
    housing_area_id = SelectField(
        _l("Housing area"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the housing area."))],
    )
    birth_year = IntegerField(
        _l("Birth year"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric"},
    )
    preferred_locale = SelectField(
        _l("Preferred language (kiosk confirmation and evaluations)"),
        choices=to_choices(
            [("", _l("As chosen on the kiosk")), ("da", "Dansk"), ("en", "English")]
        ),
        filters=[lambda value: value or None],
        validators=[Optional()],
    )
    readiness_group = RadioField(
        _l("Readiness group"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the readiness group."))],
    )
    phone = StringField(
        _l("Phone (optional)"),
        filters=[_none_if_empty],
        validators=[
            Optional(),
            Length(max=40),
            Regexp(
                r"^\+?[0-9 ()-]{6,}$",
                message=_l("Write the phone number with digits only, e.g. 20 30 40 50."),
            ),
        ],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    email = EmailField(
        _l("E-mail (optional)"),
        filters=[_none_if_empty],
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Write a valid e-mail address, e.g. navn@example.org.")),
        ],
    )
    intake_date = DateField(
        _l("Date of the intake conversation"),
        validators=[Optional()],
    )
    intake_note = TextAreaField(
        _l("Note from the intake conversation"),
        filters=[_none_if_empty],
        validators=[Optional(), Length(max=2000)],
    )
    consent_date = DateField(
        _l("Consent to store the data given on"),
        validators=[InputRequired(message=_l("Write the date the resident gave consent."))],
    )
    consent_text = TextAreaField(
        _l("What the resident consented to"),
        filters=[_none_if_empty],
        validators=[Optional(), Length(max=2000)],
    )
    confirm_over_capacity = HiddenField()

    def __init__(self, network, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:  # a new resident is registered only with what they agreed to
            self.consent_text.validators = [
                DataRequired(message=_l("Write what the resident agreed to.")),
                Length(max=2000),
            ]
        self.housing_area_id.choices = to_choices((a.id, a.name) for a in network.housing_areas)
        self.readiness_group.choices = to_choices(
            [(1, group_label(network, 1)), (3, group_label(network, 3))]
        )
        for date_field in (self.intake_date, self.consent_date):
            date_field.render_kw = {"max": timeutil.local_today().isoformat()}

    def validate_birth_year(self, field):
        """Residents are 18–64; allow a margin, refuse typos."""
        if field.data is None:
            return
        year = timeutil.local_today().year
        if not (year - 100 <= field.data <= year - 15):
            raise ValidationError(
                _l(
                    "Write a birth year between %(low)d and %(high)d.",
                    low=year - 100,
                    high=year - 15,
                )
            )

    def validate_intake_date(self, field):
        """The intake conversation has taken place."""
        if field.data is not None and field.data > timeutil.local_today():
            raise ValidationError(_l("The date cannot be in the future."))

    def validate_consent_date(self, field):
        """Consent is given before the data is stored."""
        if field.data is not None and field.data > timeutil.local_today():
            raise ValidationError(_l("The date cannot be in the future."))

    def data_for_service(self) -> dict:
        """The submitted values under the model's field names."""
        return {name: getattr(self, name).data for name in EDITABLE_FIELDS}


def _not_in_future(form, field):
    if field.data is not None and field.data > timeutil.local_today():
        raise ValidationError(_l("The date cannot be in the future."))


class IntakeForm(BaseForm):
    """The intake conversation was held."""

    intake_on = DateField(
        _l("Date of the intake conversation"),
        validators=[InputRequired(message=BAD_DATE), _not_in_future],
    )
    note = TextAreaField(
        _l("Note from the intake conversation"),
        filters=[_none_if_empty],
        validators=[Optional(), Length(max=2000)],
    )


class StartForm(BaseForm):
    """A place in the network from a start date (also when coming back)."""

    start_on = DateField(
        _l("Start date"), validators=[InputRequired(message=BAD_DATE), _not_in_future]
    )
    confirm_over_capacity = HiddenField()


class LeaveForm(BaseForm):
    """Leaving the network: end date and outcome."""

    end_on = DateField(_l("End date"), validators=[InputRequired(message=BAD_DATE), _not_in_future])
    outcome = SelectField(
        _l("Outcome"),
        choices=to_choices([("", _l("Choose …"))] + list(OUTCOME_LABELS.items())),
        validators=[DataRequired(message=_l("Choose an outcome from the list."))],
    )


class CodeForm(BaseForm):
    """A personal four-digit code for the check-in tablet."""

    code = PasswordField(
        _l("Four-digit code"),
        validators=[
            DataRequired(message=REQUIRED),
            Regexp(r"^[0-9]{4}$", message=_l("The code must be exactly four digits.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 4},
    )
    repeat = PasswordField(
        _l("Repeat the code"),
        validators=[EqualTo("code", message=_l("The two codes differ."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 4},
    )


class ConfirmForm(BaseForm):
    """A form with nothing but the CSRF token (remove a code, …)."""


class PlacesForm(BaseForm):
    """Places per readiness group and the names the network uses for the groups."""

    places_group1 = IntegerField(
        _l("Places in group 1"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=0, max=200, message=_l("Write a number from 0 to 200.")),
        ],
    )
    group1_label = StringField(
        _l("Name of group 1"),
        filters=[_strip],
        validators=[Optional(), Length(max=60), NotAFormula()],
    )
    places_group3 = IntegerField(
        _l("Places in group 3"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=0, max=200, message=_l("Write a number from 0 to 200.")),
        ],
    )
    group3_label = StringField(
        _l("Name of group 3"),
        filters=[_strip],
        validators=[Optional(), Length(max=60), NotAFormula()],
    )


class FilterForm(BaseForm):
    """Search and filters of the participant list (sent by POST so that names stay out of
    URLs; the app's CSRF protection checks the token, the form itself does not)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search by name"), filters=[_strip], validators=[Length(max=80)])
    status = SelectField(
        _l("Status"),
        choices=to_choices(
            [("", _l("In the network now")), (EVERYONE, _l("Everyone, former participants too"))]
            + list(STATUS_LABELS.items())
        ),
        default="",
    )
    group = SelectField(_l("Group"), default="")
    area = SelectField(_l("Housing area"), default="")

    def __init__(self, network, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group.choices = to_choices(
            [("", _l("All")), ("1", group_label(network, 1)), ("3", group_label(network, 3))]
        )
        self.area.choices = to_choices(
            [("", _l("All"))] + [(str(a.id), a.name) for a in network.housing_areas]
        )

    def filters(self) -> dict:
        """The list's search and filters, for `listing.list_page` (a valid form's)."""
        return {
            "text": self.q.data or "",
            "status": self.status.data or None,
            "group": int(self.group.data) if self.group.data else None,
            "housing_area_id": int(self.area.data) if self.area.data else None,
        }
