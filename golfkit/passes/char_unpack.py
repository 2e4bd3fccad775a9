"""char-unpack: a display of one-character strings becomes a starred string.

``('a','b','c','d')`` is ``(*'abcd',)``, ``['x','y']`` is ``[*'xy']``, ``{'+','-'}`` is ``{*'+-'}``;
a bare tuple on the right of ``=`` or after ``return`` stays bare (``__slots__=*'abcd',``). It pays
after renaming, when attribute names listed in ``__slots__`` are one character long.

Sites, in source order: one per tuple, list or set display of at least two elements, each a plain
string literal of exactly one character, where the starred form is shorter.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import ProgramFacts
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip

_DISPLAYS = (cst.Tuple, cst.List, cst.Set)


class CharUnpackPass(Pass):
    name = "char-unpack"
    description = "Spell a tuple, list or set of one-character strings as a starred string: (*'abc',)."
    safety = Safety.SAFE
    safety_statement = (
        "Unpacking a string literal yields its characters in order, so the display builds an equal "
        "tuple, list or set of the very same string values; no name is read and nothing else is "
        "evaluated. A bare tuple stays bare only where Python accepts a starred expression "
        "unparenthesized (an assignment's value, a return value)."
    )

    example = (
        "class P:\n    __slots__ = 'x', 'y', 'z'\nprint(P.__slots__, ['+', '-', '*'])\n",
        "class P:\n    __slots__ = *'xyz',\nprint(P.__slots__, [*'+-*'])\n",
    )

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        sites = []
        for display in facts.nodes(*_DISPLAYS):
            if any(isinstance(ancestor, cst.SubscriptElement) for ancestor in facts.ancestors(display)):
                continue  # ``d['a','b']`` keys stay as they are
            text = _characters(display)
            if text is not None and _pays(display, len(text), _bare_allowed(facts, display)):
                sites.append(Site(display))
        return sites

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        chosen = {site.target: _bare_allowed(facts, site.target) for site in sites}
        result = facts.module.visit(_Rewriter(chosen)).code
        try:
            compile(result, "<char-unpack>", "exec")
        except SyntaxError:
            raise Skip("the rewritten program does not compile") from None
        return result


def _bare_allowed(facts: ProgramFacts, display: cst.BaseExpression) -> bool:
    """A bare tuple may stay bare: it is an assignment's value or a return value."""
    parent = facts.parent(display)
    return isinstance(display, cst.Tuple) and isinstance(parent, (cst.Assign, cst.Return)) and parent.value is display


def _pays(display, count: int, bare_allowed: bool) -> bool:
    """``'a','b'`` is 4k-1 characters; ``*'ab'`` is k+3, plus a comma in a tuple, plus
    parentheses for a bare tuple that needs them."""
    extra = 0
    if isinstance(display, cst.Tuple):
        extra = 1 if display.lpar or bare_allowed else 3
    return 4 * count - 1 > count + 3 + extra


def _characters(display: cst.BaseExpression) -> str | None:
    """The characters the display lists, or None when it is not a display of them."""
    elements = display.elements
    if len(elements) < 2:
        return None
    text = ""
    for element in elements:
        if not isinstance(element, cst.Element) or not isinstance(element.value, cst.SimpleString):
            return None
        literal = element.value
        if "b" in literal.prefix.lower() or literal.lpar:
            return None
        value = literal.evaluated_value
        if not isinstance(value, str) or len(value) != 1:
            return None
        text += value
    return text


class _Rewriter(cst.CSTTransformer):
    def __init__(self, chosen: dict[cst.BaseExpression, bool]):
        super().__init__()
        self.chosen = chosen  # display -> whether a tuple may stay bare

    def on_leave(self, original, updated):
        if original in self.chosen:
            return _starred(updated, _characters(original), self.chosen[original])
        return super().on_leave(original, updated)


def _starred(updated, text: str, bare_allowed: bool):
    literal = cst.SimpleString(repr(text))
    if isinstance(updated, cst.Tuple):
        starred = cst.StarredElement(literal, comma=cst.Comma())
        parens = {} if updated.lpar or bare_allowed else {"lpar": [cst.LeftParen()], "rpar": [cst.RightParen()]}
        return updated.with_changes(elements=[starred], **parens)
    return updated.with_changes(elements=[cst.StarredElement(literal)])
