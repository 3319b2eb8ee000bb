"""Forms for defining evaluation forms, offering them, typing in paper answers and redacting."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    MonthField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.exports import NotAFormula
from ..core.once import OnceField
from ..i18n_forms import BaseForm

PURPOSE_LABELS = {
    "exit": _l("Exit evaluation"),
    "activity": _l("Activity feedback"),
    "midway": _l("Mid-way check"),
    "other": _l("Other"),
}
QUESTION_KIND_LABELS = {
    "scale": _l("Scale 1–5"),
    "yes_no": _l("Yes or no"),
    "single": _l("One choice from a list"),
    "multiple": _l("Several choices from a list"),
    "text": _l("Free text"),
}
NEEDED = _l("Please fill in this field.")


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class CsrfOnlyForm(BaseForm):
    """A form with only the CSRF token (answer pages build their fields from the questions)."""


class FormDetailsForm(BaseForm):
    """Title, introduction, purpose and anonymity of a form."""

    once_key = OnceField()
    title_da = StringField(_l("Title in Danish"), [DataRequired(NEEDED), Length(max=200)])
    title_en = StringField(_l("Title in English"), [DataRequired(NEEDED), Length(max=200)])
    intro_da = TextAreaField(_l("Introduction in Danish"), [Optional(), Length(max=2000)])
    intro_en = TextAreaField(_l("Introduction in English"), [Optional(), Length(max=2000)])
    purpose = SelectField(_l("Purpose"), choices=options(PURPOSE_LABELS.items()))
    is_named = BooleanField(
        _l("Named: store who answered (otherwise the answers are anonymous)"), default=False
    )
    submit = SubmitField(_l("Save"))


class QuestionForm(BaseForm):
    """One question, in Danish and English."""

    kind = SelectField(_l("Kind of question"), choices=options(QUESTION_KIND_LABELS.items()))
    required = BooleanField(_l("An answer is required"), default=True)
    text_da = TextAreaField(
        _l("Question in Danish"), [DataRequired(NEEDED), Length(max=1000), NotAFormula()]
    )
    text_en = TextAreaField(
        _l("Question in English"), [DataRequired(NEEDED), Length(max=1000), NotAFormula()]
    )
    low_label_da = StringField(_l("Label of 1 in Danish"), [Optional(), Length(max=120)])
    low_label_en = StringField(_l("Label of 1 in English"), [Optional(), Length(max=120)])
    high_label_da = StringField(_l("Label of 5 in Danish"), [Optional(), Length(max=120)])
    high_label_en = StringField(_l("Label of 5 in English"), [Optional(), Length(max=120)])
    choices_da = TextAreaField(_l("Choices in Danish, one on each line"), [Length(max=3000)])
    choices_en = TextAreaField(_l("Choices in English, one on each line"), [Length(max=3000)])
    submit = SubmitField(_l("Save question"))


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class OfferForm(BaseForm):
    """Open a form for a participant: on the tablet, or as a one-time link."""

    participant_id = HiddenField(validators=[InputRequired()])
    form_id = SelectField(_l("Form"), coerce=int, validate_choice=False)
    once_key = OnceField()  # a double click makes one link or paper offer, not two
    tablet = SubmitField(_l("Open on the tablet"))
    link = SubmitField(_l("Make a one-time link"))
    paper = SubmitField(_l("Give it on paper"))


class PaperMetaForm(BaseForm):
    """Whose paper answer it is: who answered a named form, or whose offer an anonymous answer
    uses up. (The outcome of an exit evaluation is the person's own; anonymous answers take the
    month of the batch they are released in, not a month of their own.)"""

    participant_id = SelectField(
        _l("Participant"), coerce=lambda v: int(v) if v else None, validate_choice=False
    )


OUTCOME_GROUP_LABELS = {
    "work_or_education": _l("Work or education"),
    "other": _l("Other outcomes"),
}


class RedactForm(BaseForm):
    """A redacted wording of a free-text answer."""

    text = TextAreaField(_l("Answer as it may be quoted"), [DataRequired(NEEDED), Length(max=4000)])
    submit = SubmitField(_l("Save the redacted answer"))


class ResultsPeriodForm(BaseForm):
    """The months a results page covers (a GET form, so without CSRF)."""

    class Meta:
        csrf = False

    start = MonthField(_l("From month"), [Optional()])
    end = MonthField(_l("To month"), [Optional()])


class ExitStatusForm(BaseForm):
    """Stop the reminder for one period's exit evaluation."""

    period_id = IntegerField(validators=[InputRequired()])
