"""Variable groups: one per name bound in a scope, with every read resolved to it by libcst."""

from __future__ import annotations

import builtins
from collections import defaultdict

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    BaseAssignment,
    BuiltinScope,
    ClassScope,
    ComprehensionScope,
    FunctionScope,
    GlobalScope,
    Scope,
)

from golfkit.analysis import SCOPE_BY_STRING, reads_own_module
from golfkit.rename.model import CLASS_MEMBER, VARIABLE, Group
from golfkit.rename.names import is_private
from golfkit.rename.scopes import ScopeIndex

BUILTIN_NAMES = frozenset(dir(builtins))


class Variables:
    """Binds every name to a group and records which names each scope must keep meaning."""

    def __init__(self, index: ScopeIndex):
        self.index = index
        self.groups: dict[tuple[Scope, str], Group] = {}
        self.by_assignment: dict[BaseAssignment, Group] = {}
        self.by_node: dict[cst.CSTNode, Group] = {}
        # Names that keep their meaning in a scope without being a renamable binding there
        # (builtins, unresolved names, walrus targets hoisted out of comprehensions).
        self.reserved: dict[Scope, set[str]] = defaultdict(set)
        # Groups some read of which is not among their references (kept by string annotations,
        # dotted imports, ambiguous class-body reads): their references are not all their uses.
        self.partly_read: set[Group] = set()
        # Groups some match pattern binds, and (scope, name) for each such binding.
        self.captured: set[Group] = set()
        self._captured_in: set[tuple[Scope, str]] = set()
        self._declared_global = self._declared(cst.Global)
        self._declared_nonlocal = self._declared(cst.Nonlocal)
        self._bind()
        self._bind_captures()
        self._resolve()
        self._declarations()
        self._freeze_by_rule()

    # --- building groups ------------------------------------------------------------------------
    def group(self, scope: Scope, name: str) -> Group:
        key = (scope, name)
        if key not in self.groups:
            kind = CLASS_MEMBER if isinstance(scope, ClassScope) else VARIABLE
            self.groups[key] = Group(kind, name, scope, self.index.label(scope))
        return self.groups[key]

    def reserve(self, name: str, scopes) -> None:
        for scope in scopes:
            self.reserved[scope].add(name)

    def reserve_names(self, names, scope: Scope) -> None:
        self.reserved[scope].update(names)

    def _claim(self, group: Group, node: cst.CSTNode) -> bool:
        """Record that ``node`` spells ``group``; False if it was already claimed."""
        owner = self.by_node.get(node)
        if owner is group:
            return False
        if owner is not None:
            reason = "one spelling resolves to two bindings"
            owner.freeze(reason)
            group.freeze(reason)
            return False
        self.by_node[node] = group
        return True

    def _bind(self) -> None:
        for scope in self.index.scopes:
            for assignment in scope.assignments:
                group = self.group(scope, assignment.name)
                self.by_assignment[assignment] = group
                self._add_binding(group, assignment)

    def _declared(self, kind: type) -> set[tuple[Scope, str]]:
        """(scope, name) for every ``global``/``nonlocal`` declaration of ``kind``."""
        return {(self.index.scope_of[statement], item.name.value)
                for statement in self.index.all_of(kind) for item in statement.names}

    def _bind_captures(self) -> None:
        """Names bound by match patterns, which libcst records as reads: each binds in the
        statement's scope like an assignment (or where ``global``/``nonlocal`` sends it)."""
        captures = self.index.patterns.captures
        declared = self._declared_global | self._declared_nonlocal
        # Plain captures first: a ``nonlocal`` capture may reach a function that binds only so.
        ordered = sorted(captures, key=lambda node: (self.index.scope_of[node], node.value) in declared)
        for node in ordered:
            start = self.index.scope_of[node]
            if (start, node.value) in self._declared_global:
                target = self.index.global_scope
            elif (start, node.value) in self._declared_nonlocal:
                target = self._declared_scope(start, node.value, is_global=False)
            else:
                target = start
            if target is None:
                continue  # ``nonlocal`` with nothing to reach: the program does not compile
            group = self.group(target, node.value)
            self._captured_in.add((target, node.value))
            self.captured.add(group)
            if isinstance(target, ClassScope):
                # A class attribute bound by a pattern: reads in the body may find it or an
                # outer name, which libcst cannot tell apart.
                group.freeze("bound by a match pattern in a class body")
            if self._claim(group, node):
                group.bindings.append(node)
            group.scopes.update(self.index.lookup_path(start, target))

    def _binds(self, scope: Scope, name: str) -> bool:
        """``scope`` holds a binding of ``name``: an assignment libcst knows, or a capture."""
        return name in scope.assignments or (scope, name) in self._captured_in

    def _add_binding(self, group: Group, assignment: BaseAssignment) -> None:
        node = assignment.node
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            self._add_import(group, node)
            return
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Param)):
            node = node.name
        if not isinstance(node, cst.Name):
            group.freeze(f"bound by {type(node).__name__}")
            return
        if self.index.in_lazy_annotation(node):
            group.freeze("bound inside an annotation kept as text")  # x: [i for i in ...]
        if self._claim(group, node):
            group.bindings.append(node)
        group.scopes.update(self.index.lookup_path(self.index.scope_of[node], group.scope))

    def _add_import(self, group: Group, statement: cst.Import | cst.ImportFrom) -> None:
        if isinstance(statement, cst.ImportFrom):
            module = get_full_name_for_node(statement.module) if statement.module else None
            if module == "__future__":
                group.freeze("future import")
                return
        group.scopes.add(group.scope)
        if isinstance(statement.names, cst.ImportStar):
            group.freeze("import *")
            return
        if "." in group.name:
            group.freeze("dotted import")
            return
        for alias in statement.names:
            full = get_full_name_for_node(alias.name)
            if alias.asname is not None:
                bound = alias.asname.name
                if isinstance(bound, cst.Name) and bound.value == group.name and self._claim(group, bound):
                    group.bindings.append(bound)
            elif full == group.name:
                group.aliases.append(alias)
            elif full.split(".")[0] == group.name.split(".")[0]:
                # ``import a.b`` binds ``a`` and cannot take an ``as`` without changing meaning.
                group.freeze("dotted import")

    def _resolve(self) -> None:
        """Attach every read to the group it resolves to, and reserve builtins and unknowns."""
        patterns = self.index.patterns
        for scope in self.index.scopes:
            for access in scope.accesses:
                # Pattern names libcst files as reads: captures are bindings (above), keywords
                # name attributes (attributes.py).
                if access.node not in patterns.captures and access.node not in patterns.keywords:
                    self._add_access(scope, access)

    def _add_access(self, scope: Scope, access) -> None:
        node = access.node
        lazy = self.index.in_lazy_annotation(node)
        if lazy and not self.index.annotations_evaluated:
            return  # stored as source text and never looked up: not a use of anything
        start = self.index.scope_of.get(node, scope)
        found = {self.by_assignment[r] for r in access.referents if r in self.by_assignment}
        if lazy:
            # The text is evaluated later (get_type_hints, ...): what it names must keep that name.
            for group in found:
                group.freeze("named in an annotation that may be evaluated")
        if not isinstance(node, cst.Name):
            # A string annotation or a dotted import name: whatever it reaches keeps its name.
            for group in found:
                group.freeze(f"reached through {self.index.code(node)!r}")
                self.partly_read.add(group)
            return
        target = self._binding_scope(start, node.value)
        group = self.groups.get((target, node.value)) if target is not None else None
        if group is None or (isinstance(target, ClassScope) and found != {group}):
            # A builtin or unknown name, or a class-body read that may find the class's binding
            # or an outer one depending on what ran before: all of them keep their names.
            for other in found | ({group} if group else set()):
                other.freeze("a read may resolve to more than one binding")
                self.partly_read.add(other)
            self.reserve(node.value, self.index.lookup_path(start, None))
            return
        group.scopes.update(self.index.lookup_path(start, target))
        if lazy:
            group.freeze("named in an annotation that may be evaluated")
        if self._claim(group, node):
            group.references.append(node)

    def _binding_scope(self, start: Scope, name: str) -> Scope | None:
        """The scope whose binding a read of ``name`` from ``start`` reaches, as Python decides:
        the nearest enclosing scope binding the name anywhere in it. (libcst goes by position,
        which misses reads before the binding in loops and in later comprehension clauses.)"""
        for scope in self.index.lookup_path(start, None):
            if (scope, name) in self._declared_global:
                return self.index.global_scope
            if self._binds(scope, name):
                return scope
        return None

    def _declarations(self) -> None:
        """``global x`` / ``nonlocal x`` spell the name of a binding in another scope."""
        for statement in self.index.all_of((cst.Global, cst.Nonlocal)):
            start = self.index.scope_of[statement]
            for item in statement.names:
                name = item.name.value
                target = self._declared_scope(start, name, isinstance(statement, cst.Global))
                group = self.groups.get((target, name)) if target is not None else None
                if group is None:
                    self.reserve(name, self.index.lookup_path(start, None))
                    continue
                group.scopes.update(self.index.lookup_path(start, target))
                if self._claim(group, item.name):
                    group.others.append(item.name)

    def _declared_scope(self, start: Scope, name: str, is_global: bool) -> Scope | None:
        if is_global:
            return self.index.global_scope
        current = start.parent
        while not isinstance(current, (GlobalScope, BuiltinScope)):
            if isinstance(current, FunctionScope) and self._binds(current, name):
                return current
            current = current.parent
        return None

    # --- what keeps its name ----------------------------------------------------------------------
    def _freeze_by_rule(self) -> None:
        for group in self.groups.values():
            if is_private(group.name):
                group.freeze("dunder or private name")
            elif not isinstance(group.scope, (FunctionScope, ComprehensionScope)) and group.name in BUILTIN_NAMES:
                # A module or class binding may be unset when read: the read then finds the builtin.
                group.freeze("shadows a builtin")
        self._freeze_walrus_in_comprehensions()
        self._freeze_annotated_names()
        self._freeze_dynamic_scopes()
        self._freeze_debug_fstrings()

    def _freeze_walrus_in_comprehensions(self) -> None:
        """``[y := f(x) for x in xs]`` binds ``y`` in the enclosing function, where libcst does not
        look: that name keeps its spelling everywhere and stays reserved around the comprehension."""
        hoisted = set()
        for walrus in self.index.all_of(cst.NamedExpr):
            scope = self.index.scope_of[walrus]
            if not isinstance(scope, ComprehensionScope) or not isinstance(walrus.target, cst.Name):
                continue
            name = walrus.target.value
            hoisted.add(name)
            self.reserve(name, self.index.enclosing_scopes(scope))
        for group in self.groups.values():
            if group.name in hoisted:
                group.freeze("bound by := inside a comprehension")

    def _freeze_annotated_names(self) -> None:
        """Annotated parameters, and annotated variables of classes and modules, are the keys of
        ``__annotations__``: when the program may read annotations, those names are data. (Local
        variables' annotations are never stored.)"""
        if not self.index.annotations_read:
            return
        for annotation in self.index.all_of(cst.Annotation):
            holder = self.index.parent.get(annotation)
            if isinstance(holder, cst.Param) and holder.annotation is annotation:
                target = holder.name
            elif isinstance(holder, cst.AnnAssign) and isinstance(holder.target, cst.Name):
                target = holder.target
                if isinstance(self.index.scope_of.get(target), FunctionScope):
                    continue
            else:
                continue  # a return annotation: its key is "return"
            group = self.by_node.get(target)
            if group is not None:
                group.freeze("a key of __annotations__, which the program may read")

    def _freeze_dynamic_scopes(self) -> None:
        """eval/exec/globals()/locals()/vars()/import *: the globals, and every scope around such a
        call, may be read by string. A program that imports itself (``__main__``, ``sys.modules``)
        reads its globals as attributes."""
        if self._imports_itself():
            for group in self.groups.values():
                if group.scope is self.index.global_scope:
                    group.freeze("the program reads its own module (__main__, sys.modules)")
        if not self.index.dynamic.scope_by_string:
            return
        exposed = {self.index.global_scope}
        for call in self.index.all_of(cst.Call):
            if isinstance(call.func, cst.Name) and call.func.value in SCOPE_BY_STRING:
                exposed.update(self.index.enclosing_scopes(self.index.scope_of[call]))
        for group in self.groups.values():
            if group.scope in exposed:
                group.freeze("names are read through strings (eval, exec, globals, ...)")

    def _imports_itself(self) -> bool:
        return reads_own_module(self.index.module, self.index.all_of)

    def _freeze_debug_fstrings(self) -> None:
        """``f"{x=}"`` prints the expression's text."""
        for expression in self.index.all_of(cst.FormattedStringExpression):
            if expression.equal is None:
                continue
            for name in self.index.names_in(expression.expression):
                group = self.by_node.get(name)
                if group is not None:
                    group.freeze("spelled by a self-documenting f-string")
