"""Alembic environment of the example intranet: its own tables and version table only."""

from alembic import context
from flask import current_app

db = current_app.extensions["migrate"].db


def include_object(obj, name, type_, reflected, compare_to):
    """netvaerk's tables belong to netvaerk's own migrations."""
    return not (type_ == "table" and name.startswith("netvaerk_"))


with db.engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=db.metadata,
        include_object=include_object,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
