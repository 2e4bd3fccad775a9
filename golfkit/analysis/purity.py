"""Purity: which expressions and statements can be evaluated, dropped or moved without anyone
noticing.

An expression is pure when evaluating it has no side effect and cannot raise (memory aside). The
test is syntactic plus bindings: literals, definitely-bound names, displays of pure parts, lambdas
and operators on constants (so no user ``__add__`` & co. can run), and type expressions (typing
aliases of classes). Calls are impure, except the READ_ONLY_CALLS when a caller explicitly allows
them. Anything not recognised is impure.
"""

from __future__ import annotations

import ast
import sys

import libcst as cst

from golfkit.analysis.syntax import walk
from golfkit.analysis.values import NOT_CONSTANT, SCALARS

# Calls that only read the outside world. Dropping them is allowed only where a pass says that it
# relies on this list (contract pruning of a download-if-missing branch).
READ_ONLY_CALLS = frozenset(
    {"os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.lexists", "os.path.islink"}
)

# Generic aliases of the typing module by the number of arguments they take (None: one or more):
# subscripted with types, they build an alias and run no user code.
TYPING_GENERICS = {
    "typing.List": 1, "typing.Set": 1, "typing.FrozenSet": 1, "typing.Type": 1, "typing.Optional": 1,
    "typing.Sequence": 1, "typing.Iterable": 1, "typing.Iterator": 1, "typing.Deque": 1,
    "typing.Dict": 2, "typing.Mapping": 2, "typing.DefaultDict": 2, "typing.Tuple": None, "typing.Union": None,
}
TYPING_TYPES = frozenset({"typing.Any"})
# Builtin classes; subscripting the generic ones (``list[int]``) checks nothing and never raises.
BUILTIN_GENERICS = frozenset({"list", "dict", "tuple", "set", "frozenset", "type"})
BUILTIN_TYPES = BUILTIN_GENERICS | frozenset({"int", "float", "complex", "str", "bytes", "bool", "object"})
# Builtin names a type expression may read: the classes, and None (``Optional[None]``, ``Union[A, None]``).
TYPE_BUILTINS = BUILTIN_TYPES | frozenset({"None"})

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
        if isinstance(expr, cst.Subscript):
            return self.type_expression(expr)
        return False

    def type_expression(self, expr: cst.BaseExpression, depth: int = 0) -> bool:
        """``expr`` is a type, or a typing alias of types (``List[Value]``, ``dict[str, int]``,
        ``Optional["Node"]``), whose evaluation runs no user code and cannot raise: the program's
        own classes, builtin classes, ``None``, valid forward-reference strings, names bound once
        to such an expression, and the typing module's generics (with as many arguments as they
        take) or builtin generics subscripted with them."""
        if depth > 8:
            return False
        if isinstance(expr, cst.Name):
            return self._type_name(expr, depth)
        if isinstance(expr, cst.SimpleString):
            try:  # a forward reference is compiled when the alias is made
                value = expr.evaluated_value
                return isinstance(value, str) and ast.parse(value, mode="eval") is not None
            except (SyntaxError, ValueError):
                return False
        if not isinstance(expr, cst.Subscript):
            return False
        arguments = []
        for element in expr.slice:
            if not isinstance(element.slice, cst.Index) or element.slice.star is not None:
                return False
            arguments.append(element.slice.value)
        head = expr.value
        if isinstance(head, cst.Name) and head.value in BUILTIN_GENERICS and self.is_builtin_read(head):
            arity = len(arguments)
        else:
            qualified = self.qualified_names(head)
            if len(qualified) != 1 or next(iter(qualified)) not in TYPING_GENERICS:
                return False
            arity = TYPING_GENERICS[next(iter(qualified))] or len(arguments)
        return len(arguments) == arity and all(self.type_expression(a, depth + 1) for a in arguments)

    def _type_name(self, name: cst.Name, depth: int) -> bool:
        if name.value in TYPE_BUILTINS and self.is_builtin_read(name):
            return True
        if not self.definitely_bound(name):
            return False
        qualified = self.qualified_names(name)
        if qualified and qualified <= TYPING_TYPES:
            return True
        referents = self.referents(name)
        if not referents or len(referents) != 1:
            return False
        bound = getattr(next(iter(referents)), "node", None)
        if isinstance(bound, cst.ClassDef):
            return True
        target = self.parent(bound) if isinstance(bound, cst.Name) else None
        statement = self.parent(target) if isinstance(target, cst.AssignTarget) else None
        return (isinstance(statement, cst.Assign) and len(statement.targets) == 1
                and self.type_expression(statement.value, depth + 1))

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
