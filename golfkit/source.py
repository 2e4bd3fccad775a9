"""Reading the user's program and dataset, with one-line errors that say what to fix."""

from __future__ import annotations

import io
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
