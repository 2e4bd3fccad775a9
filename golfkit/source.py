"""Reading the user's program and dataset, with one-line errors that say what to fix."""

from __future__ import annotations

import warnings
from pathlib import Path

from golfkit.errors import DatasetError, SourceError


def read_source(path: Path) -> str:
    """The program's text; it must exist, be UTF-8 and parse."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file; give the path of a Python program") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a folder; give the path of a Python program") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read ({error.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"{path}: not UTF-8 (byte {error.start}); save the program as UTF-8"
        ) from None
    check_syntax(text, path)
    return text


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


def resolve_dataset(path: Path | None, explicit: bool) -> Path | None:
    """The dataset file, or None when none is needed.

    The default ``input.txt`` in the current folder is optional (most programs read no dataset);
    a dataset named on the command line must exist.
    """
    if path is None:
        return None
    if path.is_file():
        return path.resolve()
    if explicit:
        raise DatasetError(f"{path}: dataset not found; pass an existing file with --data PATH")
    return None
