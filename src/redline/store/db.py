"""Engines and migrations: the one place that knows how to open a redline database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from redline.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def to_url(url_or_path: str) -> URL:
    """A plain path becomes an SQLite URL; anything with `://` is taken as an SQLAlchemy URL."""
    if "://" in url_or_path:
        try:
            return make_url(url_or_path)
        except ArgumentError as e:
            raise StoreError(f"not a database URL: {url_or_path!r} ({e})") from e
    if url_or_path == ":memory:":
        return URL.create("sqlite", database=":memory:")
    return URL.create("sqlite", database=str(Path(url_or_path).expanduser()))


def shown(url: URL) -> str:
    """The URL for messages, password hidden."""
    return url.render_as_string(hide_password=True)


def create(url: URL, *, busy_timeout_ms: int) -> Engine:
    """An engine; for SQLite every connection gets WAL, foreign keys and a busy timeout."""
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError) as e:
        raise StoreError(f"cannot use database {shown(url)}: {e}") from e
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine, busy_timeout_ms=busy_timeout_ms)
    return engine


def _tune_sqlite(engine: Engine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop pysqlite from issuing BEGIN itself: it only does so before DML, which leaves DDL
        # (migrations) outside the transaction. `on_begin` issues it instead, for everything.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest revision, in one transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as e:
        raise StoreError(f"cannot open or migrate database {shown(engine.url)}: {e}") from e
