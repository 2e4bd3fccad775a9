"""Order of evaluation: what a statement evaluates before a given node, whether that node runs
exactly once, and which values nothing can change while an expression moves past them.

A moved expression keeps its meaning only if everything it jumps over is an *atom* (no effect,
cannot raise, same value before and after) and nothing can observe the move: no handler or context
manager around it, no finalizer that would now run later, no other scope reading the variable.
Every question answers "no" (or None) whenever the order is not modelled.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ComprehensionScope, FunctionScope, GlobalScope

from golfkit.analysis.syntax import COMPREHENSIONS, find_nodes, index_of, is_dunder

# Builtin container types whose method lookups cannot run user code.
CONTAINER_TYPES = {cst.List: list, cst.ListComp: list, cst.Dict: dict, cst.DictComp: dict,
                   cst.Set: set, cst.SetComp: set, cst.SimpleString: str}

# Builtins that only iterate their first argument, so that any iterable of the same items in the
# same order (a dict's values, a list of them) gives the same result.
ITERATING_FIRST = frozenset(
    {"list", "tuple", "set", "frozenset", "sorted", "sum", "any", "all", "enumerate", "min", "max"}
)
# Builtins whose every positional argument after the first (``map``) or every one (``zip``) is
# an iterable.
ITERATING_LATER = frozenset({"map"})
ITERATING_ANY = frozenset({"zip"})


def siblings_before(parent: cst.CSTNode, child: cst.CSTNode) -> list[cst.CSTNode] | None:
    """Siblings evaluated before ``child`` inside ``parent``; None if ``child`` may run zero or
    several times per evaluation of ``parent``, or the order is not modelled."""
    if isinstance(parent, (cst.Attribute, cst.UnaryOperation, cst.Arg, cst.Element, cst.Index,
                           cst.SubscriptElement, cst.ComparisonTarget, cst.Expr, cst.Return)):
        return []
    if isinstance(parent, cst.StarredElement):
        return []
    if isinstance(parent, cst.Subscript):
        if child is parent.value:
            return []
        index = index_of(parent.slice, child)
        return [parent.value, *parent.slice[:index]]
    if isinstance(parent, cst.Slice):
        parts = [p for p in (parent.lower, parent.upper, parent.step) if p is not None]
        return parts[: index_of(parts, child)]
    if isinstance(parent, cst.Call):
        if child is parent.func:
            return []
        return [parent.func, *parent.args[: index_of(parent.args, child)]]
    if isinstance(parent, cst.BinaryOperation):
        return [] if child is parent.left else [parent.left]
    if isinstance(parent, cst.BooleanOperation):
        return [] if child is parent.left else None  # the right operand may not run
    if isinstance(parent, cst.Comparison):
        if child is parent.left:
            return []
        index = index_of(parent.comparisons, child)
        return [parent.left] if index == 0 else None  # chained comparisons short-circuit
    if isinstance(parent, cst.IfExp):
        return [] if child is parent.test else None
    if isinstance(parent, (cst.Tuple, cst.List, cst.Set)):
        return list(parent.elements[: index_of(parent.elements, child)])
    if isinstance(parent, cst.Dict):
        return list(parent.elements[: index_of(parent.elements, child)])
    if isinstance(parent, cst.DictElement):
        return [] if child is parent.key else [parent.key]
    if isinstance(parent, COMPREHENSIONS):
        return [] if child is parent.for_in else None
    if isinstance(parent, cst.CompFor):
        # Only the first iterable runs once, in the enclosing scope.
        return [] if child is parent.iter and parent.asynchronous is None else None
    if isinstance(parent, cst.FormattedStringExpression):
        return [] if child is parent.expression and parent.equal is None else None
    if isinstance(parent, cst.FormattedString):
        index = index_of(parent.parts, child)
        # An earlier field is formatted (user __format__) before this one is evaluated.
        return [] if all(isinstance(p, cst.FormattedStringText) for p in parent.parts[:index]) else None
    if isinstance(parent, cst.Assign):
        return [] if child is parent.value else None
    if isinstance(parent, cst.AugAssign):
        return [parent.target] if child is parent.value else None
    return None


def is_atom(facts, node: cst.CSTNode) -> bool:
    """Evaluating ``node`` has no effect, cannot raise, and yields the same value before or
    after any expression without walrus (the prefix a moved expression may jump over)."""
    if isinstance(node, (cst.Arg, cst.Element)):
        return not getattr(node, "star", "") and is_atom(facts, node.value)
    if isinstance(node, cst.DictElement):
        return False  # hashing a key may run user code
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return is_atom(facts, node.left) and is_atom(facts, node.right)
    if isinstance(node, cst.Name):
        return facts.definitely_bound(node) and facts.stable(node)
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(isinstance(e, cst.Element) and is_atom(facts, e.value) for e in node.elements)
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        kind = container_type(facts, node.value)
        return kind is not None and hasattr(kind, node.attr.value) and is_atom(facts, node.value)
    if isinstance(node, cst.SubscriptElement):
        return isinstance(node.slice, cst.Index) and is_atom(facts, node.slice.value)
    return False


def container_type(facts, name: cst.Name):
    """list/dict/set/str when every binding of ``name`` is a display or comprehension of it."""
    referents = facts.referents(name)
    kinds = set()
    for assignment in referents or ():
        target = getattr(assignment, "node", None)
        holder = facts.parent(target) if isinstance(target, cst.Name) else None
        statement = facts.parent(holder) if isinstance(holder, cst.AssignTarget) else None
        if not isinstance(statement, cst.Assign):
            return None
        kinds.add(CONTAINER_TYPES.get(type(statement.value)))
    return kinds.pop() if len(kinds) == 1 else None


def inside_fstring(facts, node) -> bool:
    """``node`` sits in an f-string replacement field, where only some texts may go."""
    return any(isinstance(a, cst.FormattedStringExpression) for a in facts.ancestors(node))


def runs_inline(scope, owner) -> bool:
    """``scope`` is ``owner`` or a list/set/dict comprehension evaluated on the spot inside it
    (a generator expression runs whenever it is iterated, so it does not count)."""
    while isinstance(scope, ComprehensionScope) and not isinstance(scope.node, cst.GeneratorExp):
        scope = scope.parent
    return scope is owner


def guarded(facts, statement, scope) -> bool:
    """A ``try`` or ``with`` encloses ``statement`` within its function (or the module)."""
    top = facts.module if isinstance(scope, GlobalScope) else scope.node
    for ancestor in facts.ancestors(statement):
        if ancestor is top:
            return False
        if isinstance(ancestor, (cst.Try, cst.TryStar, cst.With)):
            return True
    return False


def finalizers_observable(facts) -> bool:
    """The program could notice when a value dies (a ``__del__``, a weakref callback or a
    generator's cleanup code), so a rewrite that keeps an old value alive longer is visible."""
    if (any(function.name.value == "__del__" for function in facts.nodes(cst.FunctionDef))
            or any(name.value == "weakref" for name in facts.nodes(cst.Name))):
        return True
    return any(find_nodes(f, cst.Yield) and find_nodes(f, cst.Try, cst.TryStar, cst.With) for f in facts.functions)


def owned_by_scope(facts, scope, name: str) -> bool:
    """``name`` is a plain variable of ``scope`` that only ``scope``'s own code (and list, set
    and dict comprehensions run inline in it) reads or writes."""
    function = isinstance(scope, FunctionScope) and isinstance(scope.node, cst.FunctionDef)
    if not (function or isinstance(scope, GlobalScope)):
        return False
    if is_dunder(name) or name in facts.walrus_names or name in facts.declared_names:
        return False
    if facts.redirected(scope, name) or (id(scope), name) in facts.remote_writes:
        return False
    if isinstance(scope, GlobalScope) and facts.module_reachable:
        return False
    for assignment in scope.assignments[name]:
        if facts.scopes.get(getattr(assignment, "node", None)) is not scope:
            return False
        for access in assignment.references:
            if not runs_inline(facts.scopes.get(access.node), scope):
                return False
    return True


def iterated_once(facts, call: cst.Call) -> bool:
    """The value of ``call`` (``D.values()``, say) is only iterated, once, front to back."""
    parent = facts.parent(call)
    if isinstance(parent, cst.For) and parent.iter is call:
        return parent.asynchronous is None
    if isinstance(parent, cst.CompFor) and parent.iter is call:
        return parent.asynchronous is None
    if isinstance(parent, cst.StarredElement):
        return True
    if not isinstance(parent, cst.Arg):
        return False
    if parent.star == "*":
        return True
    outer = facts.parent(parent)
    if parent.star or parent.keyword is not None or not isinstance(outer, cst.Call):
        return False
    if any(arg.star for arg in outer.args):
        return False
    positional = [arg for arg in outer.args if arg.keyword is None]
    place = positional.index(parent)
    if facts.reads_builtin(outer.func, ITERATING_FIRST):
        if outer.func.value in ("min", "max") and len(positional) != 1:
            return False  # ``max(D.values(), x)`` compares the view itself
        return place == 0
    if facts.reads_builtin(outer.func, ITERATING_LATER):
        return place > 0
    if facts.reads_builtin(outer.func, ITERATING_ANY):
        return True
    # ``"sep".join(D.values())``
    func = outer.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "join"
        and isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString))
        and len(outer.args) == 1
    )
