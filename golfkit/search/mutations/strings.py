"""Rename a string the program uses as a name: every literal of one word-like value becomes a fresh
one-character string.

Readable programs name things with strings: dict keys (``params['token_embedding']``), keys built
by joining parts (``prefix + 'query'``), tags compared with ``==``. When such a string never shows
(never printed, sorted, measured or written), its text is only a name, and every spelling of it can
be renamed together, as terser's property mangling renames object keys. Whether it shows, only the
run tells: a renamed string that reaches the output, a file name or an attribute lookup fails the
screen.

One site per distinct value: a word (letters, digits, ``_`` and ``.``, not starting with a digit)
of two characters or more, spelled by plain string literals only (a part of an implicit
concatenation is no site), none of them passed straight to ``print``, ``open`` or an attribute
builtin (``getattr``...) nor a method's receiver (``'x'.join``): those always show. The new values are
characters no string of the program contains, so that no renamed string can meet another.
"""

from __future__ import annotations

import re
import string

import libcst as cst

from golfkit.passes.base import Site
from golfkit.search.mutations.base import RUN_DECIDES, Mutation, Spot
from golfkit.search.mutations.printing import source_text, span

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
# The characters a renamed string may become, in the order they are handed out.
FRESH = string.ascii_uppercase + string.ascii_lowercase + string.digits
# Builtins whose string arguments always show: printed, a file's name, an attribute's name.
SHOWING_CALLS = frozenset({"print", "open", "getattr", "setattr", "hasattr", "delattr", "__import__"})


class RenameString(Mutation):
    """Every literal of one word-like string value becomes the same fresh one-character string."""

    name = "rename-string"
    description = "rename a word-like string used as a name (a dict key, a tag) to a fresh one-character string"
    safety_statement = (
        f"{RUN_DECIDES}: a renamed string behaves the same only where its text never shows (printed, "
        "sorted, measured, written, used as a file or attribute name); only the verified run tells."
    )
    example = (
        "sizes = {'embedding': 16}\nprint(sizes['embedding'] * 2)\n",
        "sizes = {'A': 16}\nprint(sizes['A'] * 2)\n",
    )

    def candidates(self, facts, context):
        by_value: dict[str, list[cst.SimpleString]] = {}
        excluded: set[str] = set()
        taken: set[str] = set()
        for literal in facts.nodes(cst.SimpleString):
            value = _text_value(literal)
            if value is None:
                continue
            taken.update(value)
            if isinstance(facts.parent(literal), cst.ConcatenatedString) or _shows(facts, literal):
                excluded.add(value)
            elif len(value) >= 2 and WORD.fullmatch(value):
                by_value.setdefault(value, []).append(literal)
        for text in facts.nodes(cst.FormattedStringText):
            taken.update(text.value)
        fresh = (char for char in FRESH if char not in taken)
        sites = []
        for value, literals in by_value.items():
            if value in excluded:
                continue
            new = next(fresh, None)
            if new is None:
                break
            sites.append(Site(Spot(literals[0], tuple(literals), new), f"rename string {value!r}"))
        return sites

    # One site changes literals all over the text: its edits are spliced into the text directly
    # (each literal's span, parentheses included, gets the new literal), not rebuilt from one anchor.
    def mutate(self, facts, sites) -> str:
        text = source_text(facts)
        edits = sorted(((*span(facts, literal), _renamed(literal, site.target.detail))
                        for site in sites for literal in site.target.covers), reverse=True)
        for start, end, written in edits:
            text = text[:start] + written + text[end:]
        return text

    def rebuilt_module(self, facts, sites) -> cst.Module:
        renamed = {literal: site.target.detail for site in sites for literal in site.target.covers}
        return facts.module.visit(_Renamer(renamed))


class _Renamer(cst.CSTTransformer):
    def __init__(self, renamed: dict[cst.SimpleString, str]):
        super().__init__()
        self.renamed = renamed

    def leave_SimpleString(self, original, updated):
        new = self.renamed.get(original)
        if new is None:
            return updated
        return cst.SimpleString(_renamed(original, new))


def _renamed(literal: cst.SimpleString, new: str) -> str:
    """``literal`` spelled with the value ``new`` (its prefix and quotes kept)."""
    return f"{literal.prefix}{literal.quote}{new}{literal.quote}"


def _text_value(literal: cst.SimpleString) -> str | None:
    """The literal's value when it is a str (not bytes) and Python can read it."""
    try:
        value = literal.evaluated_value
    except Exception:  # noqa: BLE001 - a literal Python itself would refuse
        return None
    return value if isinstance(value, str) else None


def _shows(facts, literal: cst.SimpleString) -> bool:
    """The literal is a positional argument of a builtin whose string arguments always show, or
    the receiver of a method call."""
    parent = facts.parent(literal)
    if isinstance(parent, cst.Attribute) and parent.value is literal:
        return True
    if isinstance(parent, cst.Arg) and parent.value is literal:
        call = facts.parent(parent)
        return (isinstance(call, cst.Call) and isinstance(call.func, cst.Name)
                and call.func.value in SHOWING_CALLS and facts.is_builtin_read(call.func))
    return False
