"""Issue 30: the tablet stays a kiosk. Every page the kiosk account reaches (the grid, the code
step, the confirmation, the closed screen, the exit evaluation on the tablet, its error pages)
has no log-out, no menu and no staff language switch; the residents' own language buttons stay.
"""

import re
from datetime import datetime
from urllib.parse import urlsplit

from netvaerk.evaluations import delivery
from netvaerk.evaluations.models import TabletSession
from netvaerk.extensions import db
from netvaerk.participants.services import set_code
from netvaerk.timeutil import utcnow

from ..evaluations.helpers import make_form
from ..factories import make_participant
from ..meetings.util import freeze_local_now
from .test_kiosk import _tap

HREF = re.compile(r'href="([^"]+)"')


def _staff_chrome(html: str) -> list[str]:
    """What of the staff's page frame a page shows: log-out, menu, staff language switch."""
    found = []
    if "/logout" in html or re.search(r">\s*(Log ud|Log out)\s*<", html):
        found.append("log-out")
    if "<nav" in html or "main-nav" in html or re.search(r">\s*Menu\s*<", html):
        found.append("menu")
    if "language-switch" in html or 'class="toolbar"' in html:
        found.append("staff language switch")
    return found


def _walk(client, start: list[str]) -> dict[str, str]:
    """Every page reached from `start` by following links (GET), as the kiosk sees them."""
    pages: dict[str, str] = {}
    queue = list(start)
    while queue:
        url = queue.pop(0)
        if url in pages or len(pages) > 30:
            continue
        response = client.get(url, follow_redirects=True)
        assert response.status_code < 500, url
        html = response.get_data(as_text=True)
        pages[url] = html
        for link in HREF.findall(html):
            path = urlsplit(link)
            if path.netloc or not path.path.startswith("/") or path.path.startswith("/static"):
                continue
            queue.append(path.path)
    return pages


def test_no_page_the_kiosk_reaches_shows_staff_chrome(app, kiosk, monkeypatch):
    client, network = kiosk["client"], kiosk["network"]
    # A form waiting on the tablet for a resident who left (the exit evaluation).
    form = make_form(network)
    leaver = make_participant(network, "Sofie", "Jensen", status="left")
    delivery.open_on_tablet(form, leaver, None, utcnow())
    # A resident with a personal code (the code step).
    network.checkin_code_required = True
    db.session.commit()
    with app.test_request_context():
        set_code(kiosk["amina"], "2580", user_id=kiosk["user"].id)
    db.session.commit()  # the service only flushes
    tablet = db.session.execute(db.select(TabletSession)).scalar_one()

    pages = {
        "code step": _tap(client, kiosk["amina"]),
        "confirmation": _tap(client, kiosk["lone"]),
    }
    assert 'name="code"' in pages["code step"].get_data(as_text=True)
    assert "Velkommen, Lone!" in pages["confirmation"].get_data(as_text=True)
    walked = _walk(
        client,
        [
            "/",
            "/kiosk/",
            f"/evaluations/tablet/{tablet.id}",
            "/kiosk/code/999999",
            "/participants/",
        ],
    )
    freeze_local_now(monkeypatch, datetime(2026, 3, 4, 20, 0))  # after the meeting
    closed = client.get("/kiosk/").get_data(as_text=True)
    assert "Der er ikke noget møde lige nu" in closed

    htmls = {name: r.get_data(as_text=True) for name, r in pages.items()}
    htmls.update(walked)
    htmls["closed screen"] = closed
    assert f"/evaluations/tablet/{tablet.id}" in htmls
    assert "Slutevaluering" in htmls[f"/evaluations/tablet/{tablet.id}"]
    assert len(htmls) >= 7, sorted(htmls)
    problems = {name: _staff_chrome(html) for name, html in htmls.items() if _staff_chrome(html)}
    assert problems == {}
    # The residents' own language choice stays: on the kiosk's pages and on the form.
    for name in ("code step", "confirmation", "closed screen", "/kiosk/"):
        assert 'class="kiosk-language"' in htmls[name], name
        assert 'value="en"' in htmls[name] and 'value="da"' in htmls[name], name
    assert 'class="evaluation__language"' in htmls[f"/evaluations/tablet/{tablet.id}"]


def test_staff_still_have_their_menu_log_out_and_language_switch(client, login_as):
    """The kiosk's frame is the kiosk's only: a coordinator's pages keep the staff frame."""
    login_as("coordinator")
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert set(_staff_chrome(html)) == {"log-out", "menu", "staff language switch"}
