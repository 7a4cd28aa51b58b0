"""Shared fixtures: settings, one loaded analyser per session, the shared/ folder if present, a
small synthetic database with corrections (the web load benchmark's generator)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from alembic.config import Config

from redline.models import Doc, Statement
from redline.pipeline import Analyser
from redline.settings import Settings
from redline.store import db

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def analyser(settings: Settings) -> Analyser:
    return Analyser(settings)


@pytest.fixture()
def analyse(analyser: Analyser):
    """Analyse a text written in the test: returns its statements."""

    def run(text: str, *, published: date | None = date(2025, 4, 12)) -> list[Statement]:
        return analyser([Doc(source="test", text=text, published=published)])[0].statements

    return run


@pytest.fixture()
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


def bench_script() -> ModuleType:
    """`scripts/make_bench_db.py`, imported."""
    spec = importlib.util.spec_from_file_location(
        "make_bench_db", ROOT / "scripts" / "make_bench_db.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bench_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 synthetic statements, 120 pairs, 40 corrected statements (some marked wrong), no
    polarities kept. Copy it before changing it."""
    out = tmp_path_factory.mktemp("bench") / "bench.db"
    bench_script().make(
        out, statements=1200, per_doc=6, contradictions=120, corrections=40, seed=11, keep=False
    )
    return out


def database_at(path: Path, revision: str, *rows: str) -> None:
    """A database at `path` migrated only up to `revision`, with `rows` (SQL) written in it:
    what an older redline left, for a migration to take up."""
    engine = db.create(db.to_url(str(path)), busy_timeout_ms=1000)
    try:
        config = Config()
        config.set_main_option("script_location", str(db.MIGRATIONS))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        with engine.begin() as connection:
            for sql in rows:
                connection.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _postgres_bin() -> Path | None:
    """The folder holding Debian's PostgreSQL server programs (initdb, pg_ctl), if installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server of its own on 127.0.0.1 for this test session, in a temporary
    folder, trusting local connections; yields its URL without a database name. Skips where
    PostgreSQL (Debian's `postgresql` package) or psycopg (the `postgres` extra) is missing.
    As root it runs the server as the `postgres` user, which initdb requires."""
    pytest.importorskip(
        "psycopg", reason="psycopg is not installed (pip install redline[postgres])"
    )
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    run_as: list[str] = []
    home = Path(tempfile.mkdtemp(prefix="redline-pg-"))
    if os.geteuid() == 0:
        try:
            shutil.chown(home, "postgres")
        except LookupError:
            pytest.skip("running as root with no postgres user: initdb cannot run")
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: initdb cannot run")
        run_as = ["runuser", "-u", "postgres", "--"]
    data = home / "data"
    with socket.socket() as sock:  # a free port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    def pg(*args: str) -> None:
        done = subprocess.run([*run_as, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:  # the machine's, not redline's: say why and skip
            shutil.rmtree(home, ignore_errors=True)
            pytest.skip(f"PostgreSQL would not start here: {done.stderr.strip()[-300:]}")

    pg(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "redline", "-E", "UTF8")
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(home / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql+psycopg://redline@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture()
def postgres_url(postgres_server: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty PostgreSQL database on the session's server, for one test."""
    import psycopg

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:55]
    server = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{postgres_server}/{name}"
