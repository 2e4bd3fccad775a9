"""Choose the new names: most used groups first, each the shortest name free wherever it is used."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Collection, Iterable

from libcst.metadata import Scope

from golfkit.rename.model import Group
from golfkit.rename.names import candidates


class Namespaces:
    """Which names are taken, per scope and in the program-wide attribute namespace."""

    def __init__(self, reserved: dict[Scope, set[str]], attributes: Iterable[str]):
        self.scopes: dict[Scope, set[str]] = defaultdict(set, {s: set(n) for s, n in reserved.items()})
        self.attributes: set[str] = set(attributes)

    def free(self, group: Group, name: str) -> bool:
        if group.attribute and name in self.attributes:
            return False
        return not any(name in self.scopes[scope] for scope in group.scopes)

    def take(self, group: Group, name: str) -> None:
        if group.attribute:
            self.attributes.add(name)
        for scope in group.scopes:
            self.scopes[scope].add(name)


class Pending:
    """Original names of groups still waiting for theirs: taking one forces that group to move."""

    def __init__(self, groups: Iterable[Group]):
        self.scopes: dict[Scope, Counter] = defaultdict(Counter)
        self.attributes: Counter = Counter()
        for group in groups:
            self._count(group, 1)

    def _count(self, group: Group, step: int) -> None:
        if group.attribute:
            self.attributes[group.name] += step
        for scope in group.scopes:
            self.scopes[scope][group.name] += step

    def remove(self, group: Group) -> None:
        self._count(group, -1)

    def wanted(self, group: Group, name: str) -> bool:
        if group.attribute and self.attributes[name] > 0:
            return True
        return any(self.scopes[scope][name] > 0 for scope in group.scopes)


def choose_names(
    groups: Collection[Group],
    enabled: Collection[Group],
    reserved: dict[Scope, set[str]],
    reserved_attributes: Iterable[str],
) -> dict[Group, str]:
    """New names for the enabled groups (those whose name changes); every other group keeps its
    name, so disabling a group never lets another collide with it."""
    taken = Namespaces(reserved, reserved_attributes)
    enabled = [g for g in groups if g in enabled and g.renamable]
    chosen = set(enabled)
    for group in groups:
        if group not in chosen:
            taken.take(group, group.name)
    pending = Pending(enabled)
    names = {}
    for group in sorted(enabled, key=lambda g: (-g.weight, g.first, g.name)):
        pending.remove(group)
        name = _best_name(group, taken, pending)
        if group.saving(name) <= 0 and taken.free(group, group.name):
            name = group.name
        taken.take(group, name)
        if name != group.name:
            names[group] = name
    return names


def _best_name(group: Group, taken: Namespaces, pending: Pending) -> str:
    """The shortest free name, preferring one no waiting group is still called."""
    wanted_by_other = None
    for name in candidates():
        if not taken.free(group, name):
            continue
        if name == group.name or not pending.wanted(group, name):
            if wanted_by_other is not None and len(wanted_by_other) < len(name):
                return wanted_by_other
            return name
        if wanted_by_other is None:
            wanted_by_other = name
    raise AssertionError("unreachable: candidates never run out")
