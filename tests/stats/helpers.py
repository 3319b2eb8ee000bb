"""Helpers of the statistics tests."""

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.stats import closing


def close(network, year: int, month: int, user=None):
    """Close a month as a request would: the service flushes, the caller commits."""
    report = closing.close_month(network, year, month, user, timeutil.local_today())
    db.session.commit()
    return report
