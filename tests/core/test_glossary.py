"""The Danish catalogue keeps to one word per role and action (translations/glossary.json)."""

import json
import re
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def _danish_texts() -> list[str]:
    with (TRANSLATIONS / "da" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    texts = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend(s for s in strings if s)
    return texts


def test_the_danish_catalogue_uses_the_glossarys_words():
    glossary = json.loads((TRANSLATIONS / "glossary.json").read_text(encoding="utf-8"))
    texts = _danish_texts()
    assert len(texts) > 500
    for term in glossary["terms"]:
        assert any(term["use"] in text.lower() for text in texts), term["use"]
        for word in term["avoid"]:
            found = [t for t in texts if re.search(rf"\b{word}", t, flags=re.IGNORECASE)]
            assert not found, f"use “{term['use']}”, not “{word}”: {found}"
