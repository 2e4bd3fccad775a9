"""Constant values: what an expression evaluates to when that is fixed, computed exactly as Python
would, and the folding of constant operators.

Only values of literal types (bool, int, float, str, bytes, None) that stay small are folded, and
only operations that cannot raise or run user code: anything else is NOT_CONSTANT, so a pass never
writes back a value the program might not have produced.
"""

from __future__ import annotations

import ast
import math
import operator
from functools import cached_property

import libcst as cst
from libcst.metadata import Assignment, FunctionScope, GlobalScope

from golfkit.analysis.syntax import code, walk

class _NotConstant:
    def __repr__(self):
        return "NOT_CONSTANT"


NOT_CONSTANT = _NotConstant()

MAX_INT_BITS = 256
MAX_TEXT = 200
SCALARS = (bool, int, float)
_CONSTANT_TYPES = (bool, int, float, str, bytes, type(None))

_BINARY = {
    cst.Add: operator.add,
    cst.Subtract: operator.sub,
    cst.Multiply: operator.mul,
    cst.Divide: operator.truediv,
    cst.FloorDivide: operator.floordiv,
    cst.Modulo: operator.mod,
    cst.Power: operator.pow,
    cst.LeftShift: operator.lshift,
    cst.RightShift: operator.rshift,
    cst.BitAnd: operator.and_,
    cst.BitOr: operator.or_,
    cst.BitXor: operator.xor,
}

BINARY_SYMBOLS = {
    cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/", cst.FloorDivide: "//",
    cst.Modulo: "%", cst.Power: "**", cst.LeftShift: "<<", cst.RightShift: ">>", cst.BitAnd: "&",
    cst.BitOr: "|", cst.BitXor: "^", cst.MatrixMultiply: "@",
}


def _acceptable(value) -> bool:
    """A folded value we are willing to write back: finite, small, of a literal type."""
    if not isinstance(value, _CONSTANT_TYPES):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int):
        return value.bit_length() <= MAX_INT_BITS
    if isinstance(value, (str, bytes)):
        return len(value) <= MAX_TEXT
    return True


def fold_unary(op: cst.BaseUnaryOp, value):
    if value is NOT_CONSTANT or not isinstance(value, SCALARS):
        return NOT_CONSTANT
    if isinstance(op, cst.Minus):
        result = -value
    elif isinstance(op, cst.Plus):
        result = +value
    elif isinstance(op, cst.BitInvert) and isinstance(value, int):
        result = ~value
    else:
        return NOT_CONSTANT
    return result if _acceptable(result) else NOT_CONSTANT


def fold_binary(op: cst.BaseBinaryOp, left, right):
    """``left op right`` when it is cheap, cannot raise and stays small; else NOT_CONSTANT."""
    function = _BINARY.get(type(op))
    if function is None or left is NOT_CONSTANT or right is NOT_CONSTANT:
        return NOT_CONSTANT
    if isinstance(left, SCALARS) and isinstance(right, SCALARS):
        if isinstance(op, cst.Power) and isinstance(left, int) and isinstance(right, int) and right > 0:
            if max(abs(left).bit_length(), 1) * right > MAX_INT_BITS:
                return NOT_CONSTANT
        if isinstance(op, cst.LeftShift) and isinstance(right, int) and right > MAX_INT_BITS:
            return NOT_CONSTANT
    elif isinstance(left, (str, bytes)) and type(left) is type(right) and isinstance(op, cst.Add):
        pass
    elif isinstance(op, cst.Multiply) and (isinstance(left, (str, bytes)) ^ isinstance(right, (str, bytes))):
        text, count = (left, right) if isinstance(left, (str, bytes)) else (right, left)
        if not isinstance(count, int) or len(text) * max(count, 0) > MAX_TEXT:
            return NOT_CONSTANT
    else:
        return NOT_CONSTANT
    try:
        result = function(left, right)
    except (ArithmeticError, ValueError, TypeError):
        return NOT_CONSTANT
    return result if _acceptable(result) else NOT_CONSTANT


# Values a dict key may hold: hashing and comparing them runs no user code.
KEY_TYPES = (str, bytes, int, float, complex, bool, type(None))


def int_literal(expr: cst.BaseExpression) -> int | None:
    """The value of an int literal, signed or not (``-3``, ``+1``), else None."""
    if isinstance(expr, cst.Integer):
        return expr.evaluated_value
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, (cst.Minus, cst.Plus)):
        inner = int_literal(expr.expression)
        if inner is None:
            return None
        return -inner if isinstance(expr.operator, cst.Minus) else inner
    return None


def distinct_keys(keys: list) -> bool:
    """No two keys are equal the way dict keys compare (``1``, ``1.0`` and ``True`` are one key)."""
    seen: dict = {}
    for key in keys:
        if key in seen:
            return False
        seen[key] = True
    return True


