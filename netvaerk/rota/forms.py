"""Forms of the rota: a chore, a period to generate, a swap."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..core.exports import NotAFormula
from ..i18n_forms import BaseForm
from ..labels import WEEKDAY_LABELS


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ChoreForm(BaseForm):
    """A chore: name, people per meeting, weekdays it applies on."""

    name = StringField(
        _l("Name of the chore"), validators=[DataRequired(), Length(max=80), NotAFormula()]
    )
    people_needed = IntegerField(
        _l("People needed per meeting"),
        default=1,
        validators=[
            InputRequired(message=_l("Give a whole number.")),
            NumberRange(min=1, max=20, message=_l("Give a number from 1 to 20.")),
        ],
    )
    weekdays = CheckboxesField(
        _l("Weekdays it applies on"),
        coerce=int,
        choices=[SelectChoice(i, label) for i, label in enumerate(WEEKDAY_LABELS)],
        default=[0, 1, 2, 3, 4],
    )
    submit = SubmitField(_l("Save chore"))

    def validate_weekdays(self, field):
        """At least one weekday."""
        if not field.data:
            raise ValidationError(_l("Choose at least one weekday."))


class GenerateForm(BaseForm):
    """The period of meetings to make the rota for."""

    start = DateField(_l("From"), validators=[InputRequired(message=_l("Give a date."))])
    end = DateField(_l("To"), validators=[InputRequired(message=_l("Give a date."))])
    submit = SubmitField(_l("Make the rota"))

    def validate_end(self, field):
        """The end is not before the start."""
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The end date must be on or after the start date."))


class SwapForm(BaseForm):
    """The other assignment to swap with."""

    other = SelectField(_l("Swap with"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Swap"))
