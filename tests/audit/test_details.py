"""The audit log shows details in words, in the reader's language (no raw "left 2026-12-05")."""

import pytest
from flask_babel import force_locale

from netvaerk.audit.details import describe
from netvaerk.audit.services import record
from netvaerk.extensions import db

STORED = [
    (
        "participant.left",
        "left 2026-12-05",
        "Stoppet pr. 5. december 2026",
        "Left as of 5 December 2026",
    ),
    (
        "attendance.update",
        "meeting 12 2026-11-30: present",
        "Møde den 30. november 2026: til stede",
        "Meeting on 30 November 2026: present",
    ),
    (
        "rota.generate",
        "2026-11-30 – 2026-12-06: 12 chores",
        "30. november 2026 til 6. december 2026: 12 opgaver fordelt",
        "30 November 2026 to 6 December 2026: 12 tasks given out",
    ),
    (
        "privacy.purge",
        "left: 1, never started: 0, audit events: 3",
        "1 person slettet efter udmeldelse, 0 som aldrig startede, 3 gamle logposter slettet",
        "1 person erased after leaving, 0 who never started, 3 old audit events deleted",
    ),
    (
        "rota.change",
        "swap: chore 3, meeting 12",
        "opgaver byttet (opgave nr. 3, møde nr. 12)",
        "tasks swapped (task no. 3, meeting no. 12)",
    ),
    (
        "stats.reopen",
        "2026-11: late_registration",
        "november 2026: Sen registrering",
        "November 2026: Late registration",
    ),
    ("participant.update", "phone, email", "Ændret: telefon, e-mail", "Changed: phone, e-mail"),
    ("evaluation.paper_offered", "Slutevaluering", "Slutevaluering", "Slutevaluering"),
]


@pytest.mark.parametrize(("action", "detail", "danish", "english"), STORED)
def test_details_are_said_in_words_in_both_languages(app, action, detail, danish, english):
    for language, expected in (("da", danish), ("en", english)):
        with app.test_request_context("/"), force_locale(language):
            assert describe(action, detail) == expected


def test_the_audit_page_shows_no_raw_details(app, client, login_as, network):
    login_as("coordinator")
    for action, detail, _danish, _english in STORED:
        record(action, network_id=network.id, detail=detail)
    record("attendance.update", network_id=network.id, detail="meeting 1 2026-13-45: present")
    db.session.commit()
    page = client.get("/audit").get_data(as_text=True)
    for _action, _detail, danish, _english in STORED:
        assert danish in page
    for raw in ("left 2026-12-05", "meeting 12 2026-11-30", "chores", "audit events:"):
        assert raw not in page
    assert "meeting 1 2026-13-45: present" in page  # not a date: shown as stored, no error
