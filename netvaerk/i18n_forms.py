"""The base of every netvaerk form: WTForms' own validation messages in the user's language."""

import flask_babel
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

BAD_DATE = _l("Write the date as yyyy-mm-dd, or choose it in the calendar.")


def to_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class _CatalogueTranslations:
    """WTForms' built-in messages through netvaerk's own catalogue (WTForms has no Danish)."""

    # WTForms fills in the placeholders (%(max)d, %(min)d …) itself: translate only, without
    # Flask-Babel's formatting, which knows only %(num)d and fails on the others.
    def gettext(self, string):
        return flask_babel.get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return flask_babel.get_translations().ungettext(singular, plural, n)


class BaseForm(FlaskForm):
    """A Flask-WTF form whose built-in validation messages are translated into Danish."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _CatalogueTranslations()

        def render_field(self, field, render_kw):
            """No `maxlength` from a Length validator: the browser would cut a longer name
            without a word. The server refuses it instead, naming the limit, and the form
            keeps what was typed (issue 29)."""
            if "maxlength" in (field.render_kw or {}):  # set by hand (a 4-digit code)
                return super().render_field(field, render_kw)
            return super().render_field(field, {"maxlength": False, **render_kw})


def _wtforms_messages() -> None:  # pragma: no cover - never called; lists msgids for extraction
    _l("Not a valid date value.")
    _l("Not a valid decimal value.")
    _l("Not a valid time value.")
    _l("Not a valid integer value.")
    _l("Not a valid choice.")
    _l("This field is required.")
    _l("Invalid input.")
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    )
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    )
