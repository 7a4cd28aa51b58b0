"""Shared fixtures: settings, one loaded analyser per session, the shared/ folder if present."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from redline.models import Doc, Statement
from redline.pipeline import Analyser
from redline.settings import Settings

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
