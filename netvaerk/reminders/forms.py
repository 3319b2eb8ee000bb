"""The reminders' forms: a network's settings, a resident's consent."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SubmitField

from ..i18n_forms import BaseForm
from .rules import SETTINGS


class SettingsForm(BaseForm):
    """Which reminders the network sends."""

    submit = SubmitField(_l("Save"))


for _name, _label in SETTINGS.items():
    setattr(SettingsForm, _name, BooleanField(_label))


class ConsentForm(BaseForm):
    """Turn a resident's reminders on or off."""

    wanted = HiddenField()
    submit = SubmitField(_l("Save"))


class StopForm(BaseForm):
    """The one button of the resident's unsubscribe page (no CSRF: RFC 8058 one-click)."""

    class Meta:
        csrf = False

    submit = SubmitField(_l("Stop the e-mails"))
