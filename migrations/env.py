"""Alembic environment for netvaerk: only `netvaerk_*` tables, own version table."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

from netvaerk.extensions import db  # noqa: E402 - netvaerk's own tables, also inside a host

target_metadata = db.metadata
# Flask-Migrate's settings when it is netvaerk's own; a host's Flask-Migrate keeps its own.
_migrate = current_app.extensions.get("migrate")
MIGRATE_ARGS = (
    dict(_migrate.configure_args)
    if _migrate is not None and _migrate.db is db
    else {"compare_type": True, "render_as_batch": True}
)


def include_object(obj, name, type_, reflected, compare_to):
    """Leave a host intranet's own tables alone: netvaerk manages only its prefixed tables."""
    if type_ == "table":
        return name.startswith("netvaerk_")
    return True


def configure_args() -> dict:
    args = dict(MIGRATE_ARGS)
    args.setdefault("version_table", "netvaerk_alembic_version")
    args["include_object"] = include_object
    return args


def run_migrations_offline() -> None:
    """Emit SQL for the migrations without a database connection."""
    context.configure(
        url=str(db.engine.url).replace("%", "%%"),
        target_metadata=target_metadata,
        literal_binds=True,
        **configure_args(),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against the app's database."""

    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # A batch migration copies a table, drops the old one and renames the copy. With
            # foreign keys on, that drop would cascade to (or fail on) the rows referring to it,
            # so SQLite's own advice is followed: foreign keys off while the schema changes
            # (the PRAGMA works only outside a transaction), checked again afterwards.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            process_revision_directives=process_revision_directives,
            **configure_args(),
        )
        with context.begin_transaction():
            context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"the migration left rows without their parent: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
