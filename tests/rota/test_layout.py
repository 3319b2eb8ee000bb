"""Chores tables on phones: no word split inside ("Opga/ve", "Hv/em", "Ge/m", issue 29)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "netvaerk"
CSS = re.sub(r"/\*.*?\*/", "", (ROOT / "static" / "netvaerk.css").read_text(), flags=re.S)


def _rules(selector: str) -> list[str]:
    """The bodies of the stylesheet's rules whose selector list names `selector` itself."""
    found = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        names = [s.strip() for s in selectors.split(",")]
        if selector in names:
            found.append(body)
    return found


def test_table_cells_and_buttons_never_break_inside_a_word():
    for selector in ("th", "td", ".button"):
        bodies = _rules(selector)
        assert bodies, selector
        assert not any("anywhere" in body or "break-all" in body for body in bodies), selector
        assert any(
            "overflow-wrap: normal" in body
            and "word-break: normal" in body
            and "hyphens: manual" in body
            for body in bodies
        ), selector


def test_todays_chores_table_scrolls_in_a_wrapper_on_the_register():
    """A table that does not fit scrolls sideways instead of squeezing its words."""
    part = (ROOT / "templates" / "netvaerk" / "rota" / "_today_part.html").read_text()
    assert re.search(r'<div class="table-wrap"[^>]*>\{\{ assignment_table\(', part)
