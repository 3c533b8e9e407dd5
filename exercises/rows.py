"""A row made if missing and locked, in one statement.

The write paths that record a student's answer serialise on one row (their
progress on a question, their mastery of a topic), which may not exist yet.
A get-or-create and then SELECT … FOR UPDATE take two round trips (and,
through the ORM, a savepoint or a caught IntegrityError); INSERT … ON
CONFLICT DO UPDATE does both at once on PostgreSQL and on SQLite: it makes
the row, or meets the one there and locks it as an update does (a
concurrent writer of the same row waits for this transaction, then meets the
row), and returns what the caller reads of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models


def row_locked(
    model: type[models.Model],
    *,
    keys: Mapping[str, Any],
    made: Mapping[str, Any],
    read: Sequence[str],
) -> tuple[Any, ...]:
    """The values of the fields `read` of the row of `model` whose `keys` (the
    fields of one of its unique constraints) have these values, made with the
    values `made` (at least one) for its other fields when it is missing, and
    locked until the end of the transaction either way. Call it inside one.
    The values come as the database gives them, with no field's conversion:
    read ids and numbers."""
    fields = {name: model._meta.get_field(name) for name in (*keys, *made, *read)}
    values = {**keys, **made}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)

    def column(name: str) -> str:
        return quote(str(fields[name].column))  # type: ignore[union-attr]

    # A column other than the keys set to itself: the update only takes the lock.
    touched = column(next(iter(made)))
    sql = (
        f"INSERT INTO {table} ({', '.join(column(name) for name in values)}) "  # noqa: S608 - the model's own names
        f"VALUES ({', '.join(['%s'] * len(values))}) "
        f"ON CONFLICT ({', '.join(column(name) for name in keys)}) "
        f"DO UPDATE SET {touched} = {table}.{touched} "
        f"RETURNING {', '.join(column(name) for name in read)}"
    )
    parameters = [
        fields[name].get_db_prep_save(value, connection)  # type: ignore[union-attr]
        for name, value in values.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return tuple(cursor.fetchone())
