"""Contract pruning: drop what the verified run never executed, where dropping it cannot change
that run.

Sites, in source order, from the run's executed lines (``context.executed_lines``):
- a *branch* of an ``if``/``elif``/``else`` chain whose body never ran, when its test was never
  evaluated or is side-effect free with a truth value that runs no user code (a
  download-if-missing ``if not os.path.exists(...)`` branch goes whole; an ``else`` that never
  ran goes; an ``if`` whose body never ran leaves its ``else`` body in its place);
- a *method* of the program's own classes whose body never ran, that nothing executed named as an
  attribute, and whose mere presence does not matter (``__eq__`` disables hashing, ``__set__``
  makes a data descriptor...).

Branches inside functions go too: the trace (see golfkit.trace) probes every block, so a body that
never ran in any call of the verified run is known, and its test, kept only when it was evaluated
and could do something, is what decides that no call enters it. Another input could (which is
what makes this a contract pass).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from golfkit.analysis import ProgramFacts, StatementRemover, code, is_dunder
from golfkit.analysis.syntax import find_nodes
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import class_pattern_keywords

# Methods whose presence alone changes behaviour, whether or not they ever run.
PRESENCE_MATTERS = frozenset(
    {
        "__eq__", "__hash__", "__get__", "__set__", "__delete__", "__set_name__", "__del__",
        "__init_subclass__", "__class_getitem__", "__getattr__", "__getattribute__",
        "__setattr__", "__delattr__", "__slots__", "__dict__", "__weakref__",
    }
)
PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod", "property"})


@dataclass(eq=False)
class _Branch:
    """One arm of an if/elif/else chain: ``node`` is the If (for if/elif) or the Else."""

    head: cst.If
    node: cst.CSTNode
    position: tuple[int, int]

    @property
    def key(self) -> str:
        if isinstance(self.node, cst.Else):
            return f"else of if {code(self.head.test)}"
        return f"branch if {code(self.node.test)}"


@dataclass(eq=False)
class _Method:
    node: cst.FunctionDef
    position: tuple[int, int]
    owner: str  # the class's name, for the key

    @property
    def key(self) -> str:
        return f"method {self.owner}.{self.node.name.value}"


class ContractPrunePass(Pass):
    name = "contract-prune"
    description = "Drop branches and methods that the verified run never executed."
    safety = Safety.CONTRACT
    safety_statement = (
        "Valid only for the traced run (every result is re-verified for full-log parity): a "
        "branch goes only if its body never ran in any call, and its test was either never "
        "evaluated or is side-effect free, cannot raise and has a truth value that runs no user "
        "code; calls of os.path.exists/isfile/isdir/lexists/islink are assumed read-only here, "
        "which is what lets a download-if-missing branch go, at module level or in a function "
        "(another input may take a branch the run did not). A method goes "
        "only if its body never ran, nothing executed names it as an attribute, no string, "
        "getattr, __dict__, dir() or inspect can reach it, and its presence alone does not "
        "matter (__eq__, __hash__, descriptors, __del__...)."
    )

    example = (
        'import os\n'
        'class Point:\n'
        '    def __init__(self, x):\n'
        '        self.x = x\n'
        '    def norm(self):\n'
        '        return abs(self.x)\n'
        'if not os.path.exists("/"):\n'
        '    print("no root")\n'
        'print(Point(3).x)\n',
        'import os\n'
        'class Point:\n'
        '    def __init__(self, x):\n'
        '        self.x = x\n'
        'print(Point(3).x)\n',
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if not context.contract:
            raise Skip("contract rewrites are off")
        if context.executed_lines is None:
            raise Skip("no trace of the run")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        finder = _SiteFinder(facts, context.executed_lines)
        plans = sorted(finder.branches() + finder.methods(), key=lambda plan: plan.position)
        return [Site(plan, plan.key) for plan in plans]

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        plans = [site.target for site in sites]
        branches = [plan for plan in plans if isinstance(plan, _Branch)]
        methods = {plan.node for plan in plans if isinstance(plan, _Method)}
        return facts.module.visit(_Pruner(methods, branches)).code


class _SiteFinder:
    def __init__(self, facts: ProgramFacts, executed: frozenset[int]):
        self.facts = facts
        self.executed = executed

    def ran(self, node: cst.CSTNode) -> bool:
        return any(line in self.executed for line in self.facts.lines(node))

    def position(self, node: cst.CSTNode) -> tuple[int, int]:
        start = self.facts.positions[node].start
        return start.line, start.column

    def in_function(self, node: cst.CSTNode) -> bool:
        return any(isinstance(a, (cst.FunctionDef, cst.Lambda)) for a in self.facts.ancestors(node))

    # --- branches --------------------------------------------------------------------------------

    def branches(self) -> list[_Branch]:
        found = []
        for node in self.facts.nodes(cst.If):
            if isinstance(self.facts.parent(node), cst.If):
                continue  # an elif goes with its chain
            for arm in _arms(node):
                if self._arm_droppable(arm):
                    found.append(_Branch(node, arm, self.position(arm)))
        return found

    def _arm_droppable(self, arm) -> bool:
        if not isinstance(arm.body, cst.IndentedBlock) or self.ran(arm.body):
            return False
        if isinstance(arm, cst.Else):
            return True
        if not self.ran(arm.test):
            return True
        return self.facts.is_pure(arm.test, read_only_calls=True) and self.facts.truth_known(arm.test, read_only_calls=True)

    # --- methods ---------------------------------------------------------------------------------

    def methods(self) -> list[_Method]:
        found = []
        for node in self.facts.nodes(cst.FunctionDef):
            # Outside any function, a def inside a class is in the class's scope: a method.
            owner = next((a for a in self.facts.ancestors(node) if isinstance(a, cst.ClassDef)), None)
            if owner is not None and not self.in_function(node) and self._method_unused(node):
                found.append(_Method(node, self.position(node), owner.name.value))
        return found

    def _method_unused(self, node: cst.FunctionDef) -> bool:
        facts = self.facts
        name = node.name.value
        dynamic = facts.dynamic
        if (
            facts.dynamic.names_frozen
            or facts.introspection
            or dynamic.any_attribute_by_string
            or name in dynamic.attribute_strings
            or name in PRESENCE_MATTERS
            or (not is_dunder(name) and any(name in text for text in facts.string_texts))
            or node.asynchronous is not None
            or not isinstance(node.body, cst.IndentedBlock)
            or find_nodes(node.body, cst.Yield)  # a generator's body runs later than its call
            or self.ran(node.body)
        ):
            return False
        for decorator in node.decorators:
            target = decorator.decorator
            if not (isinstance(target, cst.Name) and target.value in PLAIN_DECORATORS and facts.is_builtin_read(target)):
                return False
        if not facts.pure_parameters(node.params):
            return False
        # Any executed mention (``obj.name`` or a class-body alias) could reach it uncalled.
        mentions = list(facts.attributes_by_name.get(name, []))
        scope = facts.scopes.get(node)
        mentions += [access.node for a in scope.assignments[name] for access in a.references]
        mentions += [key for key in class_pattern_keywords(facts) if key.value == name]  # case C(name=...)
        return not any(self.ran(mention) for mention in mentions)


def _arms(head: cst.If) -> list:
    arms, node = [], head
    while isinstance(node, cst.If):
        arms.append(node)
        node = node.orelse
    if isinstance(node, cst.Else):
        arms.append(node)
    return arms


class _Pruner(StatementRemover):
    """Removes methods; rebuilds each pruned if-chain from the arms that stay."""

    def __init__(self, methods: set, branches: list[_Branch]):
        super().__init__(methods)
        self.dropped: dict[cst.If, set] = {}
        for branch in branches:
            self.dropped.setdefault(branch.head, set()).add(branch.node)

    def leave_If(self, original: cst.If, updated: cst.If):
        if original not in self.dropped:
            return updated
        dropped = self.dropped[original]
        kept = [new for old, new in zip(_arms(original), _arms(updated)) if old not in dropped]
        if not kept:
            self.remove.add(original)
            return updated
        if isinstance(kept[0], cst.Else):
            body = kept[0].body
            if isinstance(body, cst.SimpleStatementSuite):
                self.expanded[original] = [cst.SimpleStatementLine(body=body.body)]
            else:
                self.expanded[original] = list(body.body)
            return updated
        return _chain(kept).with_changes(leading_lines=updated.leading_lines)


def _chain(arms: list) -> cst.If:
    """An if/elif/else statement made of the given arms, in order."""
    rest = arms[1:]
    if not rest:
        orelse = None
    elif isinstance(rest[0], cst.Else):
        orelse = rest[0]
    else:
        orelse = _chain(rest)
    return arms[0].with_changes(orelse=orelse)
