"""Forms for scoring the wheel of life, for a resident's own areas and for the network's."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.exports import NotAFormula
from ..i18n_forms import BaseForm, to_choices
from .models import SCORE_MAX, SCORE_MIN

NEEDED = _l("Please fill in this field.")
SCORE_RANGE = _l("Give a score from 0 to 10.")
CONSENT = _l(
    "The participant agrees that their wheel of life is stored, including how they rate "
    "their own health. They can withdraw this at any time; the wheel is then deleted."
)


class CheckboxesField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BaseScoringForm(BaseForm):
    """Date, goal and plans; one score field per area is added by `scoring_form`."""

    scored_on = DateField(_l("Date"), [DataRequired(_l("Give the date as day, month and year."))])
    goal = TextAreaField(
        _l("The participant's goal, in their own words"), [Optional(), Length(max=2000)]
    )
    plan_a = TextAreaField(_l("Next steps: plan A"), [Optional(), Length(max=2000)])
    plan_b = TextAreaField(_l("Plan B"), [Optional(), Length(max=2000)])
    plan_c = TextAreaField(_l("Plan C"), [Optional(), Length(max=2000)])
    consent = BooleanField(CONSENT)
    submit = SubmitField(_l("Save the wheel"))


def scoring_form(areas, locale: str, **kwargs) -> BaseScoringForm:
    """A scoring form with a 0-10 field for each of `areas` (the network's areas on the
    resident's wheel and their own), named by the area's key."""

    class ScoringForm(BaseScoringForm):
        pass

    for area in areas:
        setattr(
            ScoringForm,
            area.key,
            IntegerField(
                area.name(locale),
                [InputRequired(SCORE_RANGE), NumberRange(SCORE_MIN, SCORE_MAX, SCORE_RANGE)],
                render_kw={"min": SCORE_MIN, "max": SCORE_MAX, "inputmode": "numeric"},
            ),
        )
    return ScoringForm(**kwargs)


class BaseWheelAreasForm(BaseForm):
    """The areas on one resident's wheel: which of the network's, which of their own, and a new
    one of their own. The choices are set by `wheel_areas_form`."""

    areas = CheckboxesField(_l("Areas from the network's list"), coerce=int)
    own = CheckboxesField(_l("The participant's own areas"), coerce=int)
    new_area = StringField(
        _l("Add an area of the participant's own"),
        [NotAFormula()],
        # No maxlength: the browser would cut a longer name without a word; the service
        # refuses it with a message naming OWN_NAME_MAX and the text is kept (issue 29).
        render_kw={"autocomplete": "off"},
    )
    consent = BooleanField(CONSENT)
    submit = SubmitField(_l("Save the areas"))


def wheel_areas_form(wheel, locale: str, **kwargs) -> BaseWheelAreasForm:
    """The form for one resident's wheel (`personal_areas.PersonalWheel`): the network's areas
    in use and the resident's own areas as checkboxes, ticked as they are on the wheel now."""
    form = BaseWheelAreasForm(**kwargs)
    form.areas.choices = to_choices(
        (a.id, a.name(locale)) for a in wheel.network_areas if a.is_active
    )
    form.own.choices = to_choices((row.id, row.own_name) for row in wheel.own_areas)
    if not form.is_submitted():
        now = {area.key for area in wheel.current()}
        form.areas.data = [a.id for a in wheel.network_areas if a.key in now]
        form.own.data = [row.id for row in wheel.own_areas if row.key in now]
    return form


class CsrfOnlyForm(BaseForm):
    """Only the CSRF token, for buttons."""


class AreaForm(BaseForm):
    """The name of an area in Danish and English."""

    name_da = StringField(
        _l("Name in Danish"), [DataRequired(NEEDED), Length(max=80), NotAFormula()]
    )
    name_en = StringField(
        _l("Name in English"), [DataRequired(NEEDED), Length(max=80), NotAFormula()]
    )
    submit = SubmitField(_l("Save area"))