def literal_text(expr: cst.BaseExpression):
    """The text of a string literal, a concatenation of them, or an f-string without fields."""
    if not isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return NOT_CONSTANT
    for node in walk(expr):
        if isinstance(node, cst.FormattedStringExpression):
            return NOT_CONSTANT
    try:
        tree = ast.parse(f"({code(expr)})", mode="eval").body
    except SyntaxError:
        return NOT_CONSTANT
    if isinstance(tree, ast.Constant):
        return tree.value
    if isinstance(tree, ast.JoinedStr) and all(isinstance(part, ast.Constant) for part in tree.values):
        return "".join(part.value for part in tree.values)
    return NOT_CONSTANT


def name_bound_to_text(facts, name: cst.Name):
    """``K`` bound once, unconditionally, to a string literal that ``literal_text`` reads, and
    certainly bound where it is read."""
    referents = facts.referents(name)
    if not referents or len(referents) != 1 or facts.name_untouchable(name.value):
        return NOT_CONSTANT
    (assignment,) = referents
    if len(assignment.scope.assignments[name.value]) != 1:
        return NOT_CONSTANT
    statement = facts.single_name_assignment(assignment)
    if statement is None or (id(assignment.scope), name.value) in facts.remote_writes:
        return NOT_CONSTANT
    if not facts.definitely_bound(name):
        return NOT_CONSTANT
    return literal_text(statement.value)


def constant_key(facts, expr: cst.BaseExpression):
    """The value of a constant dict key expression, or NOT_CONSTANT."""
    value = facts.const_value(expr)
    if value is NOT_CONSTANT:
        value = literal_text(expr)
    if value is NOT_CONSTANT and isinstance(expr, cst.Name):
        value = name_bound_to_text(facts, expr)
    if value is NOT_CONSTANT or not isinstance(value, KEY_TYPES):
        return NOT_CONSTANT
    return value


class ConstantAnalysis:
    """The constant questions of ProgramFacts (mixed into it): which names hold a constant, and
    the value of a constant expression."""

    @cached_property
    def constants(self) -> dict:
        """Assignment -> value for names bound exactly once, by an unconditional statement at the
        top of a module or function body, to a constant expression."""
        table: dict = {}
        candidates = []
        for scope in self.all_scopes:
            if not isinstance(scope, (GlobalScope, FunctionScope)):
                continue
            for name in {a.name for a in scope.assignments}:
                assignments = scope.assignments[name]
                if len(assignments) != 1 or self.name_untouchable(name):
                    continue
                (assignment,) = assignments
                statement = self.single_name_assignment(assignment)
                if statement is not None and (id(scope), name) not in self.remote_writes:
                    candidates.append((assignment, statement))
        # A constant's value may only use constants bound before it: evaluate in source order.
        candidates.sort(key=lambda pair: self.line(pair[1]))
        self._constant_table = table
        for assignment, statement in candidates:
            value = self.const_value(statement.value)
            if value is not NOT_CONSTANT:
                table[assignment] = value
        return table

    def single_name_assignment(self, assignment) -> cst.Assign | None:
        """The ``name = value`` statement making ``assignment``, when it sits directly in the body
        of its own scope (so it runs exactly once per execution of that body)."""
        if type(assignment) is not Assignment or not isinstance(assignment.node, cst.Name):
            return None
        target = self.parent(assignment.node)
        statement = self.parent(target) if isinstance(target, cst.AssignTarget) else None
        if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
            return None
        line = self.parent(statement)
        block = self.parent(line)
        scope = assignment.scope
        if isinstance(scope, GlobalScope):
            return statement if isinstance(block, cst.Module) else None
        if isinstance(scope, FunctionScope) and isinstance(scope.node, cst.FunctionDef):
            return statement if block is scope.node.body else None
        return None

    def const_value(self, expr: cst.BaseExpression):
        """The value of a constant expression, computed exactly as Python would, or NOT_CONSTANT."""
        if isinstance(expr, cst.Integer):
            return expr.evaluated_value
        if isinstance(expr, cst.Float):
            return expr.evaluated_value
        if isinstance(expr, cst.SimpleString):
            try:
                return expr.evaluated_value
            except Exception:  # noqa: BLE001
                return NOT_CONSTANT
        if isinstance(expr, cst.Name):
            return self._name_value(expr)
        if isinstance(expr, cst.UnaryOperation):
            return fold_unary(expr.operator, self.const_value(expr.expression))
        if isinstance(expr, cst.BinaryOperation):
            left = self.const_value(expr.left)
            if left is NOT_CONSTANT:
                return NOT_CONSTANT
            return fold_binary(expr.operator, left, self.const_value(expr.right))
        return NOT_CONSTANT

    def _name_value(self, name: cst.Name):
        if name.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name.value]
        table = getattr(self, "_constant_table", None)
        if table is None:
            table = self.constants
        referents = self.referents(name)
        if not referents or len(referents) != 1:
            return NOT_CONSTANT
        (assignment,) = referents
        if assignment not in table or not self.definitely_bound(name):
            return NOT_CONSTANT
        return table[assignment]
