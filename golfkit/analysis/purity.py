"""Purity: which expressions and statements can be evaluated, dropped or moved without anyone
noticing.

An expression is pure when evaluating it has no side effect and cannot raise (memory aside). The
test is syntactic plus bindings: literals, definitely-bound names, displays of pure parts, lambdas
and operators on constants (so no user ``__add__`` & co. can run). Calls are impure, except the
READ_ONLY_CALLS when a caller explicitly allows them. Anything not recognised is impure.
"""

from __future__ import annotations

import sys

import libcst as cst

from golfkit.analysis.syntax import walk
from golfkit.analysis.values import NOT_CONSTANT, SCALARS

# Calls that only read the outside world. Dropping them is allowed only where a pass says that it
# relies on this list (contract pruning of a download-if-missing branch).
READ_ONLY_CALLS = frozenset(
    {"os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.lexists", "os.path.islink"}
)

# Expressions that bind, suspend or resume: never moved to another place of evaluation.
UNMOVABLE = (cst.NamedExpr, cst.Yield, cst.Await)

# Standard modules whose import prints or opens something: never dropped.
NOISY_MODULES = frozenset({"this", "antigravity", "__hello__", "__phello__"})


def stdlib_module(dotted: str) -> bool:
    """A standard module whose import has no visible effect."""
    top = dotted.split(".")[0]
    return top in sys.stdlib_module_names and top not in NOISY_MODULES and top != "__future__"


def inert_statement(facts, statement: cst.CSTNode) -> bool:
    """A statement whose only effect is binding names to constants (or nothing at all), so a
    value may be evaluated before it instead of after it, provided nothing reads those names."""
    if isinstance(statement, cst.Pass):
        return True
    if isinstance(statement, cst.Expr):
        return isinstance(statement.value, (cst.SimpleString, cst.ConcatenatedString))
    if isinstance(statement, cst.Assign):
        return (
            all(isinstance(t.target, cst.Name) for t in statement.targets)
            and facts.is_pure(statement.value)
            and all(n.value in ("True", "False", "None") for n in walk(statement.value) if isinstance(n, cst.Name))
        )
    if isinstance(statement, cst.FunctionDef):
        return facts.pure_function_def(statement)
    return False


