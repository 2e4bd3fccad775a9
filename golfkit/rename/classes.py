"""Which classes are entirely the program's own, and which parameters stand for their instances."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import BuiltinScope, ClassScope

from golfkit.rename.model import Group
from golfkit.rename.scopes import ScopeIndex
from golfkit.rename.variables import Variables

# Decorators on methods that do not change how the method is named or called.
PLAIN_METHOD_DECORATORS = frozenset({"builtins.classmethod", "builtins.property", "builtins.staticmethod"})


class Classes:
    def __init__(self, index: ScopeIndex, variables: Variables):
        self.index = index
        self.variables = variables
        self.scope_of: dict[cst.ClassDef, ClassScope] = {
            scope.node: scope for scope in index.scopes if isinstance(scope, ClassScope)
        }
        # Classes whose bases, decorators or metaclass are not the program's: their names are
        # looked up by code golfkit cannot see. Maps each such class to the reason.
        self.foreign: dict[cst.ClassDef, str] = {}
        for classdef in self.scope_of:
            reason = self._foreign_reason(classdef, set())
            if reason:
                self.foreign[classdef] = reason
        # The first parameter of each method (``self``/``cls``), by its variable group.
        self.receivers: dict[Group, cst.ClassDef] = {}
        # Methods with decorators other than classmethod/property/staticmethod.
        self.decorated_methods: set[cst.FunctionDef] = set()
        for function in index.all_of(cst.FunctionDef):
            self._note_method(function)

    def is_own(self, classdef: cst.ClassDef) -> bool:
        return classdef not in self.foreign

    def class_of_scope(self, scope) -> cst.ClassDef | None:
        return scope.node if isinstance(scope, ClassScope) else None

    def _foreign_reason(self, classdef: cst.ClassDef, seen: set) -> str | None:
        if classdef in seen:
            return None
        seen = seen | {classdef}
        if classdef.decorators:
            return "class has decorators"
        if classdef.keywords:
            return "class has keywords (metaclass)"
        for base in classdef.bases:
            base_class = self.resolve_class(base.value) if base.star == "" else None
            if base_class is None:
                if self._is_builtin_object(base.value):
                    continue
                return f"class derives from {self.index.code(base.value)}"
            reason = self._foreign_reason(base_class, seen)
            if reason:
                return f"base class {base_class.name.value}: {reason}"
        return None

    def _is_builtin_object(self, node: cst.BaseExpression) -> bool:
        access = self.index.access_of.get(node)
        return (
            isinstance(node, cst.Name)
            and node.value == "object"
            and access is not None
            and node not in self.variables.by_node  # a read of the builtin binds to no group
            and bool(access.referents)
            and all(isinstance(r.scope, BuiltinScope) for r in access.referents)
        )

    def resolve_class(self, node: cst.BaseExpression) -> cst.ClassDef | None:
        """The program's class a name refers to, when it can only be that class."""
        access = self.index.access_of.get(node)
        if not isinstance(node, cst.Name) or access is None or len(access.referents) != 1:
            return None
        (assignment,) = access.referents
        if isinstance(getattr(assignment, "node", None), cst.ClassDef):
            group = self.variables.by_assignment.get(assignment)
            # libcst's referent must be the binding Python reads, which a match capture of the
            # same name may hide from it.
            owner = self.variables.by_node.get(node)
            if owner is not group and (owner is not None or node.value in self.index.patterns.names):
                return None
            # The class name must be bound only by that class statement.
            if group is not None and len(group.bindings) == 1 and not group.aliases:
                return assignment.node
        return None

    def _note_method(self, function: cst.FunctionDef) -> None:
        scope = self.index.scope_of[function]
        classdef = self.class_of_scope(scope)
        if classdef is None:
            return
        decorators = [self.index.qualified_names(d.decorator) for d in function.decorators]
        if any(not names & PLAIN_METHOD_DECORATORS for names in decorators):
            self.decorated_methods.add(function)
        if any("builtins.staticmethod" in names for names in decorators):
            return
        params = [*function.params.posonly_params, *function.params.params]
        if params:
            group = self.variables.by_node.get(params[0].name)
            if group is not None:
                self.receivers[group] = classdef
