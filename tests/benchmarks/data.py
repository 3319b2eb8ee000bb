"""The bench's databases, with the generated data cached between runs as template databases.

Generating 300 networks x 5 years takes minutes. The first run keeps a copy of what it
generated as a PostgreSQL template database, named after what the data depends on: the seed,
the sizes, the day it was generated for (`--open-now` opens today's meetings) and the schema
and generator code. A later run with the same key copies the template
(`CREATE DATABASE ... TEMPLATE ...`, seconds) instead of generating again; every run so starts
from the same untouched data. Templates of the same size with another key are dropped.

Every database the bench creates or drops is named after the database it was given (`--db`,
`netvaerk_bench` by default): `<db>`, `<db>_small` and the templates `<db>_tpl_...`, so two
benches on one server with different `--db` never touch each other's databases.
"""

from __future__ import annotations

import hashlib
import time
from datetime import date

from tests.benchmarks.common import ROOT, flask


def _admin(server: str):
    import psycopg

    dsn = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    return psycopg.connect(dsn, autocommit=True)


def _check(name: str, prefix: str) -> None:
    """Refuse any database that is not one of this bench's own (named after `prefix`)."""
    assert name.startswith(prefix) and name.replace("_", "").isalnum(), (name, prefix)


def code_key() -> str:
    """A digest of what the data depends on besides seed and size: schema and generators."""
    digest = hashlib.sha256()
    paths = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    paths += [ROOT / "netvaerk" / "demo.py"]
    paths += sorted((ROOT / "netvaerk" / "generate").glob("*.py"))
    paths += sorted((ROOT / "netvaerk").glob("*/generated.py"))
    paths += sorted((ROOT / "netvaerk").glob("*/demo.py"))
    for path in paths:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(date.today().isoformat().encode())
    return digest.hexdigest()[:10]


def template_name(db: str, kind: str) -> str:
    """The cache's database name for a kind of data (`demo`, `g3x1.0s1`), after the bench's
    database name without its `_small`/`_soak` ending (`netvaerk_bench_tpl_g3x1p0s1_<key>`)."""
    kind = kind.replace(".", "p")
    return f"{_base(db)}_tpl_{kind}_{code_key()}"


def _base(db: str) -> str:
    """The bench's own prefix: its database name without `_small`, `_soak` or `_tpl_...`."""
    db = db.split("_tpl_")[0]
    for ending in ("_small", "_soak"):
        if db.endswith(ending):
            return db[: -len(ending)]
    return db


def recreate_database(server: str, name: str, template: str | None = None) -> None:
    """Drop and create a database of our own (never another one), optionally as a copy."""
    _check(name, _base(name))
    with _admin(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            _check(template, _base(name))
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            connection.execute(f'CREATE DATABASE "{name}"')


def database_exists(server: str, name: str) -> bool:
    with _admin(server) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return row.fetchone() is not None


def drop_stale_templates(server: str, keep: str) -> list[str]:
    """Drop the cached templates of the same kind whose key is not `keep`'s."""
    prefix = keep.rsplit("_", 1)[0] + "_"
    with _admin(server) as connection:
        names = [row[0] for row in connection.execute("SELECT datname FROM pg_database")]
        stale = [name for name in names if name.startswith(prefix) and name != keep]
        for name in stale:
            _check(name, prefix)
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return stale


def prepare(server: str, name: str, kind: str, build, use_cache: bool = True) -> dict:
    """Give database `name` the data of `kind`: a copy of the cached template, or built by
    `build(url)` (then cached). Returns what happened and how long it took."""
    template = template_name(name, kind)
    url = f"{server}/{name}"
    start = time.monotonic()
    if use_cache and database_exists(server, template):
        recreate_database(server, name, template)
        return {"cached": True, "template": template, "seconds": _since(start)}
    recreate_database(server, name)
    output = build(url)
    built = _since(start)
    if use_cache:
        drop_stale_templates(server, template)
        recreate_database(server, template, name)
    return {"cached": False, "template": template, "seconds": built, "output": output}


def build_demo(instance: str):
    """The demo data (`flask demo`) on an empty database."""

    def build(url: str) -> list[str]:
        flask(url, instance, "db", "upgrade")
        return flask(url, instance, "demo").strip().splitlines()[-5:]

    return build


def build_generated(instance: str, networks: int, years: float, seed: int):
    """Generated data (`flask generate ... --open-now`) on an empty database."""

    def build(url: str) -> list[str]:
        flask(url, instance, "db", "upgrade")
        output = flask(
            url,
            instance,
            "generate",
            "--networks",
            str(networks),
            "--years",
            str(years),
            "--seed",
            str(seed),
            "--open-now",
        )
        return output.strip().splitlines()[-25:]

    return build


def _since(start: float) -> float:
    return round(time.monotonic() - start, 1)
