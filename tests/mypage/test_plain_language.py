"""The resident's page is in plain Danish: LIX <= 30 on its texts (issue 30).

LIX = words / sentences + 100 * long words / words, a long word having more than six letters.
Measured on the Danish catalogue entries of the page's own texts (each entry at least one
sentence: headings and list items stand alone), and on the Danish page as a resident sees it.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.mypage import links

ROOT = Path(__file__).resolve().parents[2]
RESIDENT_TEMPLATES = ("_content.html", "kiosk_page.html", "kiosk_code.html", "_kiosk_button.html")
# Texts of the resident's pages written in Python (flashes, the refusal, the printed sheet).
RESIDENT_MESSAGES = (
    "Thank you. Your wish is sent. It does not say who sent it.",
    "Write your wish.",
    "This link does not work",
    "It may be old or closed. Ask the staff for a new link.",
    "Your own page, %(name)s",
    "Scan the code with your phone. Then you see your own page.",
    "The link is only for you. If you lose it, ask us for a new one.",
    "Too many wrong codes. Ask a member of staff.",
    "Your wish",
    "Send the wish",
)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def lix(texts: list[str]) -> float:
    """LIX over texts, each at least one sentence."""
    words = long_words = sentences = 0
    for text in texts:
        text = re.sub(r"%\(\w+\)[sd]", "", text)
        found = WORD.findall(text)
        if not found:
            continue
        words += len(found)
        long_words += sum(1 for w in found if len(w.replace("-", "")) > 6)
        sentences += max(1, len(re.findall(r"[.!?:]+(?=\s|$)", text.strip())))
    return words / sentences + 100 * long_words / words


def test_lix_of_a_known_text():
    # 11 words, 2 sentences, 1 long word ("Aftalen"): 11/2 + 100*1/11.
    text = "Vi mødes tre gange om ugen. Aftalen er vigtig hver eneste."
    assert abs(lix([text]) - (11 / 2 + 100 / 11)) < 1e-9


def _template_msgids() -> list:
    found = []
    for name in RESIDENT_TEMPLATES:
        source = (ROOT / "netvaerk/templates/netvaerk/mypage" / name).read_text()
        found += re.findall(r'(?<![\w])_\(\s*"([^"]+)"', source)
        found += [(c, m) for c, m in re.findall(r'pgettext\(\s*"([^"]+)",\s*"([^"]+)"', source)]
        found += re.findall(r'ngettext\(\s*"([^"]+)"', source)
    return found


def test_the_pages_danish_texts_have_lix_at_most_30():
    with (ROOT / "translations/da/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    texts = []
    for msgid in [*_template_msgids(), *RESIDENT_MESSAGES]:
        message = catalog.get(msgid[1], context=msgid[0]) if isinstance(msgid, tuple) else None
        if message is None and isinstance(msgid, str):
            message = catalog.get(msgid) or next(
                (m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid), None
            )
        assert message is not None and message.string, msgid
        texts += list(message.string) if isinstance(message.string, tuple) else [message.string]
    assert len(texts) > 40
    print(f"LIX of the page's Danish texts: {lix(texts):.1f}")
    assert lix(texts) <= 30, lix(texts)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "svg", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "svg", "title")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.blocks.append(" ".join(data.split()))


def test_the_rendered_danish_page_has_lix_at_most_30(app, residents):
    token = links.make_link(residents["amina"], None, timeutil.utcnow())
    db.session.commit()
    html = app.test_client().get(f"/my/{token}").get_data(as_text=True)
    parser = _Text()
    parser.feed(html[html.index("<h1") :])
    assert "Dine gange" in parser.blocks
    print(f"LIX of the rendered Danish page: {lix(parser.blocks):.1f}")
    assert lix(parser.blocks) <= 30, (lix(parser.blocks), parser.blocks)
