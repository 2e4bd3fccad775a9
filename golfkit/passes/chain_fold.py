"""Folding of reassignment chains: ``x = E1; x = f(x)`` becomes ``x = f(E1)``, and of copies:
``x = E; y = x`` becomes ``x = y = E``.

Chain site: two statements run one right after the other in the same block (consecutive lines, or
consecutive small statements of one line), ``X = E1`` then ``X = E2``, each with the single
target ``X``, where ``E2`` reads that ``X`` exactly once. ``E1`` takes the place of the read and
the first statement goes. Every link of a chain ``X = E1; X = E2; X = E3`` is its own site; links
enabled together compose (``X = E3[E2[E1]]``).

A link is taken only when:

- ``X`` is a local of a function (not declared global/nonlocal anywhere, read by no nested
  function, lambda, class or generator expression: those could see ``X`` while ``E2`` runs), or a
  module global that no function, lambda, class or generator expression refers to;
- the read is evaluated exactly once per run of ``E2`` (not in a lambda, a comprehension body or
  inner iterable, a short-circuited or conditional operand); other ``X`` in ``E2`` must be other
  bindings (``[X + 1 for X in X]``: only the first iterable reads the outer ``X``);
- ``E2`` evaluates only *atoms* before the read (literals, stable definitely-bound names,
  bound-method lookups on builtin containers): they are now evaluated before ``E1`` and must not
  notice (the same notion as the variable inliner);
- neither statement sits inside a ``try`` or ``with`` (at any depth of the function or module):
  were ``E2`` to raise, ``X`` would keep its older value instead of ``E1``'s, and only a handler
  or a context manager could carry on and see it;
- ``E1`` holds no walrus, ``yield`` or ``await``.

The old value of ``X`` now lives until ``E2`` has run, so programs that could notice when it dies
(``__del__``, weakref, generators with cleanup code) are left alone, as are programs that reach
names by string (eval, exec, globals()...) or read frames' locals.

Copy site: ``X = E`` directly followed (same rules of adjacency) by ``Y = X``, each with one plain
name target, ``X != Y``. Targets are bound left to right, so ``X = Y = E`` binds ``X`` and then
``Y`` to the same object, the very stores the two statements made; the dropped read of the
just-bound ``X`` had no effect and could not fail. Whatever ``X`` and ``Y`` are (locals, globals,
nonlocals, module names) this holds, with two exceptions, both left alone: a class body whose
namespace may be a custom mapping (any base or keyword: a metaclass's ``__prepare__``), and
programs where the read could see something else, because the old value's finalizer runs in
between or a tracer reads frames' locals (the same program-wide guards as for chains).

Sites of both kinds are numbered together by their first statement. Where they overlap:

- a copy whose ``Y = X`` is also the first statement of a chain link (``x = E; y = x; y = f(y)``)
  is not a site: both would drop ``y = x`` and the link saves more (``x = E; y = f(x)``);
- a copy after a link composes (``x = E0; x = f(x); y = x`` -> ``x = y = f(E0)``), and so do copies
  in a row (``x = E; y = x; z = y`` -> ``x = y = z = E``): each link fills its read and each copy
  only adds a target to its first statement, taking over the targets its dropped statement got;
- ``x = E; y = x; x = f(x)`` has no chain link (the two ``x`` statements are not adjacent), only
  the copy: ``x = y = E; x = f(x)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import ClassScope

from golfkit.analysis import (
    UNMOVABLE,
    ProgramFacts,
    StatementRemover,
    code,
    finalizers_observable,
    fit,
    fstring_safe,
    guarded,
    inside_fstring,
    is_atom,
    owned_by_scope,
    siblings_before,
)
from golfkit.analysis.syntax import find_nodes
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip


@dataclass(eq=False)
class _Copy:
    first: cst.Assign  # X = E, which gains the target Y
    second: cst.Assign  # Y = X, removed when the copy is taken
    position: tuple[int, int]

    @property
    def key(self) -> str:
        name, copy = _target(self.first), _target(self.second)
        return f"copy {name} = {code(self.first.value)}; {copy} = {name}"


@dataclass(eq=False)
class _Link:
    earlier: cst.Assign  # X = E1, removed when the link is taken
    later: cst.Assign  # X = E2, whose one read of X receives E1
    read: cst.Name
    position: tuple[int, int]

    @property
    def key(self) -> str:
        name = _target(self.earlier)
        return f"chain {name} = {code(self.earlier.value)}; {name} = {code(self.later.value)}"


class ChainFoldPass(Pass):
    name = "chain-fold"
    description = (
        "Fold reassignment chains (x = E1; x = f(x)) into one assignment (x = f(E1)) and copies "
        "(x = E; y = x) into one chained assignment (x = y = E)."
    )
    safety = Safety.SAFE
    safety_statement = (
        "``X = E1`` directly followed by ``X = E2`` becomes ``X = E2`` with ``E1`` at ``E2``'s "
        "only read of that ``X``, when the read is evaluated exactly once and only side-effect-"
        "free, non-raising atoms that ``E1`` cannot change are evaluated before it, ``E1`` has no "
        "walrus, yield or await, ``X`` is a function local or module global that no nested "
        "function, lambda, class or generator can see, and no try or with encloses the "
        "statements (so if ``E2`` raises, nothing can observe that ``X`` was not rebound). "
        "Nothing happens when eval/exec/globals() or frame introspection can reach names. "
        "``X = E`` directly followed by ``Y = X`` becomes ``X = Y = E``: targets are bound left "
        "to right, so the same stores happen in the same order and only a read of the just-bound "
        "``X`` goes; not in class bodies that may have a custom namespace, nor when a finalizer "
        "or a frame reader could run between the two statements."
    )

    example = (
        "def words(text):\n"
        "    parts = text.split()\n"
        "    parts = sorted(parts)\n"
        "    first = parts\n"
        "    return first\n"
        "print(words(\"b c a\"))\n",
        "def words(text):\n"
        "    parts = first = sorted(text.split())\n"
        "    return first\n"
        "print(words(\"b c a\"))\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.reads_frames:
            raise Skip("the program reads frames' locals")
        if finalizers_observable(facts):
            raise Skip("the program can observe when a value dies (__del__, weakref, generator cleanup)")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        # Copies never move an evaluation, so names reached by string cannot tell them apart.
        finder = _LinkFinder(facts, chains=not (facts.dynamic.names_frozen or facts.introspection))
        for block in (facts.module, *facts.nodes(cst.IndentedBlock)):
            finder.scan(block.body)
        for suite in facts.nodes(cst.SimpleStatementSuite):
            finder.pairs(suite.body)
        dropped = {link.earlier for link in finder.links}
        copies = [copy for copy in finder.copies if copy.second not in dropped]
        found = sorted([*finder.links, *copies], key=lambda site: site.position)
        return [Site(site, site.key) for site in found]

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        links = [site.target for site in sites if isinstance(site.target, _Link)]
        copies = [site.target for site in sites if isinstance(site.target, _Copy)]
        return facts.module.visit(_Rewriter(facts, links, copies)).code


# ---------------------------------------------------------------------------------------------
# Finding links
# ---------------------------------------------------------------------------------------------


class _LinkFinder:
    def __init__(self, facts: ProgramFacts, chains: bool = True):
        self.facts = facts
        self.chains = chains
        self.links: list[_Link] = []
        self.copies: list[_Copy] = []
        self._owners: dict = {}

    def scan(self, statements):
        """Runs of small statements executed back to back; compound statements end a run."""
        run: list = []
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                run.extend(statement.body)
            else:
                self.pairs(run)
                run = []
        self.pairs(run)

    def pairs(self, run):
        for first, second in zip(run, run[1:]):
            link = self._link(first, second) if self.chains else None
            if link is not None:
                self.links.append(link)
            copy = self._copy(first, second)
            if copy is not None:
                self.copies.append(copy)

    def _copy(self, first, second) -> _Copy | None:
        name = _target(first)
        if name is None or _target(second) in (None, name):
            return None
        if not (isinstance(second.value, cst.Name) and second.value.value == name and not second.value.lpar):
            return None
        scope = self.facts.scopes.get(first)
        if isinstance(scope, ClassScope) and (scope.node.bases or scope.node.keywords):
            return None  # the namespace may be a metaclass's own mapping
        start = self.facts.positions[first].start
        return _Copy(first, second, (start.line, start.column))

    def _link(self, first, second) -> _Link | None:
        facts = self.facts
        name = _target(first)
        if name is None or _target(second) != name:
            return None
        scope = facts.scopes.get(first)
        if not self._owner_ok(scope, name) or guarded(facts, second, scope):
            return None
        if find_nodes(first.value, *UNMOVABLE):
            return None
        reads = _outer_reads(facts, second.value, name, scope)
        if reads is None or len(reads) != 1:
            return None
        (read,) = reads
        before = _evaluated_before(facts, read, second)
        if before is None or not all(is_atom(facts, item) for item in before):
            return None
        if inside_fstring(facts, read):
            # The moved text must suit a replacement field, and nothing may later compose into it.
            if not fstring_safe(first.value) or find_nodes(first.value, names=(name,)):
                return None
        start = facts.positions[first].start
        return _Link(first, second, read, (start.line, start.column))

    def _owner_ok(self, scope, name: str) -> bool:
        key = (id(scope), name)
        if key not in self._owners:
            self._owners[key] = owned_by_scope(self.facts, scope, name)
        return self._owners[key]


def _target(small) -> str | None:
    """``X`` for ``X = value`` with one plain name target."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value
    return None


