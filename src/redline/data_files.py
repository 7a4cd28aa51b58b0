"""Loading the bundled data files (registry, taxonomy, lexicons) and users' own."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from redline.errors import ConfigError


def load_toml(name_or_path: str | Path) -> dict[str, Any]:
    """Read a bundled data file by name (`taxonomy.toml`) or any TOML file by path."""
    try:
        if isinstance(name_or_path, Path):
            with name_or_path.open("rb") as fh:
                return tomllib.load(fh)
        text = resources.files("redline.data").joinpath(name_or_path).read_text("utf-8")
        return tomllib.loads(text)
    except FileNotFoundError as e:
        raise ConfigError(f"data file not found: {name_or_path}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{name_or_path}: not valid TOML ({e})") from e
