"""Dead code: bindings nobody reads whose creation has no side effect.

Units are unused imports of standard modules, unused functions and classes, unused assignments of
pure values, and methods or class attributes of the program's own classes never named as an
attribute anywhere. A unit is dead when every read of what it binds lies inside dead units (a
greatest fixed point, so mutually recursive helpers go together), and is applied only together
with the dead units holding its reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import Assignment, ClassScope

from golfkit.analysis import ProgramFacts, StatementRemover, code, dotted_name, stdlib_module
from golfkit.analysis.syntax import binds_any
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import class_pattern_keywords

# Method names that builtins and the standard library call on any object without the program
# spelling them as an attribute (file-like and mapping protocols, context closing).
PROTOCOL_METHODS = frozenset(
    {
        "keys", "read", "readline", "readlines", "readinto", "write", "writelines", "flush",
        "close", "fileno", "isatty", "seek", "tell", "truncate", "readable", "writable",
        "seekable", "send", "throw", "next", "items", "get", "copy", "format",
    }
)
# Decorators that only wrap the function object.
PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod", "property"})


@dataclass(eq=False)
class _Unit:
    node: cst.CSTNode  # what goes: an import alias, an Assign, a def or a class
    kind: str
    reads: list[cst.CSTNode] = field(default_factory=list)
    key: str = ""  # names the removal: "import os", "function helper", "member Value.unused"...


class DeadCodePass(Pass):
    name = "dead-code"
    description = "Remove unused imports, functions, classes, methods and side-effect-free assignments."
    safety = Safety.SAFE
    safety_statement = (
        "A binding goes only when no read of it remains (libcst scope references, f-strings and "
        "nested scopes included; for methods and class attributes: no attribute of that name, "
        "string mention or dynamic attribute access anywhere, in classes no foreign base can call "
        "into) and creating it has no side effect: standard-library imports, undecorated defs and "
        "lambdas with pure defaults and annotations, classes without bases or metaclass whose "
        "bodies are pure, and assignments of literals, definitely-bound names, displays of those "
        "or arithmetic on constants. Nothing is removed when eval/exec/globals()/vars()/import * "
        "can reach names by string."
    )

    example = (
        "import os, math\n"
        "def unused():\n"
        "    return 1\n"
        "scale = 2\n"
        "print(math.pi)\n",
        "import math\n"
        "print(math.pi)\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.dynamic.names_frozen:
            raise Skip("the program reaches names through strings (eval/exec/globals)")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        dead = [unit for unit in _dead_units(facts, _UnitFinder(facts).units())
                if not binds_any(unit.node, context.kept_names)]
        ordered = sorted(dead, key=lambda unit: _position(facts, unit.node))
        return [Site(unit, unit.key) for unit in ordered]

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        applied = _applicable(facts, {site.target for site in sites})
        return facts.module.visit(StatementRemover({unit.node for unit in applied})).code


def _position(facts: ProgramFacts, node: cst.CSTNode) -> tuple[int, int]:
    start = facts.positions[node].start
    return start.line, start.column


def _dead_units(facts: ProgramFacts, units: list[_Unit]) -> set[_Unit]:
    """Greatest fixed point: a unit is dead when all its reads sit inside dead units."""
    dead = set(units)
    holders = {unit.node: unit for unit in units}
    changed = True
    while changed:
        changed = False
        for unit in list(dead):
            if not all(_inside(facts, read, dead, holders) for read in unit.reads):
                dead.discard(unit)
                changed = True
    return dead


def _applicable(facts: ProgramFacts, enabled: set[_Unit]) -> set[_Unit]:
    """The enabled units whose reads all go with them (other enabled units)."""
    holders = {unit.node: unit for unit in enabled}
    applied = set(enabled)
    changed = True
    while changed:
        changed = False
        for unit in list(applied):
            if not all(_inside(facts, read, applied, holders) for read in unit.reads):
                applied.discard(unit)
                changed = True
    return applied


def _inside(facts: ProgramFacts, node: cst.CSTNode, units: set[_Unit], holders: dict) -> bool:
    return any(holders.get(a) in units for a in (node, *facts.ancestors(node)))


class _UnitFinder:
    """Collects every removable unit together with the reads that keep it alive."""

    def __init__(self, facts: ProgramFacts):
        self.facts = facts
        self.found: list[_Unit] = []
        self.safe_classes = _classes_without_foreign_callers(facts)

    def units(self) -> list[_Unit]:
        handlers = {
            cst.Import: self.import_units,
            cst.ImportFrom: self.import_from_units,
            cst.FunctionDef: self.function_unit,
            cst.ClassDef: self.class_unit,
            cst.Assign: self.assign_unit,
        }
        for kind, handler in handlers.items():
            for node in self.facts.nodes(kind):
                handler(node)
        return self.found

    # --- imports ---------------------------------------------------------------------------------

    def import_units(self, node: cst.Import):
        for alias in node.names:
            dotted = dotted_name(alias.name)
            bound = alias.asname.name.value if alias.asname else dotted.split(".")[0]
            self._import_unit(node, alias, dotted, bound)

    def import_from_units(self, node: cst.ImportFrom):
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            bound = alias.asname.name.value if alias.asname else dotted_name(alias.name)
            self._import_unit(node, alias, dotted_name(node.module), bound)

    def _import_unit(self, statement, alias, module: str, bound: str):
        scope = self.facts.scopes.get(statement)
        if (
            isinstance(scope, ClassScope)
            or not stdlib_module(module)
            or self.facts.name_untouchable(bound)
            or self.facts.redirected(scope, bound)
        ):
            return
        # ``import a.b`` binds ``a``: any read of ``a`` or ``a.*`` keeps every such import.
        reads = [
            access.node
            for assignment in scope.assignments
            if assignment.name == bound or assignment.name.startswith(bound + ".")
            for access in assignment.references
        ]
        self.found.append(_Unit(alias, "import", reads, f"import {code(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))}"))

    # --- functions, classes, assignments ---------------------------------------------------------

    def function_unit(self, node: cst.FunctionDef):
        scope = self.facts.scopes.get(node)
        if isinstance(scope, ClassScope):
            self._member_unit(node, node.name.value, scope, self._method_creation_pure(node))
        elif self.facts.pure_function_def(node):
            self._name_unit(node, "function", [node.name.value], scope)

    def class_unit(self, node: cst.ClassDef):
        scope = self.facts.scopes.get(node)
        if not isinstance(scope, ClassScope) and self.facts.pure_class_def(node):
            self._name_unit(node, "class", [node.name.value], scope)

    def assign_unit(self, node: cst.Assign):
        if not all(isinstance(t.target, cst.Name) for t in node.targets):
            return
        names = [t.target.value for t in node.targets]
        scope = self.facts.scopes.get(node)
        pure = self.facts.is_pure(node.value)
        if isinstance(scope, ClassScope):
            if len(names) == 1:
                self._member_unit(node, names[0], scope, pure)
        elif pure:
            self._name_unit(node, "assignment", names, scope)

    def _name_unit(self, node, kind: str, names: list[str], scope):
        if scope is None or any(
            self.facts.name_untouchable(name) or self.facts.redirected(scope, name) for name in names
        ):
            return
        reads = [
            access.node
            for name in names
            for assignment in scope.assignments[name]
            for access in assignment.references
        ]
        self.found.append(_Unit(node, kind, reads, f"{kind} {', '.join(names)}"))

    # --- methods and class attributes ------------------------------------------------------------

    def _method_creation_pure(self, node: cst.FunctionDef) -> bool:
        facts = self.facts
        for decorator in node.decorators:
            target = decorator.decorator
            if not (isinstance(target, cst.Name) and target.value in PLAIN_DECORATORS and facts.is_builtin_read(target)):
                return False
        if node.asynchronous is not None:
            return False
        if node.returns is not None and not facts.is_pure(node.returns.annotation):
            return False
        return facts.pure_parameters(node.params)

    def _member_unit(self, node, name: str, scope: ClassScope, pure: bool):
        facts = self.facts
        dynamic = facts.dynamic
        if (
            not pure
            or scope.node not in self.safe_classes
            or facts.name_untouchable(name)
            or facts.introspection  # dir() / inspect list members without naming them
            or dynamic.any_attribute_by_string
            or name in dynamic.attribute_strings
            or name in PROTOCOL_METHODS
            or any(name in text for text in facts.string_texts)  # format fields, attrgetter...
        ):
            return
        reads = [access.node for assignment in scope.assignments[name] for access in assignment.references]
        reads += facts.attributes_by_name.get(name, [])
        reads += [key for key in class_pattern_keywords(facts) if key.value == name]  # case C(name=...)
        self.found.append(_Unit(node, "member", reads, f"member {scope.node.name.value}.{name}"))


def _classes_without_foreign_callers(facts: ProgramFacts) -> set[cst.ClassDef]:
    """Classes whose methods only the program itself can call: no class derived from them (or
    they themselves) has a decorator, a metaclass or a base from outside the program."""
    classes = list(facts.classes)
    bases: dict = {}
    foreign = set()
    for node in classes:
        own = []
        plain = not node.decorators and not node.keywords
        for base in node.bases:
            target = base.value
            if isinstance(target, cst.Name) and target.value == "object" and facts.is_builtin_read(target):
                continue
            referents = facts.referents(target) if isinstance(target, cst.Name) else None
            if referents and all(type(a) is Assignment and isinstance(a.node, cst.ClassDef) for a in referents):
                own += [a.node for a in referents]
            else:
                plain = False
        bases[node] = own
        if not plain:
            foreign.add(node)
    # Whatever a foreign-reachable class inherits is reachable from outside too.
    pending = list(foreign)
    while pending:
        for base in bases.get(pending.pop(), ()):
            if base not in foreign:
                foreign.add(base)
                pending.append(base)
    return {node for node in classes if node not in foreign}
