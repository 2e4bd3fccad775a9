"""Which words a program spells anywhere (names, attributes, strings, imported modules) and what
the observer policy concludes from them: whether docstrings, annotations, function or class names
can show, and whether module globals change only through the module's own statements.

The answers come from spelling alone, with no notion of scope: a word counts wherever it appears,
even where it means something else, so a program is never judged blinder than it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import libcst as cst

from golfkit.analysis.observers import (
    ANNOTATION_READERS,
    CLASS_NAME_ATTRIBUTES,
    CLASS_NAME_BUILTINS,
    DOC_READERS,
    FUNCTION_NAME_READERS,
    GLOBAL_WRITERS,
    NAME_MODULES,
    DynamicUse,
    dynamic_use,
)
from golfkit.analysis.syntax import dotted_name, nodes_by_type


@dataclass(frozen=True)
class Vocabulary:
    """Which names, attributes, strings and modules a program spells anywhere."""

    names: frozenset[str]
    attributes: frozenset[str]
    strings: frozenset[str]
    modules: frozenset[str]
    declared: frozenset[str]  # names in any ``global`` or ``nonlocal`` statement
    imported_names: frozenset[str]  # ``D`` of ``from m import D`` (m could be the program itself)
    dynamic: DynamicUse
    future_annotations: bool
    repr_conversions: bool  # an f-string uses !r or !a

    @classmethod
    def of(cls, module: cst.Module, dynamic: DynamicUse | None = None,
           nodes: Callable[[type], Iterable[cst.CSTNode]] | None = None) -> "Vocabulary":
        """The words of ``module``. ``nodes(kind)`` gives its nodes of one exact type when the
        caller has them indexed already (as ``dynamic_use`` takes it); otherwise it is walked here."""
        if nodes is None:
            nodes = nodes_by_type(module).__getitem__
        strings: set[str] = set()
        for string in nodes(cst.SimpleString):
            try:
                value = string.evaluated_value
            except Exception:  # noqa: BLE001 - a literal Python itself would refuse: no words in it
                continue
            if isinstance(value, str):
                strings.add(value)
        strings.update(text.value for text in nodes(cst.FormattedStringText))
        modules: set[str] = set()
        imported_names: set[str] = set()
        future_annotations = False
        for statement in nodes(cst.Import):
            for alias in statement.names:
                modules.update(dotted_name(alias.name).split("."))
        for statement in nodes(cst.ImportFrom):
            if statement.module is not None:
                dotted = dotted_name(statement.module)
                modules.update(dotted.split("."))
                if dotted == "__future__" and not isinstance(statement.names, cst.ImportStar):
                    future_annotations |= any(dotted_name(alias.name) == "annotations" for alias in statement.names)
            if not isinstance(statement.names, cst.ImportStar):
                imported_names.update(dotted_name(alias.name) for alias in statement.names)
        return cls(
            names=frozenset(name.value for name in nodes(cst.Name)),
            attributes=frozenset(attribute.attr.value for attribute in nodes(cst.Attribute)),
            strings=frozenset(strings),
            modules=frozenset(modules),
            declared=frozenset(item.name.value for kind in (cst.Global, cst.Nonlocal)
                               for statement in nodes(kind) for item in statement.names),
            imported_names=frozenset(imported_names),
            dynamic=dynamic if dynamic is not None else dynamic_use(module, nodes),
            future_annotations=future_annotations,
            repr_conversions=any(field.conversion in ("r", "a") or field.equal is not None
                                 for field in nodes(cst.FormattedStringExpression)),
        )

    def spells_any(self, words: frozenset[str]) -> bool:
        """One of ``words`` appears as a name, a string or an imported module."""
        return bool(words & (self.names | self.strings | self.modules))

    @property
    def reaches_anything(self) -> bool:
        """eval/exec/globals() or attributes by computed strings: any name may be looked up."""
        return self.dynamic.names_frozen or self.dynamic.any_attribute_by_string

    @property
    def reads_docstrings(self) -> bool:
        return self.reaches_anything or self.spells_any(DOC_READERS)

    @property
    def reads_annotations(self) -> bool:
        return self.reaches_anything or self.spells_any(ANNOTATION_READERS)

    @property
    def reads_function_names(self) -> bool:
        """Whether a def's ``__name__``/``__qualname__`` (or its pickled identity) can show."""
        return (
            self.reaches_anything
            or bool(FUNCTION_NAME_READERS & (self.attributes | self.strings))
            or bool(NAME_MODULES & self.modules)
        )

    @property
    def reads_class_names(self) -> bool:
        """Whether a class's name can show: ``type(x)``, ``__class__``, reprs."""
        return (
            self.reads_function_names
            or self.repr_conversions
            or bool(CLASS_NAME_BUILTINS & self.names)
            or bool(CLASS_NAME_ATTRIBUTES & self.attributes)
            or any("%r" in text or "!r" in text for text in self.strings)
        )

    @property
    def globals_stable(self) -> bool:
        """Module globals change only through the module's own statements and ``global``."""
        return not (self.dynamic.names_frozen or self.spells_any(GLOBAL_WRITERS))
