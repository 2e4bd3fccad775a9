"""Replace an expression by one of its direct subexpressions.

``a + b`` -> ``a`` or ``b``, ``f(x)`` -> ``x``, ``x if c else y`` -> ``x`` or ``y``, ``a.b`` -> ``a``,
``(a, b)[0]`` -> ``a``: whenever the run shows that part of an expression never mattered (an
offset always zero, a wrapper call that returns its argument, a conditional that always takes one
side), the rest of it is text the packed file carries for nothing.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ExpressionContext, ExpressionContextProvider

from golfkit.search.mutations.base import RUN_DECIDES, ExpressionReplacement, expression_sites

COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
DISPLAYS = (cst.Tuple, cst.List, cst.Set)
COMPOUND = (
    cst.BinaryOperation, cst.BooleanOperation, cst.UnaryOperation, cst.Comparison, cst.IfExp,
    cst.Call, cst.Subscript, cst.Attribute, cst.NamedExpr, cst.Await, *DISPLAYS, *COMPREHENSIONS,
)


def direct_parts(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The subexpressions ``node`` could be replaced by, in source order."""
    if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
        return [node.left, node.right]
    if isinstance(node, (cst.UnaryOperation, cst.Await)):
        return [node.expression]
    if isinstance(node, cst.Comparison):
        return [node.left, *(target.comparator for target in node.comparisons)]
    if isinstance(node, cst.IfExp):
        return [node.body, node.orelse]
    if isinstance(node, cst.Call):
        return [argument.value for argument in node.args if not argument.star]
    if isinstance(node, cst.Attribute):
        return [node.value]
    if isinstance(node, cst.NamedExpr):
        return [node.value]
    if isinstance(node, DISPLAYS):
        return [element.value for element in node.elements if isinstance(element, cst.Element)]
    if isinstance(node, COMPREHENSIONS):
        return [node.for_in.iter]  # the outermost iterable is evaluated outside the comprehension
    if isinstance(node, cst.Subscript):
        return [node.value, *_indexed(node)]
    return []


def _indexed(node: cst.Subscript) -> list[cst.BaseExpression]:
    """The index of a one-index subscript, and the element a constant index picks out of a
    tuple or list display (``(a, b)[1]`` -> ``b``)."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index) or node.slice[0].slice.star:
        return []
    index = node.slice[0].slice.value
    parts = [index]
    display = node.value
    if isinstance(display, (cst.Tuple, cst.List)) and isinstance(index, cst.Integer):
        elements = display.elements
        position = int(index.value.replace("_", ""), 0)
        if position < len(elements) and all(isinstance(e, cst.Element) for e in elements):
            parts.append(elements[position].value)
    return parts


class ReplaceBySubexpression(ExpressionReplacement):
    """Replace an expression by one of its direct subexpressions, bracketed as its place needs.

    Expressions that are assigned or deleted (targets) and dotted names of imports are no sites.
    """

    name = "subexpression"
    description = "replace an expression by one of its direct subexpressions"
    safety_statement = (
        f"{RUN_DECIDES}: the part dropped may matter for other values than the run's; only the "
        "verified run tells."
    )
    metadata = (ExpressionContextProvider,)
    example = ("print(abs(4) + 0)\n", "print(abs(4))\n")

    def candidates(self, facts, context):
        contexts = facts.wrapper.resolve(ExpressionContextProvider)
        read = [
            node for node in facts.nodes(*COMPOUND)
            if contexts.get(node) not in (ExpressionContext.STORE, ExpressionContext.DEL)
            and not (isinstance(node, cst.Attribute) and self._in_import(facts, node))
        ]
        return expression_sites(read, direct_parts)

    @staticmethod
    def _in_import(facts, node: cst.CSTNode) -> bool:
        for ancestor in facts.ancestors(node):
            if isinstance(ancestor, (cst.Import, cst.ImportFrom)):
                return True
            if isinstance(ancestor, cst.BaseStatement):
                return False
        return False
