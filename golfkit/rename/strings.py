"""Names a program spells inside string literals, which code may turn back into names."""

from __future__ import annotations

import string

import libcst as cst

from golfkit.rename.scopes import ScopeIndex


def spelled_names(index: ScopeIndex, skip: frozenset[cst.CSTNode] = frozenset()) -> frozenset[str]:
    """Identifiers that a string literal may turn back into names: see ``identifiers_in``.
    Docstrings and the strings in ``skip`` (``__slots__`` entries handled elsewhere) do not count."""
    names: set[str] = set()
    for string in index.all_of(cst.SimpleString):
        if string in skip or _is_docstring(index, string):
            continue
        value = string.evaluated_value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        names.update(identifiers_in(value))
    return frozenset(names)


def identifiers_in(text: str) -> set[str]:
    """``"x"``, ``"x y"``, ``"x, y"``, ``"a.b"`` (attrgetter), and attribute fields of a format
    string (``"{0.x}"``)."""
    words = text.replace(",", " ").split()
    if words and all(_is_path(word) for word in words):
        return {part for word in words for part in word.split(".")}
    return _format_attributes(text)


def _is_path(word: str) -> bool:
    return all(part.isidentifier() for part in word.split("."))


def _format_attributes(text: str) -> set[str]:
    if "{" not in text:
        return set()
    names = set()
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(text) if field]
    except ValueError:  # not a format string after all
        return set()
    for field in fields:
        for part in field.replace("[", ".").replace("]", ".").split(".")[1:]:
            if part.isidentifier():
                names.add(part)
    return names


def _is_docstring(index: ScopeIndex, string: cst.CSTNode) -> bool:
    """A string that is a statement on its own: nothing reads it but ``__doc__``."""
    parent = index.parent.get(string)
    while isinstance(parent, cst.ConcatenatedString):
        parent = index.parent.get(parent)
    return isinstance(parent, cst.Expr)
