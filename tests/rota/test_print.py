"""The printed weekly rota fits one A4 page (Chromium's own PDF output, counted with pypdf)."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from netvaerk.rota import services

from ..factories import make_meeting, make_participant
from .conftest import MONDAY, make_chore

CHROMIUM = Path("/usr/bin/chromium")
CSS = Path(__file__).resolve().parents[2] / "netvaerk" / "static" / "netvaerk.css"
A4_POINTS = (595, 842)


def _print_to_pdf(html: str, tmp_path: Path) -> Path:
    """Save the page with the stylesheet inlined and let headless Chromium print it."""
    inlined = re.sub(
        r'<link rel="stylesheet" href="[^"]+">',
        lambda _m: "<style>" + CSS.read_text() + "</style>",
        html,
    )
    page = tmp_path / "rota.html"
    page.write_text(inlined, encoding="utf-8")
    pdf = tmp_path / "rota.pdf"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
def test_a_full_week_prints_on_one_a4_page(login_as, client, network, tmp_path, clock):
    """A busy week: five meetings, eight chores (some for three people), long names."""
    people = [
        make_participant(network, name, "Test")
        for name in (
            "Amina",
            "Bo",
            "Camilla",
            "Dariusz",
            "Ebru",
            "Fatima",
            "Gunnar",
            "Hassan-Mohammed",
            "Ingeborg",
            "Jens",
            "Khadija",
            "Lars",
        )
    ]
    assert people
    for day in range(5):
        make_meeting(network, MONDAY + timedelta(days=day))
    for name, needed in (
        ("Kaffe og te", 2),
        ("Oprydning i lokalet", 1),
        ("Opvask", 3),
        ("Rengøring af køkken og toiletter", 2),
        ("Have", 1),
        ("Indkøb", 1),
        ("Affald og genbrug", 1),
        ("Borde og stole på plads", 1),
    ):
        make_chore(network, name, needed)
    services.generate_rota(network.id, MONDAY, MONDAY + timedelta(days=6))
    login_as("coordinator")
    response = client.get(f"/rota/print?week={MONDAY.isoformat()}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hassan-Mohammed" in html and "Rengøring af køkken og toiletter" in html
    reader = PdfReader(_print_to_pdf(html, tmp_path))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