def _outer_reads(facts: ProgramFacts, expression, name: str, owner) -> list[cst.Name] | None:
    """The reads of ``owner``'s ``name`` in ``expression``; None when one cannot be told apart."""
    reads = []
    for node in find_nodes(expression, names=(name,)):
        scope = facts.scopes.get(node)
        if scope is None:
            return None
        # ``accesses[...]`` answers by name; keep the access made by this very node, if any
        # (targets, keywords and attribute names are not reads).
        accesses = [access for access in scope.accesses[name] if access.node is node]
        if not accesses:
            continue
        referents = {a for access in accesses for a in access.referents}
        if not referents:
            return None
        owners = {a.scope for a in referents}
        if owner in owners:
            if len(owners) != 1:
                return None
            reads.append(node)
    return reads


def _evaluated_before(facts: ProgramFacts, read: cst.Name, assign: cst.Assign) -> list[cst.CSTNode] | None:
    """What ``assign`` evaluates before ``read``; None unless ``read`` runs exactly once."""
    before: list[cst.CSTNode] = []
    child = read
    for parent in facts.ancestors(read):
        earlier = siblings_before(parent, child)
        if earlier is None:
            return None
        before.extend(earlier)
        if parent is assign:
            return before
        child = parent
    return None


# ---------------------------------------------------------------------------------------------
# Rewriting
# ---------------------------------------------------------------------------------------------


