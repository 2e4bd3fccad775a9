"""loop-comprehension: an accumulation loop right after an empty list becomes a list comprehension.

    xs = []
    for t in items:          ->    xs = [f(t) for t in items]
        xs.append(f(t))

Site: a statement ``L = []`` (one plain name target) that ends its line and is directly followed,
in the same block, by ``for T in ITER:`` (not async, no ``else``) whose body is the one small
statement ``L.append(X)``, ``L += X,`` or ``L += [X]``. Sites are numbered in source order.

A site is taken only when:

- ``L`` and the names of ``T`` (a name or a tuple of names) are plain variables of the enclosing
  function or module that only its own code reads (not global/nonlocal anywhere, no closure,
  lambda, class or generator sees them, not dunder, not deleted, no walrus binds them);
- ``T`` is not ``L``, and neither ``X`` nor ``ITER`` mentions ``L`` (in the loop they would see
  the partial list; in the comprehension ``L`` is not bound yet);
- every read of a name of ``T`` outside ``X`` sits in the body of another ``for`` loop of the same
  scope that binds that name and does not contain this loop: the loop variable leaks out of a
  ``for`` but not out of a comprehension, so no read may see the value this loop left behind;
- inside ``X`` the names of ``T`` are read directly or by list/set/dict comprehensions, which run
  on the spot (a lambda or generator would capture the loop's one variable, later rebound, where
  the comprehension gives each item its own);
- no ``try`` or ``with`` encloses the statements within the function or module: if an item
  raises, the original leaves the partial list bound, the comprehension leaves ``L`` unbound;
- ``X`` and ``ITER`` hold no walrus, ``yield`` or ``await`` (which bind or suspend differently
  inside a comprehension's own scope), and ``X`` no zero-argument ``super()``/``__class__``;
- in a function, every other local that ``X`` reads is definitely bound there (inside the
  comprehension an unbound one would raise NameError instead of UnboundLocalError).

The enclosing scope must be a function or the module (a class body's names are invisible inside
a comprehension). Programs that reach names by string (eval, exec, globals()...), read frames or
could notice when an object dies (``__del__``, weakref, generators with cleanup) are left alone:
the list and the last item now live a little longer or shorter.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import FunctionScope

from golfkit.analysis import (
    LAMBDA,
    OR,
    UNMOVABLE,
    ProgramFacts,
    StatementRemover,
    code,
    finalizers_observable,
    guarded,
    owned_by_scope,
    precedence,
    runs_inline,
)
from golfkit.analysis.syntax import find_nodes
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import captured_names

# Names that mean something else inside a comprehension's own function scope.
_CLASS_CELL = ("super", "__class__")
# Element texts ending in one of these need no space before ``for``.
_CLOSERS = ")]}'\""


@dataclass(eq=False)
class _Site:
    assign: cst.Assign  # L = [], which receives the comprehension
    loop: cst.For  # removed
    element: cst.BaseExpression  # X
    name: str  # L
    position: tuple[int, int]


class LoopComprehensionPass(Pass):
    name = "loop-comprehension"
    description = "Turn `L = []` followed by a loop appending one item per iteration into a list comprehension."
    safety = Safety.SAFE
    safety_statement = (
        "`L = []; for T in ITER: L.append(X)` (or `L += X,` / `L += [X]`) becomes "
        "`L = [X for T in ITER]` only when L and T's names are function locals or module globals "
        "seen by no other scope, X and ITER do not mention L, T's names are never read where this "
        "loop's last value could reach (only inside X, or in another loop that rebinds them), X "
        "gives lambdas and generators no access to T, no try or with encloses the loop (so a "
        "partial list is never observed), X and ITER have no walrus/yield/await, X no "
        "zero-argument super, other locals X reads are definitely bound, and the scope is not a "
        "class body. Nothing happens when eval/exec/globals(), frame introspection or finalizers "
        "could observe names or object lifetimes."
    )

    example = (
        "squares = []\nfor n in range(5):\n    squares.append(n * n)\nprint(squares)\n",
        "squares = [n * n for n in range(5)]\nprint(squares)\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.dynamic.names_frozen:
            raise Skip("the program reaches names through strings (eval/exec/globals)")
        if facts.introspection:
            raise Skip("the program lists names it does not spell (dir/inspect)")
        if facts.reads_frames:
            raise Skip("the program reads frames")
        if finalizers_observable(facts):
            raise Skip("the program could notice when an object dies (finalizers, weakref)")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        found = []
        for block in (facts.module, *facts.nodes(cst.IndentedBlock)):
            found.extend(_scan(facts, block.body))
        found.sort(key=lambda site: site.position)
        return [Site(site, f"{site.name} = [] then {code(site.loop).strip()}") for site in found]

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        return facts.module.visit(_Rewriter([site.target for site in sites])).code


# ---------------------------------------------------------------------------------------------
# Finding sites
# ---------------------------------------------------------------------------------------------


def _scan(facts: ProgramFacts, statements) -> list[_Site]:
    found = []
    for line, loop in zip(statements, statements[1:]):
        if isinstance(line, cst.SimpleStatementLine) and isinstance(loop, cst.For):
            site = _site(facts, line.body[-1], loop)
            if site is not None:
                found.append(site)
    return found


def _site(facts: ProgramFacts, assign, loop: cst.For) -> _Site | None:
    name = _empty_list_target(assign)
    if name is None or loop.asynchronous is not None or loop.orelse is not None:
        return None
    element = _appended(_lone_body(loop), name)
    targets = _target_names(loop.target)
    if element is None or targets is None or name in targets:
        return None
    scope = facts.scopes.get(assign)
    if facts.scopes.get(loop) is not scope or not _variable(facts, scope, name):
        return None
    if guarded(facts, loop, scope):
        return None
    for part in (element, loop.iter):
        if find_nodes(part, *UNMOVABLE, names=(name,)):
            return None
    if find_nodes(element, names=_CLASS_CELL):
        return None
    if not all(_variable(facts, scope, t) and _reads_ok(facts, scope, t, loop, element) for t in targets):
        return None
    if isinstance(scope, FunctionScope) and not _locals_bound(facts, scope, element, targets):
        return None
    start = facts.positions[assign].start
    return _Site(assign, loop, element, name, (start.line, start.column))


def _variable(facts: ProgramFacts, scope, name: str) -> bool:
    if name in captured_names(facts):
        return False  # a match pattern may bind it where libcst sees no binding
    return not facts.name_untouchable(name) and owned_by_scope(facts, scope, name)


def _empty_list_target(small) -> str | None:
    """``L`` for ``L = []``."""
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
        return None
    target = small.targets[0].target
    if isinstance(target, cst.Name) and isinstance(small.value, cst.List) and not small.value.elements:
        return target.value
    return None


def _lone_body(loop: cst.For):
    """The loop body's only small statement, if it has exactly one."""
    body = loop.body
    if isinstance(body, cst.IndentedBlock):
        if len(body.body) != 1 or not isinstance(body.body[0], cst.SimpleStatementLine):
            return None
        body = body.body[0]
    return body.body[0] if len(body.body) == 1 else None


