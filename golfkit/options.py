"""All build settings in one frozen dataclass; read from ``[tool.golfkit]`` then overridden by flags."""

from __future__ import annotations

import dataclasses
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from golfkit.errors import UsageError

TARGETS = ("chars", "bytes")
JUDGES = ("file", "stdin")


@dataclass(frozen=True)
class Options:
    source: Path = Path("reference/microgpt.py")
    target: str = "chars"
    dataset: Path | None = Path("input.txt")
    out_dir: Path = Path("build")
    passes: tuple[str, ...] | None = None  # None: the whole default pipeline
    skip: tuple[str, ...] = ()
    contract: bool = True  # allow passes that are valid only under the verified run
    pack: bool = True
    judge: str = "file"
    codecs: tuple[str, ...] = ("zopfli", "zlib", "lzma", "bz2")
    python: str = sys.executable
    precheck_python: str | None = None  # e.g. pypy3: fast pre-check of intermediate candidates
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float | None = None  # seconds per run; None: scaled from the reference's run time
    memory_limit_mb: int = 4096
    max_rounds: int = 3
    use_cache: bool = True
    cache_dir: Path | None = None  # None: the XDG cache folder
    overrides: tuple[tuple[str, str], ...] = ()  # --set NAME=VALUE, applied to the source first

    def __post_init__(self):
        if self.target not in TARGETS:
            raise UsageError(f"unknown target {self.target!r}: choose one of {', '.join(TARGETS)}")
        if self.judge not in JUDGES:
            raise UsageError(f"unknown judge {self.judge!r}: choose one of {', '.join(JUDGES)}")
        if self.jobs < 1:
            raise UsageError("--jobs must be at least 1")

    def replace(self, **changes) -> "Options":
        return dataclasses.replace(self, **changes)


_SETTING_TYPES = {
    "source": Path,
    "dataset": Path,
    "out_dir": Path,
    "python": str,
    "precheck_python": str,
    "timeout": float,
    "memory_limit_mb": int,
    "max_rounds": int,
    "jobs": int,
    "contract": bool,
    "pack": bool,
    "judge": str,
    "target": str,
    "passes": tuple,
    "skip": tuple,
    "codecs": tuple,
    "cache_dir": Path,
}


def load_settings(folder: Path) -> dict:
    """Settings from ``[tool.golfkit]`` of the nearest pyproject.toml at or above ``folder``."""
    for candidate in [folder, *folder.resolve().parents]:
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            try:
                table = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("golfkit", {})
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                raise UsageError(f"{pyproject}: invalid TOML ({error}); fix or remove [tool.golfkit]")
            return _coerce(table, pyproject, candidate)
    return {}


def _coerce(table: dict, pyproject: Path, root: Path) -> dict:
    settings = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name == "targets":  # the list of targets `golfkit build` uses when none is named
            settings["targets"] = tuple(value)
            continue
        if name not in _SETTING_TYPES:
            raise UsageError(f"{pyproject}: unknown setting [tool.golfkit] {key}")
        kind = _SETTING_TYPES[name]
        value = tuple(value) if kind is tuple else kind(value)
        if kind is Path and not value.is_absolute():
            value = root / value
        settings[name] = value
    return settings
