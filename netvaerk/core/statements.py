"""Statements built once, with their values as bound parameters.

A query built with `select(...)` on every call costs more in Python than the database takes
to answer it (the report's sections: building, then hashing for SQLAlchemy's cache of
compiled statements). A function decorated with `built_once` builds its statement on first
use, with named parameters (`ids()`, `day("first")`, `number("year")`); later calls execute
the same object with the values (`db.session.execute(statement(), {"first": ...})`): its
cache key is memoized and its compiled form found in the engine's cache.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TypeVar

from sqlalchemy import Date, Integer, bindparam

T = TypeVar("T")


def built_once(builder: Callable[[], T]) -> Callable[[], T]:
    """Decorator: build the statement on first call, then return the same one."""
    return cache(builder)


def ids(name: str = "network_ids"):
    """A list of ids, bound as an expanding parameter (`column.in_(ids())`)."""
    return bindparam(name, expanding=True, type_=Integer())


def day(name: str):
    """A date, bound by name."""
    return bindparam(name, type_=Date())


def number(name: str):
    """An integer, bound by name."""
    return bindparam(name, type_=Integer())
