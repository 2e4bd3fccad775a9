"""char-unpack: a display of one-character strings becomes a starred string.

``('a','b','c','d')`` is ``(*'abcd',)``, ``['x','y']`` is ``[*'xy']``, ``{'+','-'}`` is ``{*'+-'}``;
a bare tuple on the right of ``=`` or after ``return`` stays bare (``__slots__=*'abcd',``). It pays
after renaming, when attribute names listed in ``__slots__`` are one character long.

Sites, in source order: one per tuple, list or set display of at least two elements, each a plain
string literal of exactly one character, where the starred form is shorter.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import never_longer
from golfkit.passes.base import Edits, Pass, PassContext, Safety

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

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        try:
            module = cst.parse_module(source)
        except cst.ParserSyntaxError:
            return source
        result = module.visit(_Rewriter(edits)).code
        try:
            compile(result, "<char-unpack>", "exec")
        except SyntaxError:
            return source
        return never_longer(source, result)


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
    def __init__(self, edits: Edits):
        super().__init__()
        self.edits = edits
        self.bare_allowed: set[cst.Tuple] = set()
        self.blocked = 0  # inside a subscript: ``d['a','b']`` keys stay as they are

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Tuple):
            self.bare_allowed.add(node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Tuple):
            self.bare_allowed.add(node.value)

    def visit_SubscriptElement(self, node: cst.SubscriptElement) -> None:
        self.blocked += 1

    def leave_SubscriptElement(self, original, updated):
        self.blocked -= 1
        return updated

    def on_leave(self, original, updated):
        if isinstance(original, _DISPLAYS) and not self.blocked:
            text = _characters(original)
            if text is not None and self._pays(original, len(text)) and self.edits.propose():
                return self._starred(original, updated, text)
        return super().on_leave(original, updated)

    def _pays(self, display, count: int) -> bool:
        """``'a','b'`` is 4k-1 characters; ``*'ab'`` is k+3, plus a comma in a tuple, plus
        parentheses for a bare tuple that needs them."""
        extra = 0
        if isinstance(display, cst.Tuple):
            extra = 1 if display.lpar or display in self.bare_allowed else 3
        return 4 * count - 1 > count + 3 + extra

    def _starred(self, original, updated, text: str):
        literal = cst.SimpleString(repr(text))
        if isinstance(updated, cst.Tuple):
            starred = cst.StarredElement(literal, comma=cst.Comma())
            parens = {} if updated.lpar or original in self.bare_allowed else {
                "lpar": [cst.LeftParen()], "rpar": [cst.RightParen()]}
            return updated.with_changes(elements=[starred], **parens)
        return updated.with_changes(elements=[cst.StarredElement(literal)])
