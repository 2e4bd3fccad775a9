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
JUDGES = ("file", "stdin", "utf8")
# What a build minimises: the size of the file that ships (packed, when packing), or the raw text.
OBJECTIVES = ("shipped", "raw")
# Names a build folder already uses besides the final file: its report, and stage files "NN-<pass>.py".
REPORT_NAME = "report.json"


@dataclass(frozen=True)
class Options:
    source: Path = Path("reference/microgpt.py")
    target: str = "chars"
    # Data files and folders copied into every run folder under their own names; these defaults
    # and configured ones are copied when present, those given with --data must exist.
    dataset: tuple[Path, ...] = (Path("input.txt"),)
    out_dir: Path = Path("build")
    passes: tuple[str, ...] | None = None  # None: the whole default pipeline
    skip: tuple[str, ...] = ()
    contract: bool = True  # allow passes that are valid only under the verified run
    pack: bool = True
    objective: str = "shipped"
    judge: str = "file"
    codecs: tuple[str, ...] = ("zopfli", "zlib", "lzma", "bz2")
    python: str = sys.executable
    # A faster interpreter that judges intermediate candidates: "auto" (pypy3 when installed, and
    # only if it reproduces the reference's log faster than ``python``), a name or path, or "none".
    precheck_python: str | None = "auto"
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float | None = None  # seconds per run; None: scaled from the reference's run time
    memory_limit_mb: int = 4096
    max_rounds: int = 5
    use_cache: bool = True
    cache_dir: Path | None = None  # None: the XDG cache folder
    overrides: tuple[tuple[str, str], ...] = ()  # --set NAME=VALUE, applied to the source first
    output: str | None = None  # the final file's name in build/<target>; None: the source's stem + .py
    # Test cases (golfkit.cases): a TOML file of [[case]] tables, --case argument strings (split as
    # a shell would) and --case-stdin files; none: one run with empty stdin and no arguments.
    cases_file: Path | None = None
    case_args: tuple[str, ...] = ()
    case_stdin: tuple[Path, ...] = ()
    # Golf a program that reads input without any case (on empty stdin and no arguments).
    assume_no_input: bool = False
    # Refuse a reference that exits non-zero or writes to stderr (else both are reproduced).
    require_clean: bool = False
    # Golf the program and its local modules as one file that runs alone (golfkit.bundle); else
    # only the program is golfed and its modules ship as they are.
    bundle: bool = False
    # A program that imports (or execs) SOURCE and prints what it sees: every run runs it with the
    # candidate beside it as SOURCE's file; ``keep`` names what it needs of the golfed module.
    harness: Path | None = None
    keep: tuple[str, ...] = ()
    # The search stage's budget in seconds (golfkit.search.stage; 0: no search) and its seed.
    search_seconds: float = 0.0
    seed: int = 0
    # The search's quick oracle (golfkit.search.quick): NAME=VALUE constants that scale the run,
    # lowered in each mutant for a short run against the reference under the same override.
    quick_set: tuple[str, ...] = ()
    # Run every program in the bubblewrap sandbox (golfkit.sandbox) when it works here.
    sandbox: bool = True

    def __post_init__(self):
        if self.target not in TARGETS:
            raise UsageError(f"unknown target {self.target!r}: choose one of {', '.join(TARGETS)}")
        if self.objective not in OBJECTIVES:
            raise UsageError(f"unknown objective {self.objective!r}: choose one of {', '.join(OBJECTIVES)}")
        if self.judge not in JUDGES:
            raise UsageError(f"unknown judge {self.judge!r}: choose one of {', '.join(JUDGES)}")
        if self.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        if self.timeout is not None and self.timeout <= 0:
            raise UsageError("--timeout must be a positive number of seconds")
        if self.memory_limit_mb < 0:
            raise UsageError("--memory-limit must be 0 (none) or a positive number of MB")
        if self.search_seconds < 0:
            raise UsageError("--search-seconds must be 0 (no search) or a positive number of seconds")
        if self.quick_set:
            from golfkit.overrides import parse_assignment  # libcst: only when there is one to check

            for item in self.quick_set:
                parse_assignment(item, "--quick-set")
        if self.max_rounds < 1:
            raise UsageError("--max-rounds must be at least 1")
        if self.output is not None:
            check_output_name(self.output, "--output")

    @property
    def final_name(self) -> str:
        """The final file's name in the build folder: ``output``, else named after the source."""
        if self.output is not None:
            return self.output
        name = f"{self.source.stem}.py"
        check_output_name(name, f"{self.source}: the default output")
        return name

    @property
    def precheck_wanted(self) -> str | None:
        """The pre-check interpreter asked for, None when turned off ("none")."""
        if self.precheck_python is None or self.precheck_python.lower() in ("none", "off", ""):
            return None
        return self.precheck_python

    def replace(self, **changes) -> "Options":
        return dataclasses.replace(self, **changes)


