"""Shared analysis for the scope-aware passes: bindings, side effects, constants and syntax.

Everything here is drawn from libcst metadata (scopes, parents, positions, qualified names) on one
parsed module. The questions it answers are deliberately conservative:

- is a name *definitely bound* where it is read (so reading it cannot raise)?
- is a name *stable* (nothing but statements of its own scope can rebind it)?
- is an expression *pure* (no side effect, cannot raise, so evaluating it can be dropped)?
- what is the *constant value* of an expression, and what is its shortest spelling?
- how tightly does an expression bind, and does it need parentheses in a given slot?
"""

from __future__ import annotations

import decimal
import math
import operator
import sys
from dataclasses import dataclass
from functools import cached_property

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    Assignment,
    BuiltinAssignment,
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    ScopeProvider,
)

from golfkit.scope import DynamicUse, dynamic_use

# ---------------------------------------------------------------------------------------------
# Program facts
# ---------------------------------------------------------------------------------------------

COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
BLOCKS = (cst.Module, cst.IndentedBlock)

# Calls that only read the outside world. Dropping them is allowed only where a pass says that it
# relies on this list (contract pruning of a download-if-missing branch).
READ_ONLY_CALLS = frozenset(
    {"os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.lexists", "os.path.islink"}
)

# Expressions that bind, suspend or resume: never moved to another place of evaluation.
UNMOVABLE = m.NamedExpr() | m.Yield() | m.Await()

# Attributes through which a frame's locals can be read (after a statement raised, say): a
# program naming one may observe when a local is bound or freed.
FRAME_READERS = frozenset({"f_locals", "tb_frame", "_getframe", "f_back", "gi_frame", "cr_frame", "ag_frame"})

# Standard modules whose import prints or opens something: never dropped.
NOISY_MODULES = frozenset({"this", "antigravity", "__hello__", "__phello__"})


def parse(source: str) -> MetadataWrapper | None:
    """The module with metadata support, or None when the source does not parse."""
    try:
        return MetadataWrapper(cst.parse_module(source))
    except cst.ParserSyntaxError:
        return None


def code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


class _Census(cst.CSTVisitor):
    """One walk over the module collecting the syntactic facts every pass asks about."""

    def __init__(self):
        super().__init__()
        self.walrus_names: set[str] = set()
        self.deleted_names: set[str] = set()
        self.touches_builtins = False
        self.identity_sensitive = False
        self.attributes: dict[str, list[cst.Attribute]] = {}
        self.declarations: list[cst.Global | cst.Nonlocal] = []
        self.strings: list[str] = []
        self.functions: list[cst.FunctionDef] = []
        self.classes: list[cst.ClassDef] = []
        self.introspection = False  # dir() or the inspect module lists members without naming them
        self._in_del = 0

    def visit_FunctionDef(self, node):
        self.functions.append(node)

    def visit_ClassDef(self, node):
        self.classes.append(node)

    def visit_NamedExpr(self, node):
        if isinstance(node.target, cst.Name):
            self.walrus_names.add(node.target.value)

    def visit_Del(self, node):
        self._in_del += 1

    def visit_ExceptHandler(self, node):
        # ``except E as name`` deletes ``name`` when the handler ends.
        if node.name is not None and isinstance(node.name.name, cst.Name):
            self.deleted_names.add(node.name.name.value)

    def leave_Del(self, node):
        self._in_del -= 1

    def visit_Name(self, node):
        if self._in_del:
            self.deleted_names.add(node.value)
        if node.value in ("builtins", "__builtins__"):
            self.touches_builtins = True
        if node.value == "inspect":
            self.introspection = True

    def visit_Attribute(self, node):
        self.attributes.setdefault(node.attr.value, []).append(node)

    def visit_Global(self, node):
        self.declarations.append(node)

    def visit_Nonlocal(self, node):
        self.declarations.append(node)

    def visit_Comparison(self, node):
        # ``is`` between anything but None/True/False, or ``id()``: identity can be observed.
        if any(isinstance(t.operator, (cst.Is, cst.IsNot)) for t in node.comparisons):
            operands = [node.left, *(t.comparator for t in node.comparisons)]
            if not any(isinstance(o, cst.Name) and o.value in ("None", "True", "False") for o in operands):
                self.identity_sensitive = True

    def visit_Call(self, node):
        if isinstance(node.func, cst.Name) and node.func.value == "id":
            self.identity_sensitive = True
        if isinstance(node.func, cst.Name) and node.func.value == "dir":
            self.introspection = True

    def visit_SimpleString(self, node):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - an odd literal: keep its raw spelling
            value = node.value
        self.strings.append(value if isinstance(value, str) else repr(value))

    def visit_FormattedStringText(self, node):
        self.strings.append(node.value)


