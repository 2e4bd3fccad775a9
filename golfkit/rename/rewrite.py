"""Spell every renamed group's nodes with the new name."""

from __future__ import annotations

import libcst as cst

from golfkit.rename.model import Group


class _Renamer(cst.CSTTransformer):
    def __init__(self, names: dict[Group, str]):
        super().__init__()
        self.names: dict[cst.CSTNode, str] = {}
        self.strings: dict[cst.CSTNode, str] = {}
        self.aliases: dict[cst.CSTNode, str] = {}
        for group, new in names.items():
            self.names.update((node, new) for node in group.names)
            self.strings.update((node, new) for node in group.strings)
            self.aliases.update((node, new) for node in group.aliases)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        new = self.names.get(original)
        return updated if new is None else updated.with_changes(value=new)

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        new = self.strings.get(original)
        if new is None:
            return updated
        prefix, quote = updated.prefix, updated.quote
        return updated.with_changes(value=f"{prefix}{quote}{new}{quote}")

    def leave_ImportAlias(self, original: cst.ImportAlias, updated: cst.ImportAlias) -> cst.ImportAlias:
        new = self.aliases.get(original)
        return updated if new is None else updated.with_changes(asname=cst.AsName(name=cst.Name(new)))


def apply_names(module: cst.Module, names: dict[Group, str]) -> str:
    # Groups that keep their spelling need no walk: a text renamed before keeps its names.
    changing = {group: new for group, new in names.items() if not spelled_as(group, new)}
    return module.visit(_Renamer(changing)).code if changing else module.code


def spelled_as(group: Group, name: str) -> bool:
    """Spelling the group ``name`` changes none of its nodes (an escaped ``__slots__`` string
    would be respelled; ``import x`` would gain `` as x``)."""
    return (
        not group.aliases
        and all(node.value == name for node in group.names)
        and all(node.value == f"{node.prefix}{node.quote}{name}{node.quote}" for node in group.strings)
    )