def _appended(small, name: str) -> cst.BaseExpression | None:
    """``X`` for ``name.append(X)``, ``name += X,`` or ``name += [X]``."""
    if isinstance(small, cst.Expr):
        call = small.value
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name)
                and call.func.value.value == name and call.func.attr.value == "append"):
            return None
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return None
        return call.args[0].value
    if isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign):
        if not (isinstance(small.target, cst.Name) and small.target.value == name) or not isinstance(small.value, (cst.Tuple, cst.List)):
            return None
        elements = small.value.elements
        if len(elements) == 1 and isinstance(elements[0], cst.Element):
            return elements[0].value
    return None


def _target_names(target) -> list[str] | None:
    """The names a ``for`` target of a name or a flat tuple of names binds."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Tuple) and all(
        isinstance(e, cst.Element) and isinstance(e.value, cst.Name) for e in target.elements
    ):
        return [e.value.value for e in target.elements]
    return None


def _binds(target, name: str) -> bool:
    """A ``for`` target (names, possibly nested in tuples, lists or stars) binds ``name``."""
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(e.value, name) for e in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, name)
    return False


def _within(facts: ProgramFacts, node, container) -> bool:
    return node is container or any(a is container for a in facts.ancestors(node))


def _reads_ok(facts: ProgramFacts, scope, name: str, loop: cst.For, element) -> bool:
    """No read of ``scope``'s ``name`` can see the value ``loop`` leaves behind."""
    for assignment in scope.assignments[name]:
        for access in assignment.references:
            node = access.node
            if not isinstance(node, cst.Name):
                return False  # a string annotation and the like
            reader = facts.scopes.get(node)
            if _within(facts, node, element):
                # Read per item: by the loop itself or by comprehensions that run on the spot.
                if not runs_inline(reader, scope):
                    return False
            elif reader is not scope or not _rebound_before(facts, node, name, loop):
                return False
    return True


