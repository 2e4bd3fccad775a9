"""Reading the user's program and data, with one-line errors that say what to fix."""

from __future__ import annotations

import io
import os
import tokenize
import warnings
from pathlib import Path

from golfkit.errors import DatasetError, SourceError


def read_source(path: Path) -> str:
    """The program's text; it must exist, decode as Python decodes it and parse.

    Like the interpreter, this honours a PEP 263 coding declaration (golfkit's own byte-target
    packers write ``#coding:l1``) and otherwise expects UTF-8. The declaration itself is dropped
    from the returned text: golfkit writes every result as UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file; give the path of a Python program") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a folder; give the path of a Python program") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read ({error.strerror})") from None
    text = decode_source(data, path)
    check_syntax(text, path)
    return text


def declared_encoding(data: bytes) -> str:
    """The encoding Python reads ``data`` with (coding cookie or BOM; UTF-8 otherwise).
    Raises SyntaxError, as the interpreter would, for a bad or missing declaration."""
    return tokenize.detect_encoding(io.BytesIO(data).readline)[0]


def decode_source(data: bytes, path: Path | str) -> str:
    try:
        encoding = declared_encoding(data)
    except SyntaxError as error:  # non-UTF-8 without a declaration, or a bad declaration
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            raise SourceError(
                f"{path}: not UTF-8 (byte {decode_error.start}); save the program as UTF-8"
            ) from None
        raise SourceError(f"{path}: {error.msg}; save the program as UTF-8") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding.startswith("utf-8"):
            raise SourceError(f"{path}: not UTF-8 (byte {error.start}); save the program as UTF-8") from None
        raise SourceError(f"{path}: not valid {encoding} as it declares (byte {error.start})") from None
    if encoding.startswith("utf-8"):
        return text.removeprefix("\ufeff")
    # Blank out the cookie line(s) rather than deleting them, so line numbers stay the same.
    lines = text.splitlines(keepends=True)
    for index in range(min(2, len(lines))):
        if tokenize.cookie_re.match(lines[index]):
            lines[index] = "\n"
    return "".join(lines)


def check_syntax(text: str, path: Path | str) -> None:
    try:
        # The program's own SyntaxWarnings show in its runs' stderr; printed here they would
        # only garble golfkit's one-line messages.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, str(path), "exec", dont_inherit=True)
    except SyntaxError as error:
        raise SourceError(
            f"{path}:{error.lineno}:{error.offset or 0}: syntax error: {error.msg}; fix the program first"
        ) from None
    except ValueError as error:  # e.g. a NUL byte in the source
        raise SourceError(f"{path}: cannot be compiled: {error}") from None


def resolve_data(paths: tuple[Path, ...], explicit: bool) -> tuple[Path, ...]:
    """The data files and folders to copy into every run folder, as absolute paths whose names
    are the names the program opens (a symbolic link keeps its own name).

    Paths named on the command line (``explicit``) must exist and be readable; the default
    ``input.txt`` and configured paths are copied when present (most programs read no data).
    Two paths of the same name would land on the same place in the run folder: refused.
    """
    chosen: dict[str, Path] = {}
    for path in paths:
        absolute = Path(os.path.abspath(path))
        if not (absolute.is_file() or absolute.is_dir()):
            if explicit:
                raise DatasetError(f"{path}: dataset not found; pass an existing file or folder with --data PATH")
            continue
        if not absolute.name:
            raise DatasetError(f"{path}: a data folder needs a name; pass a folder below /")
        unreadable = _first_unreadable(absolute)
        if unreadable is not None:
            raise DatasetError(f"{unreadable}: dataset not readable; fix its permissions or leave it out")
        other = chosen.setdefault(absolute.name, absolute)
        if other != absolute:
            raise DatasetError(f"{other} and {path}: two data paths named {absolute.name!r} would land on the "
                               "same file in the run folder; rename one")
    return tuple(chosen.values())


def _first_unreadable(path: Path) -> Path | None:
    """The first file or folder under ``path`` (itself included) golfkit could not copy."""
    if not path.is_dir():
        return None if os.access(path, os.R_OK) else path
    if not os.access(path, os.R_OK | os.X_OK):
        return path
    for folder, subfolders, files in os.walk(path, followlinks=True):
        for name in subfolders:
            if not os.access(Path(folder, name), os.R_OK | os.X_OK):
                return Path(folder, name)
        for name in files:
            if not os.access(Path(folder, name), os.R_OK):
                return Path(folder, name)
    return None
