"""The whole renaming analysis of one module: its groups, what each must keep clear of, the rewrite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

import libcst as cst
from libcst.metadata import GlobalScope, Scope

from golfkit.rename.assign import choose_names
from golfkit.rename.attributes import Attributes
from golfkit.rename.classes import Classes
from golfkit.rename.keywords import Keywords
from golfkit.rename.model import ATTRIBUTE, Group
from golfkit.rename.receivers import Receivers
from golfkit.rename.rewrite import apply_names
from golfkit.rename.scopes import ScopeIndex
from golfkit.rename.variables import Variables


@dataclass
class Analysis:
    index: ScopeIndex
    groups: list[Group]  # every group, in order of first appearance in the source
    reserved: dict[Scope, set[str]]
    reserved_attributes: set[str]

    @property
    def sites(self) -> list[Group]:
        """The renamable groups: one rename site each, numbered in source order."""
        return [group for group in self.groups if group.renamable]

    def choose(self, enabled: Collection[Group] | None = None) -> dict[Group, str]:
        enabled = self.sites if enabled is None else enabled
        return choose_names(self.groups, set(enabled), self.reserved, self.reserved_attributes)

    def rewrite(self, enabled: Collection[Group] | None = None) -> str:
        return apply_names(self.index.module, self.choose(enabled))

    def dump(self) -> list[tuple[str, str, int, int, str | None]]:
        """(scope, name, bindings, references, reason kept) per group, for tests and debugging;
        attributes show as scope "attribute"."""
        return [
            (g.scope_label if g.kind != ATTRIBUTE else "attribute", g.name, len(g.bindings), len(g.references), g.frozen)
            for g in self.groups
        ]


def analyse(source: str) -> Analysis:
    """The renaming analysis of a text parsed here (raises libcst's ParserSyntaxError)."""
    return analyse_index(ScopeIndex.parse(source))


def analysis_of_facts(facts) -> Analysis:
    """The renaming analysis over the shared facts of a text (golfkit.analysis.ProgramFacts),
    made once per text: finding sites and rewriting them share its groups."""
    return facts.derived(_analysis_once)


def _analysis_once(facts) -> Analysis:
    return analyse_index(ScopeIndex.of(facts))


def analyse_index(index: ScopeIndex) -> Analysis:
    variables = Variables(index)
    classes = Classes(index, variables)
    _freeze_definition_names(index, variables, classes)
    receivers = Receivers(index, variables, classes)
    attributes = Attributes(index, variables, classes, receivers)
    Keywords(index, variables, classes, attributes)
    for group in variables.groups.values():
        if isinstance(group.scope, GlobalScope) and group.name in attributes.spelled:
            group.freeze("spelled in a string")
    groups = [g for g in variables.groups.values() if g not in attributes.absorbed]
    groups += attributes.groups.values()
    for group in groups:
        nodes = [*group.names, *group.aliases, *group.strings]
        group.first = min((index.rank(node) for node in nodes), default=-1)
    groups.sort(key=lambda g: (g.first, g.kind, g.name))
    return Analysis(index, groups, dict(variables.reserved), set(attributes.reserved))


def _freeze_definition_names(index: ScopeIndex, variables: Variables, classes: Classes) -> None:
    """A function's or class's name is data when the program reads ``__name__``, and a class's
    name shows when the class is printed or is a library type's subclass (exceptions' repr)."""
    reads_names = any(a.attr.value in ("__name__", "__qualname__") for a in index.all_of(cst.Attribute))
    for group in variables.groups.values():
        for binding in group.bindings:
            definition = index.parent.get(binding)
            if not isinstance(definition, (cst.FunctionDef, cst.ClassDef)) or definition.name is not binding:
                continue
            if reads_names:
                group.freeze("the program reads __name__")
            elif isinstance(definition, cst.ClassDef) and not classes.is_own(definition):
                group.freeze(f"class name may show in output: {classes.foreign[definition]}")
            elif isinstance(definition, cst.ClassDef) and _class_escapes(index, group):
                group.freeze("the class object is used as a value")


def _class_escapes(index: ScopeIndex, group: Group) -> bool:
    """Used other than called, as a base, in isinstance/issubclass/except, or for an attribute."""
    return not all(_plain_class_use(index, reference) for reference in group.references)


def _plain_class_use(index: ScopeIndex, reference: cst.Name) -> bool:
    parent = index.parent.get(reference)
    if isinstance(parent, cst.Call) and parent.func is reference:
        return True
    if isinstance(parent, cst.Attribute) and parent.value is reference:
        return True
    if isinstance(parent, cst.MatchClass) and parent.cls is reference:
        return True  # ``case C(...)``: an isinstance check
    if isinstance(parent, cst.Element):  # isinstance(x, (A, B)), except (A, B)
        parent = index.parent.get(index.parent.get(parent))
    if isinstance(parent, cst.ExceptHandler):
        return True
    if not isinstance(parent, cst.Arg) or parent.keyword is not None:
        return False
    holder = index.parent.get(parent)
    if isinstance(holder, cst.ClassDef):
        return True
    return (
        isinstance(holder, cst.Call)
        and isinstance(holder.func, cst.Name)
        and holder.func.value in ("isinstance", "issubclass")
        and len(holder.args) == 2
        and holder.args[1] is parent
    )
