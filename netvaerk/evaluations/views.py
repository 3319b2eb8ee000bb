"""Pages for evaluation forms. The blueprint's routes live in a module per subject:
defining forms (`form_views`), offering and answering them (`answer_views`) and reading the
results (`result_views`)."""

from __future__ import annotations

from . import answer_views, form_views, result_views  # noqa: F401,E402
from .blueprint import bp  # noqa: F401