class PurityAnalysis:
    """The purity questions of ProgramFacts (mixed into it)."""

    def is_pure(self, expr: cst.BaseExpression, *, read_only_calls: bool = False) -> bool:
        """Evaluating ``expr`` has no side effect and cannot raise (memory aside).

        Only literals, names that are definitely bound, displays of pure parts, lambdas, and
        operators whose operands are constants (user ``__add__`` & co. never run) qualify; calls
        only from READ_ONLY_CALLS and only when ``read_only_calls`` is allowed by the caller.
        """
        pure = lambda e: self.is_pure(e, read_only_calls=read_only_calls)  # noqa: E731
        if self.const_value(expr) is not NOT_CONSTANT:
            return True
        if isinstance(expr, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
            return True
        if isinstance(expr, cst.ConcatenatedString):
            return pure(expr.left) and pure(expr.right)
        if isinstance(expr, cst.FormattedString):
            return all(isinstance(part, cst.FormattedStringText) for part in expr.parts)
        if isinstance(expr, cst.Name):
            return self.definitely_bound(expr)
        if isinstance(expr, (cst.Tuple, cst.List)):
            return all(isinstance(e, cst.Element) and pure(e.value) for e in expr.elements)
        if isinstance(expr, cst.Set):
            return all(isinstance(e, cst.Element) and self._hashable_constant(e.value) for e in expr.elements)
        if isinstance(expr, cst.Dict):
            return all(
                isinstance(e, cst.DictElement) and self._hashable_constant(e.key) and pure(e.value)
                for e in expr.elements
            )
        if isinstance(expr, cst.Lambda):
            return self.pure_parameters(expr.params)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
            return pure(expr.expression) and self.truth_known(expr.expression, read_only_calls)
        if isinstance(expr, cst.BooleanOperation):
            return pure(expr.left) and self.truth_known(expr.left, read_only_calls) and pure(expr.right)
        if isinstance(expr, cst.IfExp):
            return (
                pure(expr.test)
                and self.truth_known(expr.test, read_only_calls)
                and pure(expr.body)
                and pure(expr.orelse)
            )
        if isinstance(expr, cst.Comparison):
            if self._constant_comparison(expr):
                return True
            # Identity tests never call user code; every other comparison may.
            return pure(expr.left) and all(
                isinstance(t.operator, (cst.Is, cst.IsNot)) and pure(t.comparator)
                for t in expr.comparisons
            )
        if isinstance(expr, cst.Call) and read_only_calls:
            return self.is_read_only_call(expr) and all(
                not a.star and a.keyword is None and pure(a.value) for a in expr.args
            )
        return False

    def _constant_comparison(self, expr: cst.Comparison) -> bool:
        """Comparing constants of one kind (numbers, or strings, or bytes) cannot raise."""
        values = [self.const_value(expr.left), *(self.const_value(t.comparator) for t in expr.comparisons)]
        if any(value is NOT_CONSTANT for value in values):
            return False
        if all(isinstance(t.operator, (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)) for t in expr.comparisons):
            return True
        kinds = {"number" if isinstance(v, SCALARS) else type(v).__name__ for v in values}
        ordered = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual, cst.Equal, cst.NotEqual)
        return len(kinds) == 1 and kinds <= {"number", "str", "bytes"} and all(
            isinstance(t.operator, ordered) for t in expr.comparisons
        )

    def is_read_only_call(self, call: cst.Call) -> bool:
        return bool(self.qualified_names(call.func) & READ_ONLY_CALLS)

    def truth_known(self, expr: cst.BaseExpression, read_only_calls: bool = False) -> bool:
        """Taking the truth value of ``expr`` cannot run user code (its type is builtin)."""
        if self.const_value(expr) is not NOT_CONSTANT:
            return True
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
            return True  # ``not`` always yields a bool
        if isinstance(expr, cst.Comparison):
            return self._constant_comparison(expr) or all(
                isinstance(t.operator, (cst.Is, cst.IsNot)) for t in expr.comparisons
            )
        if isinstance(expr, cst.Call) and read_only_calls:
            return self.is_read_only_call(expr)  # they all return bool
        return isinstance(expr, (cst.Integer, cst.Float, cst.SimpleString))

    def _hashable_constant(self, expr: cst.BaseExpression) -> bool:
        return self.const_value(expr) is not NOT_CONSTANT

    def pure_parameters(self, params: cst.Parameters) -> bool:
        """Defaults and annotations of a def or lambda are evaluated when it is created."""
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.default is not None and not self.is_pure(param.default):
                return False
            if param.annotation is not None and not self.is_pure(param.annotation.annotation):
                return False
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param) and star.annotation is not None:
                if not self.is_pure(star.annotation.annotation):
                    return False
        return True

    def pure_function_def(self, node: cst.FunctionDef) -> bool:
        """Executing the ``def`` statement only binds its name."""
        if node.decorators or node.asynchronous is not None:
            return False
        if node.returns is not None and not self.is_pure(node.returns.annotation):
            return False
        return self.pure_parameters(node.params)

    def pure_class_def(self, node: cst.ClassDef) -> bool:
        """Executing the ``class`` statement only binds its name: no decorator, no metaclass or
        base other than ``object`` (``__init_subclass__`` could run), a body of pure statements."""
        if node.decorators or node.keywords:
            return False
        for base in node.bases:
            if not (isinstance(base.value, cst.Name) and base.value.value == "object" and self.is_builtin_read(base.value)):
                return False
        return all(self.pure_statement(statement) for statement in node.body.body)

    def pure_statement(self, statement: cst.CSTNode) -> bool:
        if isinstance(statement, cst.FunctionDef):
            return self.pure_function_def(statement)
        if isinstance(statement, cst.ClassDef):
            return self.pure_class_def(statement)
        if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return all(self.pure_small_statement(small) for small in statement.body)
        return False

    def pure_small_statement(self, small: cst.CSTNode) -> bool:
        if isinstance(small, cst.Pass):
            return True
        if isinstance(small, cst.Expr):
            return isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)) and self.is_pure(small.value)
        if isinstance(small, cst.Assign):
            return all(isinstance(t.target, cst.Name) for t in small.targets) and self.is_pure(small.value)
        return False
