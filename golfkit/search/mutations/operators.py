"""Golf forms of operators: augmented assignment, negated comparisons, ``~-n``/``-~n``, chained
comparisons, a conditional as an index.

Each form is shorter where its pattern matches but holds only for some values (``~-n`` is ``n-1``
for integers alone, ``[y,x][c]`` evaluates both sides and needs a boolean ``c``): no pass can
prove it in general, the run decides for this program.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import LAMBDA, UNARY, code
from golfkit.passes.base import Site
from golfkit.search.mutations.base import (
    RUN_DECIDES,
    ExpressionReplacement,
    Mutation,
    Spot,
    bracketed_for,
    expression_sites,
    put_in_place,
    statement_key,
)
from golfkit.search.mutations.printing import span

AUGMENTED = {
    cst.Add: cst.AddAssign, cst.Subtract: cst.SubtractAssign, cst.Multiply: cst.MultiplyAssign,
    cst.Divide: cst.DivideAssign, cst.FloorDivide: cst.FloorDivideAssign, cst.Modulo: cst.ModuloAssign,
    cst.Power: cst.PowerAssign, cst.MatrixMultiply: cst.MatrixMultiplyAssign,
    cst.BitAnd: cst.BitAndAssign, cst.BitOr: cst.BitOrAssign, cst.BitXor: cst.BitXorAssign,
    cst.LeftShift: cst.LeftShiftAssign, cst.RightShift: cst.RightShiftAssign,
}
NEGATED = {
    cst.Equal: cst.NotEqual, cst.NotEqual: cst.Equal, cst.LessThan: cst.GreaterThanEqual,
    cst.GreaterThanEqual: cst.LessThan, cst.GreaterThan: cst.LessThanEqual,
    cst.LessThanEqual: cst.GreaterThan, cst.In: cst.NotIn, cst.NotIn: cst.In, cst.Is: cst.IsNot,
    cst.IsNot: cst.Is,
}


def without_parentheses(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=(), rpar=()) if node.lpar else node


class AugmentedAssign(Mutation):
    """``x = x + v`` -> ``x += v``, for every operator that has an augmented form.

    Shorter by the target's length; for mutable targets ``+=`` changes the object in place where
    ``x + v`` made a new one, and an attribute or subscript target is evaluated once instead of
    twice: the run decides.
    """

    name = "augmented-assign"
    description = "x = x <op> v -> x <op>= v"
    safety_statement = (
        f"{RUN_DECIDES}: an augmented operator may mutate in place (lists, user classes) and "
        "evaluates the target once; only the verified run tells."
    )
    example = ("x = 1\nx = x * 3\nprint(x)\n", "x = 1\nx *= 3\nprint(x)\n")

    def candidates(self, facts, context):
        sites = []
        for assign in facts.nodes(cst.Assign):
            if len(assign.targets) != 1:
                continue
            target, value = assign.targets[0].target, assign.value
            if not isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)):
                continue
            if isinstance(value, cst.BinaryOperation) and not value.lpar and type(value.operator) in AUGMENTED:
                if value.left.deep_equals(target):
                    sites.append(Site(Spot(assign, (assign,)), statement_key(assign)))
        return sites

    def rebuild(self, facts, original, updated, details):
        target = updated.targets[0]
        value = updated.value
        operator = AUGMENTED[type(value.operator)](
            whitespace_before=target.whitespace_before_equal, whitespace_after=target.whitespace_after_equal
        )
        right = value.right
        bare = without_parentheses(right)
        if right.lpar and "\n" not in code(right) and bracketed_for(bare, LAMBDA) is bare:
            right = bare  # the brackets were for the operator, which is gone
        return cst.AugAssign(target=target.target, operator=operator, value=right, semicolon=updated.semicolon)


def _negated(node: cst.CSTNode) -> list[cst.BaseExpression]:
    if not (isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not)):
        return []
    comparison = node.expression
    if not isinstance(comparison, cst.Comparison) or len(comparison.comparisons) != 1:
        return []
    (target,) = comparison.comparisons
    operator = target.operator
    # ``not in`` and ``is not`` take one space between their words.
    flipped = NEGATED[type(operator)](
        whitespace_before=operator.whitespace_before, whitespace_after=operator.whitespace_after
    )
    return [without_parentheses(comparison).with_changes(comparisons=[target.with_changes(operator=flipped)])]


class NegateComparison(ExpressionReplacement):
    """``not a == b`` -> ``a != b``, and likewise for ``<``/``>=``, ``>``/``<=``, ``in``/``not in``,
    ``is``/``is not``.

    Saves the ``not`` (and often a pair of brackets); for floats (NaN) and user comparison
    methods the negation is not the opposite operator: the run decides.
    """

    name = "negate-comparison"
    description = "not a == b -> a != b, and the other comparison negations"
    safety_statement = (
        f"{RUN_DECIDES}: the opposite operator is the negation only for ordered values (not NaN, "
        "not user-defined comparisons); only the verified run tells."
    )
    example = ("x = 3\nprint(not x == 3)\n", "x = 3\nprint(x != 3)\n")

    def candidates(self, facts, context):
        return expression_sites(facts.nodes(cst.UnaryOperation), _negated)


class Increment(ExpressionReplacement):
    """``n - 1`` -> ``~-n``, ``n + 1`` and ``1 + n`` -> ``-~n``.

    A unary form binds tighter than ``+``/``-``, so ``(n-1)*2`` becomes ``~-n*2``; offered only
    where the result with the brackets its place needs is no longer than what it replaces. It
    holds for integers only: the run decides.
    """

    name = "increment"
    description = "n - 1 -> ~-n, n + 1 -> -~n"
    safety_statement = (
        f"{RUN_DECIDES}: ~-n and -~n equal n-1 and n+1 only for integers (and bools); only the "
        "verified run tells."
    )
    example = ("n = 5\nprint((n - 1) * 2)\n", "n = 5\nprint(~-n * 2)\n")

    def candidates(self, facts, context):
        def forms(node):
            replacement = self._form(node)
            if replacement is None:
                return []
            start, end = span(facts, node)
            return [replacement] if len(code(put_in_place(facts, node, replacement))) <= end - start else []

        return expression_sites(facts.nodes(cst.BinaryOperation), forms)

    @staticmethod
    def _form(node: cst.BinaryOperation) -> cst.BaseExpression | None:
        def one(operand):
            return isinstance(operand, cst.Integer) and operand.value == "1" and not operand.lpar

        if isinstance(node.operator, cst.Subtract) and one(node.right):
            outer, inner, operand = cst.BitInvert(), cst.Minus(), node.left
        elif isinstance(node.operator, cst.Add) and one(node.right):
            outer, inner, operand = cst.Minus(), cst.BitInvert(), node.left
        elif isinstance(node.operator, cst.Add) and one(node.left):
            outer, inner, operand = cst.Minus(), cst.BitInvert(), node.right
        else:
            return None
        return cst.UnaryOperation(outer, cst.UnaryOperation(inner, bracketed_for(operand, UNARY)))


def _chained(node: cst.CSTNode) -> list[cst.BaseExpression]:
    if not isinstance(node.operator, cst.And):
        return []
    left, right = without_parentheses(node.left), without_parentheses(node.right)
    if not (isinstance(left, cst.Comparison) and isinstance(right, cst.Comparison)):
        return []
    shared = without_parentheses(left.comparisons[-1].comparator)
    if not shared.deep_equals(without_parentheses(right.left)):
        return []
    return [left.with_changes(comparisons=[*left.comparisons, *right.comparisons])]


class ChainComparison(ExpressionReplacement):
    """``a < b and b < c`` -> ``a < b < c``.

    Saves the ``and`` and the repeated middle operand, which is then evaluated once: the run
    decides whether that matters.
    """

    name = "chain-comparison"
    description = "a < b and b < c -> a < b < c"
    safety_statement = (
        f"{RUN_DECIDES}: the middle operand is evaluated once instead of twice; only the "
        "verified run tells whether that shows."
    )
    example = ("x = 2\nprint(0 < x and x < 5)\n", "x = 2\nprint(0 < x < 5)\n")

    def candidates(self, facts, context):
        return expression_sites(facts.nodes(cst.BooleanOperation), _chained)


def _indexed_forms(node: cst.IfExp) -> list[cst.BaseExpression]:
    elements = [
        cst.Element(bracketed_for(node.orelse, LAMBDA), comma=cst.Comma()),
        cst.Element(bracketed_for(node.body, LAMBDA)),
    ]
    index = [cst.SubscriptElement(cst.Index(bracketed_for(node.test, LAMBDA)))]
    return [
        cst.Subscript(cst.List(elements), slice=index),
        cst.Subscript(cst.Tuple(elements, lpar=[cst.LeftParen()], rpar=[cst.RightParen()]), slice=index),
    ]


class ConditionalIndex(ExpressionReplacement):
    """``x if c else y`` -> ``[y,x][c]`` or ``(y,x)[c]``.

    Shorter by the keywords; it evaluates both sides and indexes by ``c``, so it holds only when
    both sides are harmless to evaluate and ``c`` is a bool (or 0/1): the run decides.
    """

    name = "conditional-index"
    description = "x if c else y -> [y,x][c] or (y,x)[c]"
    safety_statement = (
        f"{RUN_DECIDES}: both sides are evaluated and the test must be a bool or 0/1; only the "
        "verified run tells."
    )
    example = ("c = True\nprint(1 if c else 2)\n", "c = True\nprint([2,1][c])\n")

    def candidates(self, facts, context):
        return expression_sites(facts.nodes(cst.IfExp), _indexed_forms)
