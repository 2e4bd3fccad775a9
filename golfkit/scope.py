"""Shared scope facts for the scope-aware passes, all drawn from libcst metadata.

What no pass may assume is spelled out here once: which names a program reaches through strings
(``eval``, ``exec``, ``globals()``, ``locals()``, ``vars()``, ``getattr`` and friends,
``import *``, ``__dict__``), so that renaming, inlining and dead-code removal leave them alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    ExpressionContextProvider,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

# Builtins that read or write a scope's names by string.
SCOPE_BY_STRING = frozenset({"eval", "exec", "globals", "locals", "vars", "__import__", "compile"})
# Builtins that reach an attribute by a string argument.
ATTRIBUTE_BY_STRING = frozenset({"getattr", "setattr", "hasattr", "delattr"})

STANDARD_PROVIDERS = (
    ScopeProvider,
    QualifiedNameProvider,
    ExpressionContextProvider,
    ParentNodeProvider,
    PositionProvider,
)


@dataclass(frozen=True)
class DynamicUse:
    """How a program reaches names other than by spelling them."""

    # eval/exec/globals/locals/vars/import *: any name of the program may be read by string.
    scope_by_string: bool
    # Attribute names given as string literals to getattr & co (or read through __dict__ keys).
    attribute_strings: frozenset[str]
    # An attribute is reached through a non-literal string or ``__dict__``: no attribute is safe.
    any_attribute_by_string: bool

    @property
    def names_frozen(self) -> bool:
        return self.scope_by_string

    def attribute_renamable(self, name: str) -> bool:
        if self.any_attribute_by_string or name in self.attribute_strings:
            return False
        return not (name.startswith("__") and name.endswith("__"))


def parse(source: str) -> MetadataWrapper:
    return MetadataWrapper(cst.parse_module(source))


def dynamic_use(module: cst.Module) -> DynamicUse:
    """Scan the whole module (every scope) for string-based name access."""
    scope_by_string = False
    strings: set[str] = set()
    any_attribute = False
    for call in m.findall(module, m.Call(func=m.Name())):
        name = call.func.value
        if name in SCOPE_BY_STRING:
            scope_by_string = True
        elif name in ATTRIBUTE_BY_STRING:
            if len(call.args) >= 2 and isinstance(call.args[1].value, cst.SimpleString):
                strings.add(call.args[1].value.evaluated_value)
            else:
                any_attribute = True
    if m.findall(module, m.ImportStar()):
        scope_by_string = True
    if m.findall(module, m.Attribute(attr=m.Name("__dict__"))) or m.findall(
        module, m.Name("__dict__")
    ):
        any_attribute = True
    return DynamicUse(scope_by_string, frozenset(strings), any_attribute)
