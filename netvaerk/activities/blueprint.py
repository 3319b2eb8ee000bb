"""The activities blueprint and what its view modules share (the roles that plan, template
globals). Defined here, apart from the routes, so that `views`, `feed_views`, `signup_views`
and `staff_views` each import it and none imports another."""

from flask import Blueprint

from ..labels import language
from .parts import open_places_text

bp = Blueprint("activities", __name__, url_prefix="/activities")
bp.add_app_template_global(open_places_text, "open_places_text")

PLANNERS = ("coordinator", "facilitator")


def type_name(activity_type) -> str:
    """The name of an activity type in the page's language ("" without a type)."""
    return activity_type.name_for(language()) if activity_type else ""


@bp.app_template_global("activity_type_name")
def activity_type_name(activity_type) -> str:
    """The name of an activity type in the page's language."""
    return type_name(activity_type)
