"""Parameters are also keyword names: ``def f(rows)`` can be called as ``f(rows=3)``.

A parameter that can be passed by keyword is renamed only together with every keyword argument
that may reach it. For a *closed* function (a ``def`` whose name is only ever called directly)
every call site is known: its keyword arguments are renamed with the parameter, unless a call
unpacks ``**mapping`` into it. Any other function (methods, lambdas, functions passed around)
keeps a parameter's name when some call the analysis cannot attribute passes that keyword, when
such a call unpacks ``**``, when a string spells the name, or when code golfkit cannot see may
call the function (decorators, library base classes, method names kept for libraries).
"""

from __future__ import annotations

from collections import defaultdict

import libcst as cst

from golfkit.analysis import is_dunder
from golfkit.rename.attributes import Attributes
from golfkit.rename.classes import Classes
from golfkit.rename.model import VARIABLE, Group
from golfkit.rename.scopes import ScopeIndex
from golfkit.rename.variables import Variables


class Keywords:
    def __init__(self, index: ScopeIndex, variables: Variables, classes: Classes, attributes: Attributes):
        self.index = index
        self.variables = variables
        self.classes = classes
        self.attributes = attributes
        self.closed: dict[cst.FunctionDef, list[cst.Call]] = self._closed_functions()
        callee_of = {call: function for function, calls in self.closed.items() for call in calls}
        # Keyword arguments of closed functions' calls, by (function, keyword).
        self.passed: dict[tuple[cst.FunctionDef, str], list[cst.Name]] = defaultdict(list)
        self.unpacked_into: set[cst.FunctionDef] = set()
        self.unattributed: set[str] = set()  # keywords passed to calls of unknown callees
        self.unattributed_unpacking = False
        for call in index.all_of(cst.Call):
            self._note_call(call, callee_of.get(call))
        for classdef in index.all_of(cst.ClassDef):
            # class C(Base, key=...) passes key to __init_subclass__.
            self.unattributed.update(arg.keyword.value for arg in classdef.keywords if arg.keyword)
        self._freeze_parameters()
        self._reserve_keywords()

    def _closed_functions(self) -> dict[cst.FunctionDef, list[cst.Call]]:
        closed = {}
        for group in self.variables.groups.values():
            if group.kind != VARIABLE or len(group.bindings) != 1 or group.aliases:
                continue
            if group in self.variables.partly_read:
                continue
            function = self.index.parent.get(group.bindings[0])
            if not isinstance(function, cst.FunctionDef) or function.decorators:
                continue
            calls = [self.index.parent.get(reference) for reference in group.references]
            if group.others or not all(isinstance(c, cst.Call) and c.func is r for c, r in zip(calls, group.references)):
                continue
            closed[function] = calls
        return closed

    def _note_call(self, call: cst.Call, callee: cst.FunctionDef | None) -> None:
        for arg in call.args:
            if arg.keyword is not None:
                if callee is None:
                    self.unattributed.add(arg.keyword.value)
                else:
                    self.passed[(callee, arg.keyword.value)].append(arg.keyword)
            elif arg.star == "**":
                if callee is None:
                    self.unattributed_unpacking = True
                else:
                    self.unpacked_into.add(callee)

    def _freeze_parameters(self) -> None:
        for group in self.variables.groups.values():
            param = self._keyword_parameter(group)
            if param is None:
                continue
            function = self.index.scope_of[param.name].node
            if function in self.closed:
                if function in self.unpacked_into:
                    group.freeze("a call unpacks ** into its function")
                else:
                    group.others += self.passed.get((function, group.name), [])
                continue
            if group in self.classes.receivers:
                # self/cls arrives bound, never by keyword, unless a call spells it.
                if group.name in self.unattributed:
                    group.freeze(f"passed as keyword {group.name}= to a call golfkit cannot attribute")
                continue
            reason = self._open_function_reason(function, group.name)
            if reason:
                group.freeze(reason)

    def _reserve_keywords(self) -> None:
        """A keyword a call passes that no parameter takes lands in ``**kwargs`` (or is an error):
        no other parameter of that function may be renamed to it."""
        for scope in self.index.scopes:
            function = getattr(scope, "node", None)
            if not isinstance(function, (cst.FunctionDef, cst.Lambda)):
                continue
            if function in self.closed:
                keywords = {name for (callee, name) in self.passed if callee is function}
            else:
                keywords = self.unattributed
            parameters = function.params
            by_keyword = {p.name.value for p in (*parameters.params, *parameters.kwonly_params)}
            self.variables.reserve_names(keywords - by_keyword, scope)

    def _keyword_parameter(self, group: Group) -> cst.Param | None:
        """The parameter binding the group, when callers may pass it by keyword."""
        for binding in group.bindings:
            param = self.index.parent.get(binding)
            if isinstance(param, cst.Param) and param.name is binding:
                parameters = self.index.parent.get(param)
                if isinstance(parameters, cst.Parameters) and (
                    any(p is param for p in parameters.params) or any(p is param for p in parameters.kwonly_params)
                ):
                    return param
        return None

    def _open_function_reason(self, function: cst.CSTNode, name: str) -> str | None:
        if self.index.dynamic.scope_by_string:
            return "calls may be run from strings (eval, exec)"
        if name in self.unattributed:
            return f"passed as keyword {name}= to a call golfkit cannot attribute"
        if self.unattributed_unpacking:
            return "a call of unknown target unpacks ** keywords"
        if name in self.attributes.spelled:
            return "spelled in a string"
        if isinstance(function, cst.FunctionDef):
            return self._exposed_reason(function)
        return None

    def _exposed_reason(self, function: cst.FunctionDef) -> str | None:
        """Why code outside the program may call ``function`` by keyword."""
        classdef = self.classes.class_of_scope(self.index.scope_of[function])
        if classdef is None:
            return "decorated function" if function.decorators else None
        if function in self.classes.decorated_methods:
            return "decorated method"
        if not self.classes.is_own(classdef):
            return f"method of class {classdef.name.value}: {self.classes.foreign[classdef]}"
        method = function.name.value
        if is_dunder(method):
            return None
        group = self.attributes.groups.get(method)
        if group is None or not group.renamable:
            return "method name is kept, library code may call it"
        return None
