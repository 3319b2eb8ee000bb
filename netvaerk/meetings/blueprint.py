"""The meetings blueprint, defined apart from its routes so that `views` and
`register_views` each import it and neither imports the other."""

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
