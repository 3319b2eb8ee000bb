"""Helpers for the meeting, participant and kiosk tests: a frozen clock, forms and page parts."""

from datetime import datetime

import pytest

from netvaerk import timeutil

from ..conftest import csrf_token_from


def freeze_local_now(monkeypatch, moment: datetime) -> None:
    """Make `timeutil.local_now()` (and so today's date) return `moment`."""
    monkeypatch.setattr(timeutil, "local_now", lambda: moment)


def post_form(client, page_url: str, action_url: str, data: dict, **kwargs):
    """POST `data` to `action_url` with the CSRF token of `page_url`, like a browser."""
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    return client.post(action_url, data={"csrf_token": token, **data}, **kwargs)


@pytest.fixture
def slot_part(app):
    """Register a page part with an inline template for the test; removed afterwards."""
    from jinja2 import ChoiceLoader, DictLoader

    from netvaerk.core import registry

    templates: dict[str, str] = {}
    parts = registry.current_registry().page_parts
    saved_parts = list(parts)
    loaders = [DictLoader(templates)] + ([app.jinja_loader] if app.jinja_loader else [])
    app.jinja_loader = ChoiceLoader(loaders)

    def add(slot: str, source: str, context):
        name = f"test/part{len(templates)}.html"
        templates[name] = source
        parts.append(registry.PagePart(slot, name, context))

    yield add
    parts[:] = saved_parts