class _Rewriter(StatementRemover):
    """Drops each taken link's first statement and puts its (already folded) value at the read;
    drops each taken copy's ``Y = X`` and gives its ``Y`` to the statement before."""

    def __init__(self, facts: ProgramFacts, links: list[_Link], copies: list[_Copy]):
        super().__init__({link.earlier for link in links} | {copy.second for copy in copies})
        self.facts = facts
        self.by_read = {link.read: link for link in links}
        self.values: dict[cst.Assign, cst.BaseExpression] = {}
        # Targets each statement gains, in order; a dropped ``Y = X`` hands on what it gained.
        self.extra: dict[cst.Assign, list[cst.Name]] = {}
        for copy in sorted(copies, key=lambda copy: copy.position, reverse=True):
            gained = self.extra.pop(copy.second, [])
            self.extra[copy.first] = [copy.second.targets[0].target, *gained]

    def on_leave(self, original, updated):
        if original in self.remove and isinstance(original, cst.Assign):
            # Visited before the later statement, with any earlier link already folded in.
            self.values[original] = updated.value
        elif original in self.by_read:
            value = self.values[self.by_read[original].earlier]
            placed = fit(value, self.facts.parent(original), original)
            if original.lpar and not placed.lpar:
                placed = placed.with_changes(lpar=original.lpar, rpar=original.rpar)  # keeps tokens apart
            return placed
        elif original in self.extra:
            last = updated.targets[-1]
            added = [
                last.with_changes(target=name.with_changes(lpar=[], rpar=[])) for name in self.extra[original]
            ]
            return updated.with_changes(targets=[*updated.targets, *added])
        return super().on_leave(original, updated)