class ProgramFacts:
    """Metadata and module-wide facts of one parsed program, computed once per pass run."""

    def __init__(self, wrapper: MetadataWrapper):
        self.wrapper = wrapper
        self.module = wrapper.module
        metadata = wrapper.resolve_many([ScopeProvider, ParentNodeProvider, PositionProvider])
        self.scopes = metadata[ScopeProvider]
        self.parents = metadata[ParentNodeProvider]
        self.positions = metadata[PositionProvider]
        self.dynamic: DynamicUse = dynamic_use(self.module)
        census = _Census()
        self.module.visit(census)
        # libcst files a walrus inside a comprehension under the comprehension, where Python
        # binds it in the enclosing function: such names are never touched.
        self.walrus_names = frozenset(census.walrus_names)
        self.deleted_names = frozenset(census.deleted_names)
        # A program that reaches the builtins module can rebind any builtin.
        self.touches_builtins = census.touches_builtins
        # The program asks ``id()`` or compares identities of anything but None/True/False, so a
        # literal standing in for a name might be told apart from the object the name held.
        self.identity_sensitive = census.identity_sensitive
        # Every ``something.name`` of the program, by ``name``.
        self.attributes_by_name = census.attributes
        # The text of every string literal, f-string parts included (names hide in them).
        self.string_texts = tuple(census.strings)
        self.functions = tuple(census.functions)
        self.classes = tuple(census.classes)
        self.introspection = census.introspection
        self._redirected = frozenset(
            (id(self.scopes.get(node)), item.name.value) for node in census.declarations for item in node.names
        )

    # --- navigation ----------------------------------------------------------------------------

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def ancestors(self, node: cst.CSTNode):
        node = self.parents.get(node)
        while node is not None:
            yield node
            node = self.parents.get(node)

    def line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def lines(self, node: cst.CSTNode) -> range:
        position = self.positions[node]
        return range(position.start.line, position.end.line + 1)

    def statement_of(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        """The innermost statement (simple line or compound) holding ``node``."""
        for candidate in (node, *self.ancestors(node)):
            if isinstance(candidate, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return candidate
        return None

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """Dotted names ``node`` stands for through imports (``os.path.exists``), from its scope."""
        scope = self.scopes.get(node)
        if scope is None:
            return set()
        return {qualified.name for qualified in scope.get_qualified_names_for(node)}

    @cached_property
    def all_scopes(self) -> list:
        return [scope for scope in set(self.scopes.values()) if scope is not None]

    @cached_property
    def remote_writes(self) -> frozenset[tuple[int, str]]:
        """(id(scope), name) for names that a nested scope rebinds via ``global``/``nonlocal``."""
        found = set()
        for scope in self.all_scopes:
            for assignment in scope.assignments:
                node = getattr(assignment, "node", None)
                if node is not None and self.scopes.get(node) not in (None, scope):
                    found.add((id(scope), assignment.name))
        return frozenset(found)

    def redirected(self, scope, name: str) -> bool:
        """``scope`` declares ``name`` global or nonlocal: its bindings there belong elsewhere."""
        return (id(scope), name) in self._redirected

    # --- bindings --------------------------------------------------------------------------------

    def referents(self, name: cst.Name) -> set | None:
        """The bindings a read of ``name`` may see, or None when the node is not a read."""
        scope = self.scopes.get(name)
        if scope is None:
            return None
        accesses = scope.accesses[name]
        if not accesses:
            return None
        found = set()
        for access in accesses:
            found |= set(access.referents)
        return found

    @cached_property
    def reads_frames(self) -> bool:
        """The program names an attribute that reaches a frame's locals (FRAME_READERS)."""
        return bool(FRAME_READERS & set(self.attributes_by_name))

    def name_untouchable(self, name: str) -> bool:
        """Names no pass may remove, inline or propagate."""
        return (
            self.dynamic.names_frozen
            or name in self.walrus_names
            or name in self.deleted_names
            or is_dunder(name)
        )

    def is_builtin_read(self, name: cst.Name) -> bool:
        referents = self.referents(name)
        return bool(referents) and all(isinstance(a, BuiltinAssignment) for a in referents)

    def definitely_bound(self, name: cst.Name) -> bool:
        """Reading ``name`` here cannot raise NameError/UnboundLocalError.

        True for builtins nobody rebinds, and for names with a binding that dominates the read:
        an unconditional binding statement before it in an enclosing block, a parameter of an
        enclosing function, or the target of an enclosing loop, ``with`` or comprehension.
        """
        if name.value in ("True", "False", "None"):
            return True
        if name.value in self.deleted_names or name.value in self.walrus_names:
            return False
        referents = self.referents(name)
        if not referents:
            return False
        if all(isinstance(a, BuiltinAssignment) for a in referents):
            return not self.touches_builtins
        if any(isinstance(a, BuiltinAssignment) for a in referents):
            return False
        binding_nodes = {a.node for a in referents}
        node: cst.CSTNode = name
        for parent in self.ancestors(name):
            if _dominating_binding(parent, node, binding_nodes):
                return True
            node = parent
        return False

    def stable(self, name: cst.Name) -> bool:
        """Evaluating an expression without walrus elsewhere cannot rebind ``name``.

        Builtins nobody rebinds, and names of the reading scope itself or of the module, which
        no nested scope rewrites through ``global``/``nonlocal``.
        """
        if name.value in ("True", "False", "None"):
            return True
        referents = self.referents(name)
        if not referents or name.value in self.walrus_names:
            return False
        if all(isinstance(a, BuiltinAssignment) for a in referents):
            return not self.touches_builtins
        scopes = {a.scope for a in referents}
        if len(scopes) != 1 or any(isinstance(a, BuiltinAssignment) for a in referents):
            return False
        (scope,) = scopes
        if scope is not self.scopes.get(name) and not isinstance(scope, GlobalScope):
            return False  # a closure cell: its owner may run (a resumed generator) and rebind it
        return (id(scope), name.value) not in self.remote_writes

    # --- purity ----------------------------------------------------------------------------------

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
        kinds = {"number" if isinstance(v, _SCALARS) else type(v).__name__ for v in values}
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

    # --- constants -------------------------------------------------------------------------------

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


def _dominating_binding(parent: cst.CSTNode, child: cst.CSTNode, bindings: set) -> bool:
    """Does ``parent`` bind one of ``bindings`` unconditionally before ``child`` runs?"""
    if isinstance(parent, BLOCKS):
        for sibling in parent.body:
            if sibling is child:
                return False
            if _statement_binds(sibling, bindings):
                return True
        return False
    if isinstance(parent, (cst.For,)) and child is parent.body:
        return _targets_meet(parent.target, bindings)
    if isinstance(parent, cst.With) and child is parent.body:
        return any(item.asname is not None and _targets_meet(item.asname.name, bindings) for item in parent.items)
    if isinstance(parent, cst.ExceptHandler) and child is parent.body:
        return parent.name is not None and _targets_meet(parent.name.name, bindings)
    if isinstance(parent, (cst.FunctionDef, cst.Lambda)) and child is parent.body:
        params = parent.params
        every = (*params.posonly_params, *params.params, *params.kwonly_params, params.star_arg, params.star_kwarg)
        return any(param in bindings for param in every if isinstance(param, cst.Param))
    if isinstance(parent, COMPREHENSIONS) and child is not parent.for_in:
        return _comprehension_targets_meet(parent.for_in, bindings)
    if isinstance(parent, cst.CompFor) and child is not parent.iter:
        return _targets_meet(parent.target, bindings)
    return False


def _comprehension_targets_meet(comp_for: cst.CompFor | None, bindings: set) -> bool:
    while comp_for is not None:
        if _targets_meet(comp_for.target, bindings):
            return True
        comp_for = comp_for.inner_for_in
    return False


def _targets_meet(target: cst.BaseExpression, bindings: set) -> bool:
    if target in bindings:
        return True
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_targets_meet(element.value, bindings) for element in target.elements)
    return False


def _statement_binds(statement: cst.CSTNode, bindings: set) -> bool:
    """An unconditional binding made by a whole statement (compound bodies do not count)."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return statement in bindings
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if small in bindings:  # import statements are their own binding nodes
            return True
        if isinstance(small, cst.Assign) and any(_targets_meet(t.target, bindings) for t in small.targets):
            return True
        if isinstance(small, cst.AnnAssign) and small.value is not None and small.target in bindings:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Constant arithmetic, exactly as Python does it, within size limits
# ---------------------------------------------------------------------------------------------


class _NotConstant:
    def __repr__(self):
        return "NOT_CONSTANT"


NOT_CONSTANT = _NotConstant()

MAX_INT_BITS = 256
MAX_TEXT = 200
_SCALARS = (bool, int, float)
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
    if value is NOT_CONSTANT or not isinstance(value, _SCALARS):
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
    if isinstance(left, _SCALARS) and isinstance(right, _SCALARS):
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


# ---------------------------------------------------------------------------------------------
# Shortest spellings of constant values
# ---------------------------------------------------------------------------------------------

# Binding strength of expressions, loosest first (the Python grammar's precedence table).
TUPLE, NAMED, LAMBDA, IFEXP, OR, AND, NOT, COMPARE = -1, 0, 1, 2, 3, 4, 5, 6
BITOR, BITXOR, BITAND, SHIFT, ADD, MUL, UNARY, POWER, AWAIT, ATOM = 7, 8, 9, 10, 11, 12, 13, 14, 15, 16

_OPERATOR_PRECEDENCE = {
    cst.BitOr: BITOR, cst.BitXor: BITXOR, cst.BitAnd: BITAND, cst.LeftShift: SHIFT, cst.RightShift: SHIFT,
    cst.Add: ADD, cst.Subtract: ADD, cst.Multiply: MUL, cst.Divide: MUL, cst.FloorDivide: MUL,
    cst.Modulo: MUL, cst.MatrixMultiply: MUL, cst.Power: POWER,
}


@dataclass(frozen=True)
class Spelling:
    text: str
    precedence: int  # ATOM, UNARY (a minus sign) or POWER (``10**6``)

    def node(self) -> cst.BaseExpression:
        return cst.parse_expression(self.text)


def spell(value) -> Spelling | None:
    """The shortest source text that evaluates to exactly ``value`` (same type, same bits)."""
    if value is None or isinstance(value, bool):
        return Spelling(repr(value), ATOM)
    if isinstance(value, int):
        if value < 0:
            return Spelling("-" + spell(-value).text, UNARY)
        return _spell_int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if math.copysign(1.0, value) < 0:
            return Spelling("-" + _spell_positive_float(-value), UNARY)
        return Spelling(_spell_positive_float(value), ATOM)
    if isinstance(value, (str, bytes)):
        return Spelling(repr(value), ATOM)
    return None


def _spell_int(value: int) -> Spelling:
    best = Spelling(str(value), ATOM)
    if value >= 100:
        for base in range(2, 11):
            exponent = round(math.log(value, base))
            for k in (exponent - 1, exponent, exponent + 1):
                if k >= 2 and base**k == value:
                    text = f"{base}**{k}"
                    if len(text) < len(best.text):
                        best = Spelling(text, POWER)
    return best


def _spell_positive_float(value: float) -> str:
    if value == 0:
        return "0."
    sign, digits, exponent = decimal.Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    exponent += len(digits) - len(text)  # value == int(text) * 10**exponent
    candidates = [_positional(text, exponent), f"{text}e{exponent}"]
    if len(text) > 1:
        candidates.append(f"{text[0]}.{text[1:]}e{exponent + len(text) - 1}")
    else:
        candidates.append(f"{text}e{exponent}")
    for candidate in sorted(candidates, key=len):
        if float(candidate) == value:  # must round-trip to the very same float
            return candidate
    return repr(value)


def _positional(digits: str, exponent: int) -> str:
    if exponent >= 0:
        return digits + "0" * exponent + "."
    point = len(digits) + exponent
    if point <= 0:
        return "." + "0" * -point + digits
    return digits[:point] + "." + digits[point:]


# ---------------------------------------------------------------------------------------------
# Syntax: precedence and parentheses
# ---------------------------------------------------------------------------------------------


def precedence(expr: cst.BaseExpression) -> int:
    if getattr(expr, "lpar", ()):
        return ATOM
    if isinstance(expr, cst.Tuple):
        return TUPLE
    if isinstance(expr, cst.NamedExpr):
        return NAMED
    if isinstance(expr, cst.Lambda):
        return LAMBDA
    if isinstance(expr, cst.IfExp):
        return IFEXP
    if isinstance(expr, cst.BooleanOperation):
        return OR if isinstance(expr.operator, cst.Or) else AND
    if isinstance(expr, cst.UnaryOperation):
        return NOT if isinstance(expr.operator, cst.Not) else UNARY
    if isinstance(expr, cst.Comparison):
        return COMPARE
    if isinstance(expr, cst.BinaryOperation):
        return _OPERATOR_PRECEDENCE[type(expr.operator)]
    if isinstance(expr, cst.Await):
        return AWAIT
    if isinstance(expr, (cst.Yield, cst.StarredElement)):
        return TUPLE - 1
    return ATOM


def required_precedence(parent: cst.CSTNode, child: cst.CSTNode) -> int:
    """How tightly an expression in ``child``'s slot of ``parent`` must bind to be read the same
    way without parentheses. Unknown slots ask for an atom (always parenthesize)."""
    if isinstance(parent, cst.BinaryOperation):
        level = _OPERATOR_PRECEDENCE[type(parent.operator)]
        if isinstance(parent.operator, cst.Power):  # right-associative, and ``2**-1`` is fine
            return AWAIT if child is parent.left else UNARY
        return level if child is parent.left else level + 1
    if isinstance(parent, cst.UnaryOperation):
        return NOT if isinstance(parent.operator, cst.Not) else UNARY
    if isinstance(parent, cst.BooleanOperation):
        level = OR if isinstance(parent.operator, cst.Or) else AND
        return level if child is parent.left else level + 1
    if isinstance(parent, cst.Comparison) or isinstance(parent, cst.ComparisonTarget):
        return COMPARE + 1
    if isinstance(parent, cst.IfExp):
        return IFEXP if child is parent.orelse else IFEXP + 1
    if isinstance(parent, cst.Lambda):
        return LAMBDA
    if isinstance(parent, (cst.Attribute, cst.Subscript, cst.Call)):
        return ATOM if child is getattr(parent, "value", getattr(parent, "func", None)) else LAMBDA
    if isinstance(parent, (cst.Arg, cst.Element, cst.DictElement, cst.Index, cst.Slice, cst.NamedExpr, cst.WithItem, cst.Param)):
        return LAMBDA
    if isinstance(parent, COMPREHENSIONS):
        return LAMBDA  # an element; the iterable lives in CompFor
    if isinstance(parent, cst.StarredElement):
        return BITOR
    if isinstance(parent, cst.FormattedStringExpression):
        return IFEXP
    if isinstance(parent, (cst.CompFor, cst.CompIf)):
        return OR
    if isinstance(parent, (cst.Assign, cst.AugAssign, cst.Return, cst.Expr, cst.AnnAssign)):
        return TUPLE
    if isinstance(parent, (cst.If, cst.While, cst.For)):
        return LAMBDA
    return ATOM


def fit(expr: cst.BaseExpression, parent: cst.CSTNode, child: cst.CSTNode) -> cst.BaseExpression:
    """``expr`` ready to take ``child``'s place in ``parent``: parenthesized when it would bind
    looser than the slot needs (or is a number before ``.attr``)."""
    needed = required_precedence(parent, child)
    number_before_dot = (
        isinstance(parent, cst.Attribute) and child is parent.value and isinstance(expr, (cst.Integer, cst.Float))
    )
    if precedence(expr) < needed or number_before_dot:
        return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expr


def parens_needed(spelling_precedence: int, parent: cst.CSTNode, child: cst.CSTNode, numeric: bool) -> bool:
    if isinstance(parent, cst.Attribute) and numeric and child is parent.value:
        return True
    return spelling_precedence < required_precedence(parent, child)


def fstring_safe(expr: cst.BaseExpression) -> bool:
    """Can ``expr``'s text sit inside an f-string replacement field (Python 3.11 rules)?"""
    text = code(expr)
    return not any(ch in text for ch in "'\"\\{}#!:\n") and precedence(expr) >= IFEXP


def stdlib_module(dotted: str) -> bool:
    top = dotted.split(".")[0]
    return top in sys.stdlib_module_names and top not in NOISY_MODULES and top != "__future__"


# ---------------------------------------------------------------------------------------------
# Statement removal that keeps every block valid
# ---------------------------------------------------------------------------------------------


class StatementRemover(cst.CSTTransformer):
    """Drops statements, small statements and import aliases given by their original nodes.

    Blocks are filtered as a whole, so that the comments and blank lines above a dropped statement
    move to the next one, and a block left empty gets ``pass``.
    """

    def __init__(self, remove: set):
        super().__init__()
        self.remove = set(remove)
        self._emptied: set = set()  # statements and imports that lost every part
        # Statements standing for several others (an ``if`` reduced to its ``else`` body).
        self.expanded: dict[cst.CSTNode, list[cst.BaseStatement]] = {}

    def _gone(self, node: cst.CSTNode) -> bool:
        return node in self.remove or node in self._emptied

    def leave_Import(self, original, updated):
        return self._drop_aliases(original, updated)

    def leave_ImportFrom(self, original, updated):
        if isinstance(original.names, cst.ImportStar):
            return updated
        return self._drop_aliases(original, updated)

    def _drop_aliases(self, original, updated):
        names = [u for o, u in zip(original.names, updated.names) if o not in self.remove]
        if not names:
            self._emptied.add(original)
            return updated
        if len(names) == len(updated.names):
            return updated
        names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        changes = {"names": names}
        if isinstance(updated, cst.ImportFrom) and updated.lpar is not None and len(names) == 1:
            changes.update(lpar=None, rpar=None)
        return updated.with_changes(**changes)

    def leave_SimpleStatementLine(self, original, updated):
        kept = self._kept_small(original, updated)
        if not kept:
            self._emptied.add(original)
            return updated
        return updated if len(kept) == len(updated.body) else updated.with_changes(body=kept)

    def leave_SimpleStatementSuite(self, original, updated):
        kept = self._kept_small(original, updated)
        if len(kept) == len(updated.body):
            return updated
        return updated.with_changes(body=kept or [cst.Pass()])

    def _kept_small(self, original, updated) -> list:
        kept = [u for o, u in zip(original.body, updated.body) if not self._gone(o)]
        if kept and len(kept) != len(updated.body):
            kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return kept

    def leave_IndentedBlock(self, original, updated):
        body = self._kept_statements(original, updated)
        if not body:
            body = [cst.SimpleStatementLine(body=[cst.Pass()])]
        return updated.with_changes(body=body)

    def leave_Module(self, original, updated):
        return updated.with_changes(body=self._kept_statements(original, updated))

    def _kept_statements(self, original, updated) -> list:
        body, carried = [], []
        for old, new in zip(original.body, updated.body):
            if self._gone(old):  # keep its comments, drop its blank lines
                carried += [line for line in getattr(new, "leading_lines", ()) if line.comment is not None]
                continue
            if old in self.expanded:
                carried += list(new.leading_lines)
                replacements = list(self.expanded[old])
                if not replacements:
                    continue
                new, rest = replacements[0], replacements[1:]
            else:
                rest = []
            if not body and old is not original.body[0] and hasattr(new, "leading_lines"):
                # Now first in its block: blank lines above it no longer separate anything.
                new = new.with_changes(leading_lines=[line for line in new.leading_lines if line.comment])
            if carried and hasattr(new, "leading_lines"):
                new = new.with_changes(leading_lines=[*carried, *new.leading_lines])
                carried = []
            body += [new, *rest]
        return body


def program_facts(source: str) -> "ProgramFacts | None":
    """Facts about ``source``, or None when it does not parse (the pass then leaves it alone)."""
    wrapper = parse(source)
    return None if wrapper is None else ProgramFacts(wrapper)
