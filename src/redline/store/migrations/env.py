"""Alembic environment: runs on the connection that `redline.store.db.migrate` passes in.

There is no alembic.ini and no URL here: the store owns connections, so a migration always runs
inside the caller's transaction and either all of it lands or none of it does.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from redline.errors import StoreError
from redline.store.schema import include_name, metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise StoreError(
            "migrations run only through redline.store (open_store), not the alembic command"
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_name=include_name,
        # SQLite can roll DDL back too, once the engine emits its own BEGIN (see db.py).
        transactional_ddl=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise StoreError("offline (--sql) migrations are not supported; open the store instead")
run_migrations_online()
