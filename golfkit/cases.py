"""Test cases: the inputs a program is verified on.

A case is command-line arguments, stdin bytes and extra files copied into the run folder. The
reference runs once per case, and a candidate is identical only when it matches the reference on
every case. Cases come from ``--case 'ARGS'`` (split as a shell would), ``--case-stdin FILE`` and a
cases file (``--cases FILE`` or ``[tool.golfkit] cases``)::

    [[case]]
    name = "two words"            # optional
    args = ["hello", "world"]     # or one string, split as a shell would
    stdin = "text given on stdin\\n"   # or stdin_file = "in1.txt" (relative to the TOML file)
    files = ["extra.txt"]         # copied into the run folder for this case

Without any case a build makes one run with empty stdin and no arguments, as it always did.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from golfkit.cache import data_digest
from golfkit.errors import DatasetError, ExitCode, GolfkitError, UsageError
from golfkit.options import Options
from golfkit.runner import RunSpec

if TYPE_CHECKING:  # the analysis needs libcst, which `verify` and `compare` never load
    from golfkit.analysis.inputs import InputRead

CASE_KEYS = ("name", "args", "stdin", "stdin_file", "files")


@dataclass(frozen=True)
class Case:
    """One input of the suite. ``number`` (1-based place in the suite; 0 for the implicit case of a
    build without cases), ``name`` and ``stdin_name`` only label it; its identity is the rest."""

    args: tuple[str, ...] = ()
    stdin: bytes = b""
    files: tuple[Path, ...] = ()  # absolute paths, each copied under its own name
    name: str = ""
    stdin_name: str = ""  # the file stdin was read from, if any
    number: int = 0

    @property
    def identity(self) -> str:
        """A digest of what the program sees: arguments, stdin bytes, files' names and contents."""
        digest = hashlib.sha256(json.dumps(list(self.args)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(self.stdin).digest())
        for path in sorted(self.files, key=lambda path: path.name):
            digest.update(f"{path.name}\0{data_digest(path)}\0".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    @property
    def label(self) -> str:
        """How messages name the case; empty for the implicit case of a build without cases."""
        if not self.number:
            return ""
        return f'case {self.number} "{self.name}"' if self.name else f"case {self.number} ({self.summary})"

    @property
    def summary(self) -> str:
        parts = []
        if self.args:
            parts.append(f"args: {shlex.join(self.args)}")
        if self.stdin_name:
            parts.append(f"stdin: {self.stdin_name}")
        elif self.stdin:
            parts.append(f"stdin: {len(self.stdin)} bytes")
        if self.files:
            parts.append("files: " + ", ".join(path.name for path in self.files))
        return "; ".join(parts) or "no input"

    def applied(self, spec: RunSpec) -> RunSpec:
        """``spec`` run on this case: its arguments, its stdin and its files beside the data."""
        if not (self.args or self.stdin or self.files):
            return spec
        return dataclasses.replace(spec, args=self.args, stdin=self.stdin, data=spec.data + self.files)

    def to_json(self) -> dict:
        return {"case": self.number, "name": self.name or None, "args": list(self.args),
                "stdin_bytes": len(self.stdin), "stdin_file": self.stdin_name or None,
                "files": [path.name for path in self.files], "identity": self.identity[:16]}


# The one run of a build without cases: empty stdin, no arguments.
NO_CASE = Case()


def case_label(program: str, case: Case) -> str:
    """How messages about the runs of a program on a case name them: the program, and the case if any."""
    return f"{program}, {case.label}" if case.label else program


def suite(cases: Sequence[Case]) -> tuple[Case, ...]:
    """The cases every candidate runs on: the given ones, else the implicit one."""
    return tuple(cases) or (NO_CASE,)


def suite_identity(cases: Sequence[Case]) -> str:
    """The identity of a suite of given cases; empty without any."""
    return "" if not cases else hashlib.sha256(" ".join(case.identity for case in cases).encode()).hexdigest()


def load_cases(options: Options, data: Sequence[Path] = ()) -> tuple[Case, ...]:
    """The cases the options give (cases file, then --case, then --case-stdin), numbered; none when
    none is given. Each file must exist (exit 4); anything malformed is a usage error (exit 2)."""
    found: list[Case] = []
    if options.cases_file is not None:
        found += read_cases_file(options.cases_file)
    for text in options.case_args:
        found.append(Case(args=split_args(text, f"--case {text!r}")))
    for path in options.case_stdin:
        found.append(Case(stdin=_read_bytes(path, "--case-stdin"), stdin_name=path.name))
    cases = tuple(dataclasses.replace(case, number=number) for number, case in enumerate(found, 1))
    _check_distinct(cases)
    _check_file_names(cases, data)
    return cases


def split_args(text: str, where: str) -> tuple[str, ...]:
    try:
        return tuple(shlex.split(text))
    except ValueError as error:
        raise UsageError(f"{where}: {error}; quote the arguments as a shell would") from None


def read_cases_file(path: Path) -> list[Case]:
    """The [[case]] tables of a cases file, paths in it taken relative to its folder."""
    try:
        text = path.read_text("utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise DatasetError(f"{path}: no such cases file; give an existing TOML file with --cases FILE") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(f"{path}: cannot read the cases file ({getattr(error, 'strerror', None) or error})") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: invalid TOML ({error}); see `golfkit build --help` for the cases format") from None
    unknown = sorted(set(table) - {"case"})
    if unknown:
        raise UsageError(f"{path}: unknown key {unknown[0]!r}; a cases file holds [[case]] tables only")
    entries = table.get("case")
    if not isinstance(entries, list) or not entries or not all(isinstance(entry, dict) for entry in entries):
        raise UsageError(f"{path}: no [[case]] tables; give each case as a [[case]] table with args, stdin or files")
    return [_case_from_table(entry, f"{path}: case {number}", path.parent) for number, entry in enumerate(entries, 1)]


def _case_from_table(entry: dict, where: str, folder: Path) -> Case:
    unknown = sorted(set(entry) - set(CASE_KEYS))
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}; known: {', '.join(CASE_KEYS)}")
    name = entry.get("name", "")
    if not isinstance(name, str):
        raise UsageError(f"{where}: name = {name!r}: expected a string")
    args = entry.get("args", [])
    if isinstance(args, str):
        args = split_args(args, f"{where}: args")
    elif not (isinstance(args, list) and all(isinstance(arg, str) for arg in args)):
        raise UsageError(f"{where}: args = {args!r}: expected a list of strings (or one string split as a shell would)")
    if "stdin" in entry and "stdin_file" in entry:
        raise UsageError(f"{where}: give stdin or stdin_file, not both")
    stdin, stdin_name = b"", ""
    if "stdin" in entry:
        if not isinstance(entry["stdin"], str):
            raise UsageError(f"{where}: stdin = {entry['stdin']!r}: expected a string")
        stdin = entry["stdin"].encode("utf-8")
    if "stdin_file" in entry:
        if not isinstance(entry["stdin_file"], str) or not entry["stdin_file"]:
            raise UsageError(f"{where}: stdin_file = {entry['stdin_file']!r}: expected a path (string)")
        stdin_path = folder / entry["stdin_file"]
        stdin, stdin_name = _read_bytes(stdin_path, f"{where}: stdin_file"), stdin_path.name
    files = entry.get("files", [])
    if not (isinstance(files, list) and all(isinstance(item, str) and item for item in files)):
        raise UsageError(f"{where}: files = {files!r}: expected a list of paths (strings)")
    return Case(tuple(args), stdin, tuple(_case_file(folder / item, where) for item in files), name, stdin_name)


def _read_bytes(path: Path, where: str) -> bytes:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise DatasetError(f"{where} {path}: no such file; give an existing file") from None
    except OSError as error:
        raise DatasetError(f"{where} {path}: cannot read ({error.strerror})") from None


def _case_file(path: Path, where: str) -> Path:
    absolute = path.absolute()
    if not (absolute.is_file() or absolute.is_dir()):
        raise DatasetError(f"{where}: files: {path}: no such file or folder; give existing files")
    return absolute


def _check_distinct(cases: Sequence[Case]) -> None:
    seen: dict[str, Case] = {}
    for case in cases:
        earlier = seen.setdefault(case.identity, case)
        if earlier is not case:
            raise UsageError(f"{case.label} repeats {earlier.label} (the same arguments, stdin and files); "
                             "leave one out")


def _check_file_names(cases: Sequence[Case], data: Sequence[Path]) -> None:
    """A case's files land in the run folder by name: two of one name would overwrite each other."""
    data_names = {path.name for path in data}
    for case in cases:
        names = [path.name for path in case.files]
        clash = next((name for name in names if name in data_names or names.count(name) > 1), None)
        if clash is not None:
            raise UsageError(f"{case.label}: two files named {clash!r} would land on the same file in the run "
                             "folder (the case's files and the data); rename one")


def input_refusal(program: str, reads: Sequence[InputRead]) -> GolfkitError:
    """The one-line refusal of a program that reads input and was given no case."""
    kinds = list(dict.fromkeys(read.kind for read in reads))
    places = ", ".join(read.describe() for read in reads[:3]) + (", ..." if len(reads) > 3 else "")
    return GolfkitError(
        f"{program} reads {' and '.join(kinds)} ({places}) but no test case gives any input: add cases with "
        "--case 'ARGS', --case-stdin FILE or --cases FILE, or pass --assume-no-input to golf it for an empty "
        "stdin and no arguments",
        ExitCode.REFERENCE,
    )
