"""Attribute groups: one per attribute name the program owns, across all its classes and objects.

Attribute names form one namespace for the whole program (there are no types to tell two
``.data`` apart), so a name is renamed everywhere or nowhere. It is renamed only when the program
defines it (a class-body name or ``__slots__`` entry of its own class, or a store on ``self``, on
its own class or function) and nothing suggests a foreign object uses it: no read on a library
object, not an attribute of any builtin type, never spelled in a string. Reads on a module
(``math.log``) keep their spelling: the module's namespace is not the program's.
"""

from __future__ import annotations

from collections import defaultdict

import libcst as cst
from libcst.metadata import ExpressionContext

from golfkit.rename.classes import Classes
from golfkit.rename.foreign import BUILTIN_ATTRIBUTES
from golfkit.rename.model import ATTRIBUTE, CLASS_MEMBER, Group
from golfkit.rename.names import is_private
from golfkit.rename.receivers import LIBRARY, MODULE, OWN, Receivers
from golfkit.rename.scopes import ScopeIndex
from golfkit.rename.strings import spelled_names
from golfkit.rename.variables import Variables

# Defining any of these lets a class see attribute names as strings.
NAME_HOOKS = frozenset({"__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__dir__", "__set_name__"})


class Attributes:
    def __init__(self, index: ScopeIndex, variables: Variables, classes: Classes, receivers: Receivers):
        self.index = index
        self.variables = variables
        self.classes = classes
        self.receivers = receivers
        self.groups: dict[str, Group] = {}
        # Attribute names that keep their spelling whatever happens (foreign or not the program's).
        self.reserved: set[str] = set(BUILTIN_ATTRIBUTES)
        self.frozen: dict[str, str] = {}
        self.owned: set[str] = set()
        self._members: dict[str, list[cst.Name]] = defaultdict(list)
        self._class_members: dict[str, list[Group]] = defaultdict(list)
        self._slots: dict[str, list[cst.SimpleString]] = defaultdict(list)
        self.everything_frozen: str | None = None
        # Class-body groups merged into their attribute group: no longer groups of their own.
        self.absorbed: set[Group] = set()

        self._collect_slots()
        self.spelled = spelled_names(index, skip=frozenset(s for v in self._slots.values() for s in v))
        self._collect_accesses()
        self._collect_class_members()
        self._check_whole_program()
        self._build_groups()

    def freeze(self, name: str, reason: str) -> None:
        self.frozen.setdefault(name, reason)

    # --- gathering ------------------------------------------------------------------------------
    def _collect_slots(self) -> None:
        """``__slots__`` of the program's classes list attribute names as strings: they are
        renamed with the attribute (a literal tuple, list or single string), or nothing is."""
        for group in self.variables.groups.values():
            if group.kind != CLASS_MEMBER or group.name != "__slots__":
                continue
            if not self.classes.is_own(group.scope.node):
                continue
            for binding in group.bindings:
                entries = self._slot_entries(binding)
                if entries is None or group.references:
                    self.everything_frozen = "__slots__ is not a literal list of names"
                    continue
                for entry in entries:
                    self._slots[entry.evaluated_value].append(entry)
                    self.owned.add(entry.evaluated_value)
        if any(a.attr.value == "__slots__" for a in self.index.all_of(cst.Attribute)):
            self.everything_frozen = "__slots__ is read"

    def _slot_entries(self, binding: cst.Name) -> list[cst.SimpleString] | None:
        target = self.index.parent.get(binding)
        if not isinstance(target, cst.AssignTarget):
            return None
        value = self.index.parent[target].value
        items = [value] if isinstance(value, cst.SimpleString) else None
        if isinstance(value, (cst.Tuple, cst.List)):
            items = [element.value for element in value.elements if isinstance(element, cst.Element)]
            if len(items) != len(value.elements):
                return None
        if items is None or not all(isinstance(item, cst.SimpleString) for item in items):
            return None
        if not all(isinstance(item.evaluated_value, str) and item.evaluated_value.isidentifier() for item in items):
            return None
        return items

    def _collect_accesses(self) -> None:
        evaluated = self.index.annotations_evaluated
        for attribute in self.index.all_of(cst.Attribute):
            name = attribute.attr.value
            if self.index.in_lazy_annotation(attribute):
                if not evaluated:
                    continue  # source text that nothing looks up
                self.freeze(name, "named in an annotation that may be evaluated")
            kind = self.receivers.classify(attribute.value)
            if kind == MODULE:
                self.reserved.add(name)  # kept as written; also keeps new names clear of it
            elif kind == LIBRARY:
                self.freeze(name, f"used on a library object ({self.index.code(attribute.value)})")
            else:
                if kind == OWN and self.index.context.get(attribute) is ExpressionContext.STORE:
                    self.owned.add(name)
                self._members[name].append(attribute.attr)
        # A module used as a plain value (passed, stored): code golfkit cannot see reads its attributes.
        for node, access in self.index.access_of.items():
            if self.index.in_lazy_annotation(node) and not evaluated:
                continue
            if isinstance(node, cst.Name) and self.receivers.classify(node) == MODULE:
                self._check_module_escape(node)

    def _check_module_escape(self, node: cst.BaseExpression) -> None:
        if not isinstance(node, cst.Name):
            return
        parent = self.index.parent.get(node)
        if not (isinstance(parent, cst.Attribute) and parent.value is node):
            self.everything_frozen = f"module {node.value} is used as a value"

    def _collect_class_members(self) -> None:
        for group in self.variables.groups.values():
            if group.kind != CLASS_MEMBER:
                continue
            classdef = group.scope.node
            if self.classes.is_own(classdef):
                self.owned.add(group.name)
                self._class_members[group.name].append(group)
            else:
                reason = f"defined by class {classdef.name.value}: {self.classes.foreign[classdef]}"
                self.freeze(group.name, reason)
                group.freeze(reason)
            if group.name in NAME_HOOKS:
                self.everything_frozen = f"class {classdef.name.value} defines {group.name}"

    def _check_whole_program(self) -> None:
        dynamic = self.index.dynamic
        if dynamic.any_attribute_by_string:
            self.everything_frozen = "attributes are reached by computed strings or __dict__"
        if dynamic.scope_by_string:
            self.everything_frozen = "code is run from strings (eval, exec, vars, ...)"
        for pattern in self.index.all_of(cst.MatchKeywordElement):
            self.freeze(pattern.key.value, "matched by a class pattern")
        for expression in self.index.all_of(cst.FormattedStringExpression):
            if expression.equal is not None:
                for attribute in _attributes_in(expression.expression):
                    self.freeze(attribute.attr.value, "spelled by a self-documenting f-string")

    # --- groups -----------------------------------------------------------------------------------
    def _build_groups(self) -> None:
        dynamic = self.index.dynamic
        for name in sorted(self.owned):
            group = Group(ATTRIBUTE, name, None, "attributes")
            group.references = list(self._members.pop(name, []))
            group.strings = list(self._slots.get(name, []))
            for member in self._class_members.get(name, []):
                group.absorb(member)
                self.absorbed.add(member)
            reason = self._reason_to_keep(name)
            if reason:
                group.freeze(reason)
            self.groups[name] = group
        # Whatever the program reads but does not own keeps its name.
        self.reserved.update(self._members)
        self.reserved.update(self.frozen)
        if dynamic.attribute_strings:
            self.reserved.update(dynamic.attribute_strings)

    def _reason_to_keep(self, name: str) -> str | None:
        if self.everything_frozen:
            return self.everything_frozen
        if is_private(name):
            return "dunder or private name"
        if name in self.frozen:
            return self.frozen[name]
        if name in BUILTIN_ATTRIBUTES:
            return "also an attribute of builtin types"
        if not self.index.dynamic.attribute_renamable(name):
            return "reached by getattr/setattr/hasattr"
        if name in self.spelled:
            return "spelled in a string"
        return None


def _attributes_in(node: cst.CSTNode) -> list[cst.Attribute]:
    found = []

    class Finder(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            found.append(attribute)

    node.visit(Finder())
    return found
