"""Helpers of the statistics tests."""

import re

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.stats import closing


def close(network, year: int, month: int, user=None):
    """Close a month as a request would: the service flushes, the caller commits."""
    report = closing.close_month(network, year, month, user, timeutil.local_today())
    db.session.commit()
    return report


CSRF_VALUE = re.compile(rb'(name="csrf_token" value=")[^"]*(")')


def page_without_token(response) -> bytes:
    """A page's bytes with its CSRF tokens blanked: a token is signed with the second it was
    made in, so two pages of the same content differ there and nowhere else."""
    return CSRF_VALUE.sub(rb"\1\2", response.get_data())
