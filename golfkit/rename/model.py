"""Rename groups: every spelling of one name that must change together, and where it must stay unique."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import Scope

VARIABLE = "variable"  # a name bound in a function, comprehension or the module
ATTRIBUTE = "attribute"  # an attribute of the program's own objects (class-body names included)
CLASS_MEMBER = "class member"  # a class-body name; those of own classes join their attribute group


@dataclass(eq=False)
class Group:
    kind: str
    name: str  # the name as written in the input
    scope: Scope | None  # where a variable is bound; None for attributes
    scope_label: str
    # Names that bind it, names that read it, and other spellings (``global``/``nonlocal``
    # declarations, keyword arguments at call sites): all renamed in place.
    bindings: list[cst.Name] = field(default_factory=list)
    references: list[cst.Name] = field(default_factory=list)
    others: list[cst.Name] = field(default_factory=list)
    # ``import x`` / ``from m import x`` with no ``as``: renaming adds ``as <new>``.
    aliases: list[cst.ImportAlias] = field(default_factory=list)
    # ``__slots__`` entries naming the attribute.
    strings: list[cst.SimpleString] = field(default_factory=list)
    # Scopes where the new name must not already mean something else.
    scopes: set[Scope] = field(default_factory=set)
    frozen: str | None = None  # why the name is kept, when it is
    first: int = -1  # where it first appears, as a rank in source order: the stable site order

    @property
    def attribute(self) -> bool:
        return self.kind == ATTRIBUTE

    @property
    def renamable(self) -> bool:
        return self.frozen is None

    @property
    def weight(self) -> int:
        """How many spellings change: the most used groups get the shortest names."""
        return len(self.names) + len(self.aliases) + len(self.strings)

    @property
    def names(self) -> list[cst.Name]:
        return self.bindings + self.references + self.others

    def freeze(self, reason: str) -> None:
        if self.frozen is None:
            self.frozen = reason

    def saving(self, new: str) -> int:
        """Characters saved by spelling this group ``new`` instead of its name."""
        delta = len(self.name) - len(new)
        spelled = len(self.names) + len(self.strings)
        return spelled * delta - len(self.aliases) * len(f" as {new}")

    def absorb(self, other: "Group") -> None:
        """Take over every spelling of ``other`` (a class-body binding joining its attribute)."""
        self.bindings += other.bindings
        self.references += other.references
        self.others += other.others
        self.aliases += other.aliases
        self.strings += other.strings
        self.scopes |= other.scopes
        if other.frozen:
            self.freeze(other.frozen)
