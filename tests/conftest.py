"""Shared fixtures: settings, one loaded analyser per session, the shared/ folder if present, a
small synthetic database with corrections (the web load benchmark's generator)."""

from __future__ import annotations

import importlib.util
import sys
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
