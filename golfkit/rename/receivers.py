"""What an attribute is read on: the program's own object, a module, a library object, or unknown.

Without types this is an estimate, kept on the safe side: a value counts as a library object
when it comes from an import (``random.Random()``, ``from m import f; f()``, a variable assigned
or looped over such a value), or from a name that does not resolve at all.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import BuiltinScope

from golfkit.rename.classes import Classes
from golfkit.rename.model import Group
from golfkit.rename.scopes import ScopeIndex
from golfkit.rename.variables import Variables

OWN = "own"  # self/cls of the program's class, the class itself, one of its functions, a new instance
MODULE = "module"  # a name bound by ``import m``: its attributes live in the module's namespace
LIBRARY = "library"  # anything else that comes from an import: its attribute names are foreign
UNKNOWN = "unknown"  # assumed to be the program's own object (or a builtin type, see foreign.py)

FOREIGN = (MODULE, LIBRARY)


class Receivers:
    def __init__(self, index: ScopeIndex, variables: Variables, classes: Classes):
        self.index = index
        self.variables = variables
        self.classes = classes
        self._tainted: dict[Group, bool] = {}

    def classify(self, node: cst.BaseExpression) -> str:
        if isinstance(node, cst.Name):
            return self._name(node)
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            return LIBRARY if self.classify(node.value) in FOREIGN else UNKNOWN
        if isinstance(node, cst.Call):
            if self.classes.resolve_class(node.func) is not None:
                return OWN
            return LIBRARY if self.classify(node.func) in FOREIGN else UNKNOWN
        return UNKNOWN

    def _name(self, node: cst.Name) -> str:
        group = self.variables.by_node.get(node)
        if group in self.variables.captured:
            return self._group(group)  # libcst's referents miss pattern bindings
        if group is None and node.value in self.index.patterns.names:
            return LIBRARY  # an unresolved read of a name some pattern binds: could be anything
        access = self._access(node)
        if access is None:
            return UNKNOWN
        referents = access.referents
        if not referents:
            return LIBRARY  # unresolved: could be anything
        if all(isinstance(r.scope, BuiltinScope) for r in referents):
            return UNKNOWN  # builtin types' attribute names are frozen wholesale
        nodes = [getattr(r, "node", None) for r in referents]
        if any(isinstance(n, (cst.Import, cst.ImportFrom)) for n in nodes):
            plain = all(isinstance(n, cst.Import) for n in nodes)
            return MODULE if plain else LIBRARY
        groups = {self.variables.by_assignment.get(r) for r in referents}
        if len(groups) != 1 or None in groups:
            return UNKNOWN
        (group,) = groups
        return self._group(group)

    def _access(self, node: cst.Name):
        """The read of ``node``; for ``a`` in ``a.b.c`` after ``import a.b``, libcst records the
        read on the dotted name instead."""
        current: cst.CSTNode = node
        while current is not None:
            access = self.index.access_of.get(current)
            if access is not None:
                return access
            parent = self.index.parent.get(current)
            if not (isinstance(parent, cst.Attribute) and parent.value is current):
                return None
            current = parent
        return None

    def _group(self, group: Group) -> str:
        bound_once = len(group.bindings) == 1 and not group.aliases
        classdef = self.classes.receivers.get(group)
        if classdef is not None and bound_once:
            # self of a class with foreign bases: its attributes may be the library's.
            return OWN if self.classes.is_own(classdef) else LIBRARY
        if bound_once and self._bound_by_definition(group.bindings[0]):
            return OWN
        return LIBRARY if self.tainted(group) else UNKNOWN

    def _bound_by_definition(self, name: cst.Name) -> bool:
        parent = self.index.parent.get(name)
        if isinstance(parent, cst.FunctionDef):
            return True
        return isinstance(parent, cst.ClassDef) and self.classes.is_own(parent)

    def tainted(self, group: Group) -> bool:
        """A variable holds a library object when any of its bindings takes one."""
        if group not in self._tainted:
            self._tainted[group] = False  # a cycle through the same variable adds nothing
            self._tainted[group] = any(self._binds_library_value(name) for name in group.bindings)
        return self._tainted[group]

    def _binds_library_value(self, name: cst.Name) -> bool:
        capture = self.index.patterns.captures.get(name)
        if capture is not None:
            # A capture holds the subject or a part of it, an instance of the class patterns
            # around it, or one of their attributes.
            return any(self.classify(source) in FOREIGN for source in (capture.subject, *capture.classes))
        value = self._bound_value(name)
        return value is not None and self.classify(value) in FOREIGN

    def _bound_value(self, name: cst.Name) -> cst.BaseExpression | None:
        """The expression a binding takes its value (or, for loops and ``with``, its source) from."""
        node: cst.CSTNode = name
        parent = self.index.parent.get(node)
        while isinstance(parent, (cst.Tuple, cst.List, cst.Element, cst.StarredElement)):
            node, parent = parent, self.index.parent.get(parent)
        if isinstance(parent, cst.AssignTarget):
            return self.index.parent[parent].value
        if isinstance(parent, (cst.AnnAssign, cst.NamedExpr)) and parent.target is node:
            return parent.value
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is node:
            return parent.iter
        if isinstance(parent, cst.AsName):
            holder = self.index.parent.get(parent)
            if isinstance(holder, cst.WithItem):
                return holder.item
        return None
