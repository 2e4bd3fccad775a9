"""The program's leading ``import`` merged into the decoder's own ``import zlib`` line.

A packed file runs its payload with ``exec`` in the file's own globals, so ``import zlib,a,b`` in
the decoder binds ``a`` and ``b`` exactly where the payload's first statement ``import a,b`` would
have: the payload can drop that statement. Only a plain ``import`` (never ``from x import y``)
that is the payload's very first statement qualifies, on its own line or ended by ``;``. What
changes: ``a`` and ``b`` are imported after ``zlib`` and before the stream is decompressed, and the
payload's line numbers (seen only in tracebacks and warnings) move up by one when the import had
a line of its own; a build verifies the packed file, so a program that shows either falls back to
the unmerged form.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from golfkit.source import declared_encoding


@dataclass(frozen=True)
class LeadingImport:
    names: str  # the imported names as the decoder's import line spells them: "a,b as c"
    rest: bytes  # the payload without its first statement


def _spelled(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _body_dump(tree: ast.Module) -> str:
    return ast.dump(ast.Module(body=tree.body, type_ignores=[]))


def leading_import(payload: bytes) -> LeadingImport | None:
    """The payload's first statement when it is a one-line ``import`` at the very start that can
    join the decoder's import line, and the payload without it; else None."""
    if not payload.startswith(b"import"):
        return None
    try:
        text = payload.decode("utf-8")
        tree = ast.parse(text)
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return None
    first = tree.body[0]
    if not isinstance(first, ast.Import) or first.lineno != 1 or first.end_lineno != 1:
        return None
    line = payload.split(b"\n", 1)[0]
    after = payload[first.end_col_offset :]  # ast offsets count UTF-8 bytes
    if not line[first.end_col_offset :].strip(b" \t;\r"):
        rest = after.split(b"\n", 1)[1] if b"\n" in after else b""
    else:
        stripped = after.lstrip(b" \t")
        if not stripped.startswith(b";"):
            return None  # e.g. a backslash continuation or a comment: leave such a line alone
        rest = stripped[1:].lstrip(b" \t")
    # The rest must be exactly the program's other statements, read the same way: a coding
    # comment ignored on line 2 or 3 would count once it moves up to line 1 or 2.
    try:
        rest_tree = ast.parse(rest.decode("utf-8"))
        if declared_encoding(rest) != "utf-8":
            return None
    except (SyntaxError, ValueError):
        return None
    if _body_dump(rest_tree) != _body_dump(ast.Module(body=tree.body[1:], type_ignores=[])):
        return None
    return LeadingImport(",".join(_spelled(alias) for alias in first.names), rest)
