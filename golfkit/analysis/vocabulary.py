"""Which words a program spells anywhere (names, attributes, strings, imported modules) and what
the observer policy concludes from them: whether docstrings, annotations, function or class names
can show, and whether module globals change only through the module's own statements.

The answers come from spelling alone, with no notion of scope: a word counts wherever it appears,
even where it means something else, so a program is never judged blinder than it is.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from golfkit.analysis.syntax import dotted_name


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
    def of(cls, module: cst.Module, dynamic: DynamicUse | None = None) -> "Vocabulary":
        collector = _WordCollector()
        module.visit(collector)
        return cls(
            names=frozenset(collector.names),
            attributes=frozenset(collector.attributes),
            strings=frozenset(collector.strings),
            modules=frozenset(collector.modules),
            declared=frozenset(collector.declared),
            imported_names=frozenset(collector.imported_names),
            dynamic=dynamic if dynamic is not None else dynamic_use(module),
            future_annotations=collector.future_annotations,
            repr_conversions=collector.repr_conversions,
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


class _WordCollector(cst.CSTVisitor):
    def __init__(self):
        self.names: set[str] = set()
        self.attributes: set[str] = set()
        self.strings: set[str] = set()
        self.modules: set[str] = set()
        self.declared: set[str] = set()
        self.imported_names: set[str] = set()
        self.future_annotations = False
        self.repr_conversions = False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attributes.add(node.attr.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - a literal Python itself would refuse: no words in it
            return
        if isinstance(value, str):
            self.strings.add(value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.strings.add(node.value)

    def visit_FormattedStringExpression(self, node: cst.FormattedStringExpression) -> None:
        if node.conversion in ("r", "a") or node.equal is not None:
            self.repr_conversions = True

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.modules.update(dotted_name(alias.name).split("."))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None:
            dotted = dotted_name(node.module)
            self.modules.update(dotted.split("."))
            if dotted == "__future__" and not isinstance(node.names, cst.ImportStar):
                if any(dotted_name(alias.name) == "annotations" for alias in node.names):
                    self.future_annotations = True
        if not isinstance(node.names, cst.ImportStar):
            self.imported_names.update(dotted_name(alias.name) for alias in node.names)

    def visit_Global(self, node: cst.Global) -> None:
        self.declared.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared.update(item.name.value for item in node.names)
