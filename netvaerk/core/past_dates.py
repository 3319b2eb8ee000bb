"""A new meeting or activity on a date that has passed asks for confirmation first.

The view calls `past_date_unconfirmed(day, today)` after validating its form; when it answers
True the view shows the form again, and the form's `past_date_confirmation()` macro (in
macros/forms.html) shows the warning with a hidden field, so sending again confirms.
"""

from datetime import date

from flask import g, request

from .dates import in_window

CONFIRM_FIELD = "confirm_past_date"


def past_date_unconfirmed(day: date | None, today: date) -> bool:
    """True when `day` is before `today` and the form has not confirmed it yet. A day outside
    the accepted window (`core.dates`) is not asked about: the service refuses it with a message."""
    if day is None or day >= today or request.form.get(CONFIRM_FIELD) == "1":
        return False
    if not in_window(day, today):
        return False
    g.netvaerk_past_date = day
    return True