def _rebound_before(facts: ProgramFacts, read: cst.Name, name: str, loop: cst.For) -> bool:
    """``read`` is in the body of another ``for`` loop binding ``name`` that does not contain
    ``loop``: every path from ``loop`` to the read passes that loop's binding."""
    outer = set(facts.ancestors(loop))
    child = read
    for ancestor in facts.ancestors(read):
        if ancestor is loop or isinstance(ancestor, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return False
        if isinstance(ancestor, cst.For) and child is ancestor.body and _binds(ancestor.target, name):
            return ancestor not in outer
        child = ancestor
    return False


def _locals_bound(facts: ProgramFacts, scope, element, targets: list[str]) -> bool:
    """Every read in ``element`` of another local of ``scope`` is definitely bound."""
    captured = captured_names(facts)
    for node in find_nodes(element, cst.Name):
        if node.value in targets:
            continue
        if node.value in captured:
            return False  # a match pattern may bind it, unseen by libcst: not surely bound
        referents = facts.referents(node)
        if referents and any(getattr(a, "scope", None) is scope for a in referents):
            if not facts.definitely_bound(node):
                return False
    return True


# ---------------------------------------------------------------------------------------------
# Rewriting
# ---------------------------------------------------------------------------------------------


class _Rewriter(StatementRemover):
    """Drops each taken loop and gives its ``L = []`` the comprehension."""

    def __init__(self, sites: list[_Site]):
        super().__init__({site.loop for site in sites})
        self.by_assign = {site.assign: site for site in sites}

    def leave_Assign(self, original, updated):
        site = self.by_assign.get(original)
        return updated if site is None else updated.with_changes(value=_comprehension(site))


def _parenthesized(expr: cst.BaseExpression, needed: int) -> cst.BaseExpression:
    bare_generator = isinstance(expr, cst.GeneratorExp) and not expr.lpar  # the sole argument of a call
    if precedence(expr) < needed or bare_generator:
        return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expr


def _comprehension(site: _Site) -> cst.ListComp:
    loop = site.loop
    element = _parenthesized(site.element, LAMBDA)
    gap = "" if code(element).endswith(tuple(_CLOSERS)) else " "
    return cst.ListComp(
        elt=element,
        for_in=cst.CompFor(
            target=loop.target,
            iter=_parenthesized(loop.iter, OR),
            whitespace_before=cst.SimpleWhitespace(gap),
            whitespace_after_for=loop.whitespace_after_for,
            whitespace_before_in=loop.whitespace_before_in,
            whitespace_after_in=loop.whitespace_after_in,
        ),
    )
