"""operator-alias: a reflected operator that only delegates to its forward operator becomes an alias
of it, ``def __radd__(self, other): return self + other`` -> ``__radd__ = __add__``.

Sites, in source order: one per statement directly in a class body that binds ``__radd__``,
``__rmul__``, ``__rand__``, ``__ror__`` or ``__rxor__`` (a ``def`` whose body is
``return a OP b``, possibly after a docstring, or ``name = lambda a, b: a OP b``; ``a``/``b`` its
two parameters in that order) when the class and the program qualify (see ``safety_statement``)
and, when the build ships a packed file (``PassContext.shipped_size``), the site alone makes it
smaller.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ClassScope

from golfkit.analysis import FRAME_READERS, ProgramFacts, is_dunder
from golfkit.analysis.classes import PLAIN_DUNDER_ATTRIBUTES, class_body_scope, sealed_class
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip

# reflected method -> (forward method, operator node type)
_PAIRS = {
    "__radd__": ("__add__", cst.Add),
    "__rmul__": ("__mul__", cst.Multiply),
    "__rand__": ("__and__", cst.BitAnd),
    "__ror__": ("__or__", cst.BitOr),
    "__rxor__": ("__xor__", cst.BitXor),
}

# Words that let a program reach a class without spelling its name (and so subclass or patch it),
# look at functions' names, docs, frames or call depth, or return NotImplemented to ordinary code.
_FORBIDDEN_WORDS = FRAME_READERS | frozenset(
    {
        "type", "vars", "dir", "inspect", "gc", "types", "new_class", "make_dataclass",
        "NotImplemented", "help", "pydoc", "doctest", "traceback", "logging", "pickle", "copyreg",
        "marshal", "dis", "attrgetter", "methodcaller", "exc_info", "exception", "tb_next", "f_code",
        "co_name", "RecursionError", "setrecursionlimit", "getrecursionlimit",
    }
)


class OperatorAliasPass(Pass):
    name = "operator-alias"
    description = "Turn a reflected operator that returns `self OP other` into an alias of the forward one."
    safety = Safety.SAFE
    safety_statement = (
        "Inside `__radd__(self, other)`, `self + other` calls `type(self).__add__(self, other)` and "
        "returns its result, unless `type(other)` is a proper subclass of `type(self)` or `__add__` "
        "returns NotImplemented. So the rewrite is made only when the class has no subclass and no "
        "way to get one: its name is read only as `C(...)` or as `isinstance`'s second argument, "
        "and the program never names `type`, `__class__` or any other dunder outside class bodies, "
        "reads no dunder attribute but `__init__`, has no dunder in its strings and reaches nothing "
        "through strings (eval/exec/globals/getattr & co) or introspection (inspect, gc, frames, "
        "tracebacks). The class has no decorator, metaclass or base but `object`, no "
        "`__getattr__`/`__getattribute__`; the program never names NotImplemented; the forward "
        "method is a plain def or lambda of exactly two positional parameters, not a generator, "
        "bound exactly once in the same class body before the reflected one, and neither name is "
        "read in the class body (so nothing sees the functions themselves, whose `__name__` and "
        "`__doc__` now are the forward ones). The alias skips one call frame."
    )

    example = (
        "class V:\n    def __init__(self, n):\n        self.n = n\n    def __mul__(self, k):\n"
        "        return V(self.n * k)\n    def __rmul__(self, k):\n        return self * k\n"
        "print((3 * V(2)).n, (V(2) * 4).n)\n",
        "class V:\n    def __init__(self, n):\n        self.n = n\n    def __mul__(self, k):\n"
        "        return V(self.n * k)\n    __rmul__ = __mul__\nprint((3 * V(2)).n, (V(2) * 4).n)\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        dynamic = facts.dynamic
        if dynamic.names_frozen or dynamic.any_attribute_by_string or dynamic.attribute_strings:
            raise Skip("the program reaches names or attributes through strings (eval/exec/globals/getattr)")
        if facts.introspection:
            raise Skip("the program lists names it does not spell (dir/inspect)")
        if facts.touches_builtins:
            raise Skip("the program reaches the builtins module")
        if any("__" in text for text in facts.string_texts):
            raise Skip("a string of the program spells a dunder")
        words, stray_dunder = _words(facts)
        if stray_dunder:
            raise Skip("the program names a dunder outside class bodies or reads a dunder attribute")
        forbidden = sorted(words & _FORBIDDEN_WORDS)
        if forbidden:
            raise Skip(f"the program names {forbidden[0]}, which reaches classes, function names or frames")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        sites = []
        for classdef in facts.classes:
            if sealed_class(facts, classdef):
                for node, reflected, forward in _class_sites(facts, classdef):
                    sites.append(Site(node, f"{classdef.name.value}.{reflected} = {forward}"))
        sites.sort(key=lambda site: (facts.positions[site.target].start.line, facts.positions[site.target].start.column))
        if context.shipped_size is not None:
            # A shorter def can make a larger packed file (the def repeats its neighbours; the
            # alias does not): offered only when it shrinks the shipped file on its own.
            before = context.size(facts.module.code)
            sites = [site for site in sites if context.size(self.rewrite(facts, [site], context)) < before]
        return sites

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        chosen = {site.target: _PAIRS[_bound_name(site.target)][0] for site in sites}
        return facts.module.visit(_Rewriter(chosen)).code


# --- program ------------------------------------------------------------------------------------


def _words(facts: ProgramFacts) -> tuple[set[str], bool]:
    """Every name and attribute word of the program; whether a dunder name is used outside a
    class body or a dunder attribute is read."""
    words, stray_dunder = set(), False
    for node in facts.nodes(cst.Name):
        words.add(node.value)
        parent = facts.parent(node)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            if is_dunder(node.value) and node.value not in PLAIN_DUNDER_ATTRIBUTES:
                stray_dunder = True
        elif is_dunder(node.value) and not isinstance(facts.scopes.get(node), ClassScope):
            stray_dunder = True  # __name__, __class__, __main__, __builtins__, ...
    return words, stray_dunder


# --- class --------------------------------------------------------------------------------------


# --- sites --------------------------------------------------------------------------------------


def _class_sites(facts: ProgramFacts, classdef: cst.ClassDef) -> list[tuple[cst.CSTNode, str, str]]:
    """(node to replace, reflected name, forward name): the node is the reflected ``def`` or the
    ``Assign`` of its lambda."""
    scope = class_body_scope(facts, classdef)
    statements = list(classdef.body.body)
    forward_at: dict[str, int] = {}
    sites = []
    for index, statement in enumerate(statements):
        for node, name, function in _bindings(statement):
            if name in _PAIRS:
                forward, operator = _PAIRS[name]
                if (
                    forward in forward_at
                    and _bound_once_unread(facts, scope, name)
                    and _bound_once_unread(facts, scope, forward)
                    and _delegates(function, operator)
                ):
                    sites.append((node, name, forward))
            elif function is not None and _plain_binary(function):
                forward_at[name] = index
    return sites


def _bindings(statement: cst.CSTNode):
    """(node, name, function) for a ``def`` or ``name = lambda ...`` statement of a class body."""
    if isinstance(statement, cst.FunctionDef):
        plain = not statement.decorators and statement.asynchronous is None
        plain = plain and not getattr(statement, "type_parameters", None)
        yield statement, statement.name.value, statement if plain else None
    elif isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Lambda)
            ):
                yield small, small.targets[0].target.value, small.value


def _bound_name(node: cst.FunctionDef | cst.Assign) -> str:
    return node.name.value if isinstance(node, cst.FunctionDef) else node.targets[0].target.value


def _bound_once_unread(facts: ProgramFacts, scope: ClassScope, name: str) -> bool:
    """One binding in the class body and no read of the name there (so the alias sees the
    function that binding made, and nothing else holds the reflected function itself)."""
    if name in facts.deleted_names or name in facts.walrus_names:
        return False
    return len(scope.assignments[name]) == 1 and not scope.accesses[name]


def _two_positional(params: cst.Parameters) -> list[cst.Param] | None:
    positional = [*params.posonly_params, *params.params]
    if params.kwonly_params or isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return None
    if len(positional) != 2 or any(p.default is not None for p in positional):
        return None
    return positional


class _Yields(cst.CSTVisitor):
    found = False

    def visit_Yield(self, node) -> None:
        self.found = True

    def visit_Await(self, node) -> None:
        self.found = True


def _plain_binary(function: cst.FunctionDef | cst.Lambda) -> bool:
    """A forward method the alias may stand for: two positional parameters, returns a value."""
    if _two_positional(function.params) is None:
        return False
    yields = _Yields()
    function.visit(yields)
    return not yields.found


def _delegates(function: cst.FunctionDef | cst.Lambda | None, operator: type) -> bool:
    """``function`` is exactly ``(a, b) -> a OP b``, evaluates nothing when defined but itself,
    and has no annotation whose evaluation the alias would drop."""
    if function is None:
        return False
    params = _two_positional(function.params)
    if params is None or any(p.annotation is not None for p in params):
        return False
    if isinstance(function, cst.Lambda):
        expression = function.body
    else:
        if function.returns is not None:
            return False
        expression = _returned(function.body)
    return (
        isinstance(expression, cst.BinaryOperation)
        and type(expression.operator) is operator
        and isinstance(expression.left, cst.Name)
        and isinstance(expression.right, cst.Name)
        and expression.left.value == params[0].name.value
        and expression.right.value == params[1].name.value
    )


def _returned(body: cst.BaseSuite) -> cst.BaseExpression | None:
    """The expression of a body that is ``return EXPR``, possibly after a docstring."""
    if isinstance(body, cst.SimpleStatementSuite):
        smalls = list(body.body)
    else:
        smalls = []
        for statement in body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                return None
            smalls += statement.body
    if len(smalls) == 2:
        docstring = smalls[0]
        # A plain literal only: an f-string part would be evaluated on every call.
        if not (isinstance(docstring, cst.Expr) and isinstance(docstring.value, cst.SimpleString)):
            return None
        smalls = smalls[1:]
    if len(smalls) != 1 or not isinstance(smalls[0], cst.Return):
        return None
    return smalls[0].value


class _Rewriter(cst.CSTTransformer):
    def __init__(self, chosen: dict[cst.CSTNode, str]):
        super().__init__()
        self.chosen = chosen

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign):
        if original not in self.chosen:
            return updated
        return updated.with_changes(value=cst.Name(self.chosen[original]))

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):
        if original not in self.chosen:
            return updated
        alias = cst.Assign(targets=[cst.AssignTarget(cst.Name(updated.name.value))], value=cst.Name(self.chosen[original]))
        return cst.SimpleStatementLine(body=[alias], leading_lines=updated.leading_lines)
