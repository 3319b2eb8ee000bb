"""Chores tables on phones: no word split inside ("Opga/ve", "Hv/em", "Ge/m", issue 29)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "netvaerk"


def test_todays_chores_table_scrolls_in_a_wrapper_on_the_register():
    """A table that does not fit scrolls sideways instead of squeezing its words."""
    part = (ROOT / "templates" / "netvaerk" / "rota" / "_today_part.html").read_text()
    assert re.search(r'<div class="table-wrap"[^>]*>\{\{ assignment_table\(', part)
