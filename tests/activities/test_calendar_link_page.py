"""The calendar link: two taps from the facilitator's start page, shown whole, with a copy
button, a QR code and short help for iPhone and Android; the URL holds only the token."""

import re
from html import unescape
from urllib.parse import unquote

import segno

from ..conftest import csrf_token_from

LINK_RE = re.compile(
    r'<code id="feed-link">(http://localhost/activities/calendar/([^<"]+)\.ics)</code>'
)


def test_the_start_page_leads_to_the_link_in_two_taps(client, login_as, network):
    facilitator = login_as("facilitator")
    start = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/activities/calendar"' in start  # tap 1
    page = client.get("/activities/calendar").get_data(as_text=True)
    answer = client.post("/activities/calendar", data={"csrf_token": csrf_token_from(page)})
    html = answer.get_data(as_text=True)  # tap 2: the link
    found = LINK_RE.search(html)
    assert found, "the link is shown whole, as text"
    link, token = found.groups()
    assert '<input id="feed-link"' not in html  # not cut off in a field
    assert len(token) >= 40  # the random feed token, nothing else
    assert facilitator.email not in link and facilitator.name not in link
    assert 'data-copy-target="feed-link"' in html and "Kopiér linket" in html
    assert "iPhone" in html and "Android" in html
    assert "Tilføj abonnementskalender" in html and "Fra webadresse" in html


def test_the_qr_code_holds_the_link(client, login_as, network):
    login_as("facilitator")
    page = client.get("/activities/calendar").get_data(as_text=True)
    html = client.post("/activities/calendar", data={"csrf_token": csrf_token_from(page)}).get_data(
        as_text=True
    )
    link = LINK_RE.search(html).group(1)
    src = re.search(
        r'<img src="(data:image/svg\+xml[^"]+)" alt="QR-kode med dit kalenderlink"', html
    )
    assert src, "a QR code as an inline SVG"
    uri = unescape(src.group(1))
    assert "<svg" in unquote(uri.split(",", 1)[1])
    assert uri == segno.make(link, error="m").svg_data_uri(scale=4, border=2)