def is_stage_file_name(name: str) -> bool:
    """Whether ``name`` has the form of a stage file, "NN-<pass>.py" (a build removes stale ones)."""
    step, dash, _ = name.partition("-")
    return bool(dash) and len(step) >= 2 and step.isdigit() and name.endswith(".py")


def check_output_name(name: str, where: str) -> None:
    """A usage error unless ``name`` is a plain file name free in every build folder."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise UsageError(f"{where} {name!r}: give a file name without a folder, e.g. --output golfed.py")
    if name == REPORT_NAME or is_stage_file_name(name):
        what = "the build report" if name == REPORT_NAME else "a stage file (NN-<pass>.py)"
        raise UsageError(f"{where} {name!r}: the name of {what} in the build folder; choose another with --output")


_SETTING_TYPES = {
    "source": Path,
    "dataset": tuple,  # one path or a list of paths (see ``_coerce``)
    "output": str,
    "out_dir": Path,
    "python": str,
    "precheck_python": str,
    "timeout": float,
    "memory_limit_mb": int,
    "max_rounds": int,
    "jobs": int,
    "contract": bool,
    "pack": bool,
    "objective": str,
    "judge": str,
    "target": str,
    "passes": tuple,
    "skip": tuple,
    "codecs": tuple,
    "cache_dir": Path,
    "cases": Path,  # the cases file, Options.cases_file
    "assume_no_input": bool,
    "require_clean": bool,
    "bundle": bool,
    "harness": Path,
    "keep": tuple,
    "search_seconds": float,
    "seed": int,
    "quick_set": tuple,
    "sandbox": bool,
}
# Settings stored under another field name of Options.
_SETTING_FIELDS = {"cases": "cases_file"}


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


# Settings whose value must lie in a fixed set, and numbers with a lower bound.
_CHOICES = {"target": TARGETS, "judge": JUDGES, "objective": OBJECTIVES}
_MINIMUM = {"jobs": 1, "max_rounds": 1, "memory_limit_mb": 0}
_TYPE_WORDS = {Path: "a path (string)", str: "a string", float: "a number", int: "a whole number",
               bool: "true or false", tuple: "a list of strings"}


def _coerce(table: dict, pyproject: Path, root: Path) -> dict:
    settings = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        where = f"{pyproject}: [tool.golfkit] {key}"
        if name == "targets":  # the targets `golfkit build` uses when none is named: a list or one name
            targets = (value,) if isinstance(value, str) else value
            if not isinstance(targets, list | tuple) or not targets or not all(t in TARGETS for t in targets):
                raise UsageError(f"{where} = {value!r}: give a list of targets from {', '.join(TARGETS)}, "
                                 f'e.g. targets = ["chars"]')
            settings["targets"] = tuple(targets)
            continue
        if name == "dataset":  # one path or a list of them, each relative to the pyproject's folder
            paths = [value] if isinstance(value, str) else value
            if not isinstance(paths, list) or not all(isinstance(path, str) and path for path in paths):
                raise UsageError(f'{where} = {value!r}: expected a path or a list of paths, e.g. dataset = ["input.txt"]')
            settings["dataset"] = tuple(root / path for path in paths)
            continue
        if name not in _SETTING_TYPES:
            raise UsageError(f"{where}: unknown setting; known: targets, {', '.join(sorted(_SETTING_TYPES))}")
        value = _typed(name, value, where)
        if name == "output":
            check_output_name(value, f"{where} =")
        if isinstance(value, Path) and not value.is_absolute():
            value = root / value
        settings[_SETTING_FIELDS.get(name, name)] = value
    return settings


def _typed(name: str, value, where: str):
    """``value`` as the setting's type, or a one-line error naming what is expected."""
    kind = _SETTING_TYPES[name]
    expected, raw = _TYPE_WORDS[kind], value
    if kind is tuple:
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, bool) if kind is bool else isinstance(value, str)
    if not ok:
        raise UsageError(f"{where} = {value!r}: expected {expected}")
    value = tuple(value) if kind is tuple else kind(value)
    if name == "timeout" and value <= 0:
        raise UsageError(f"{where} = {raw!r}: expected a positive number of seconds")
    if name in _MINIMUM and value < _MINIMUM[name]:
        raise UsageError(f"{where} = {raw!r}: expected at least {_MINIMUM[name]}")
    if name in _CHOICES and value not in _CHOICES[name]:
        raise UsageError(f"{where} = {raw!r}: choose one of {', '.join(_CHOICES[name])}")
    return value
