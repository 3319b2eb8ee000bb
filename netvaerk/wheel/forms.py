"""Forms for scoring the wheel of life and for configuring its areas."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.exports import NotAFormula
from ..i18n_forms import BaseForm
from .models import SCORE_MAX, SCORE_MIN

NEEDED = _l("Please fill in this field.")
SCORE_RANGE = _l("Give a score from 0 to 10.")


class BaseScoringForm(BaseForm):
    """Date, goal and plans; one score field per area is added by `scoring_form`."""

    scored_on = DateField(_l("Date"), [DataRequired(_l("Give the date as day, month and year."))])
    goal = TextAreaField(
        _l("The participant's goal, in their own words"), [Optional(), Length(max=2000)]
    )
    plan_a = TextAreaField(_l("Next steps: plan A"), [Optional(), Length(max=2000)])
    plan_b = TextAreaField(_l("Plan B"), [Optional(), Length(max=2000)])
    plan_c = TextAreaField(_l("Plan C"), [Optional(), Length(max=2000)])
    consent = BooleanField(
        _l(
            "The participant agrees that their wheel of life is stored, including how they rate "
            "their own health. They can withdraw this at any time; the wheel is then deleted."
        )
    )
    submit = SubmitField(_l("Save the wheel"))


def scoring_form(areas, locale: str, **kwargs) -> BaseScoringForm:
    """A scoring form with a 0-10 field for each of `areas`."""

    class ScoringForm(BaseScoringForm):
        pass

    for area in areas:
        setattr(
            ScoringForm,
            f"area_{area.id}",
            IntegerField(
                area.name(locale),
                [InputRequired(SCORE_RANGE), NumberRange(SCORE_MIN, SCORE_MAX, SCORE_RANGE)],
                render_kw={"min": SCORE_MIN, "max": SCORE_MAX, "inputmode": "numeric"},
            ),
        )
    return ScoringForm(**kwargs)


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
