"""The one permission helper every view uses, and the current network of a request."""

from functools import wraps

from flask import abort, g, session
from flask_login import current_user
from sqlalchemy import String, bindparam
from sqlalchemy.orm import contains_eager

from ..extensions import db, login_manager
from .models import EndedSession, Membership, Network, User
from .statements import built_once, number

PREFETCHED_KEY = "_netvaerk_memberships_of"


@built_once
def _user_with_memberships():
    # Whether this browser's session has logged out, in the same statement (auth.sessions).
    ended = (
        db.select(EndedSession.id)
        .where(EndedSession.session_hash == bindparam("session_hash", type_=String))
        .exists()
    )
    return (
        db.select(User, Membership, ended.label("ended"))
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(Network, Network.id == Membership.network_id)
        .options(contains_eager(Membership.network))
        .where(User.id == number("user_id"))
        .order_by(Network.name)
    )


def load_user_with_memberships(user_id: int, session_hash: str = "") -> User | None:
    """A user with their memberships and networks (by the network's name), in one query; the
    memberships are kept for this request's `load_current_network`, which then needs none.
    None also when `session_hash` names a session that has logged out."""
    parameters = {"user_id": user_id, "session_hash": session_hash}
    rows = db.session.execute(_user_with_memberships(), parameters).all()
    if not rows or rows[0][2]:
        return None
    setattr(g, PREFETCHED_KEY, (user_id, [m for _, m, _ended in rows if m is not None]))
    return rows[0][0]


def load_current_network() -> None:
    """Set `g.network` and `g.role` from the user's memberships and the chosen network."""
    g.network = None
    g.role = None
    g.memberships = []
    if not current_user.is_authenticated:
        return
    prefetched = g.get(PREFETCHED_KEY)
    if prefetched is not None and prefetched[0] == current_user.id:
        memberships = prefetched[1]  # loaded with the user (`load_user_with_memberships`)
    else:
        memberships = (
            db.session.execute(
                db.select(Membership)
                .join(Membership.network)
                .options(contains_eager(Membership.network))
                .where(Membership.user_id == current_user.id)
                .order_by(Network.name)
            )
            .scalars()
            .all()
        )
    g.memberships = memberships
    if not memberships:
        return
    chosen = session.get("network_id")
    membership = next((m for m in memberships if m.network_id == chosen), memberships[0])
    g.network = membership.network
    g.role = membership.role


def roles_required(*roles: str, admin: bool = False):
    """Allow the view to users holding one of `roles` in the current network.

    `admin=True` also (or only, with no roles) allows site administrators. Anonymous users
    go to the login page; everyone else without the right gets 403, never data.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if admin and current_user.is_admin:
                return view(*args, **kwargs)
            if g.get("role") in roles and g.get("network") is not None:
                return view(*args, **kwargs)
            abort(403)

        wrapped.netvaerk_roles = roles
        wrapped.netvaerk_admin = admin
        return wrapped

    return decorator


def kiosk_allowed(view):
    """Mark a view the kiosk account may open; every other view answers 403 to the kiosk."""
    view.netvaerk_kiosk_allowed = True
    return view


def public(view):
    """Mark a view that needs no login (login page, language switch, token links)."""
    view.netvaerk_public = True
    return view


# The largest value of a database integer id; a larger number in a URL names no row.
MAX_ID = 2**31 - 1


def get_in_network(model, object_id: int, options=()):
    """Load a row of the current network by id, or answer 404 (also for other networks' rows).

    `options` are loader options for the one statement (e.g. a collection the page shows)."""
    if isinstance(object_id, int) and not 0 <= object_id <= MAX_ID:
        abort(404)  # the database would refuse the number (a 500), not just find nothing
    obj = db.session.get(model, object_id, options=options)
    if obj is None or getattr(obj, "network_id", None) != g.network.id:
        abort(404)
    return obj
