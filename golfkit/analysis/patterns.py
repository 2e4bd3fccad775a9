"""Names in ``match`` patterns, which libcst's scope metadata misreads.

libcst's ScopeProvider has no rule for patterns: its ExpressionContextProvider gives every Name in
them LOAD, so a capture (``case x``, ``*rest``, ``**rest``, ``Cls() as p``) is filed as a *read* of
whatever outer binding has that name, and is no assignment at all; a class-pattern keyword
(``Point(x=...)``) is filed as a read too, though it names an attribute. This module lists both
kinds, so the renamer can bind captures in the statement's scope and leave keywords to the
attribute analysis, and so the other passes can leave captured names alone (``captured_names``)
where they trust libcst's bindings, and skip keywords where they collect reads. Value patterns
(``case Color.RED``, ``case int()``'s ``int``) are real reads and are left to libcst; ``case _``
and ``*_`` carry no Name at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

import libcst as cst

from golfkit.analysis.syntax import walk
from golfkit.analysis.values import NOT_CONSTANT, constant_key


@dataclass(frozen=True)
class Capture:
    """One Name a pattern binds."""

    name: cst.Name
    statement: cst.Match
    # The class of every class pattern the value is taken from: ``Point(x=px)`` gives px
    # Point's attribute, ``Point() as p`` gives p a Point instance.
    classes: tuple[cst.BaseExpression, ...]

    @property
    def subject(self) -> cst.BaseExpression:
        return self.statement.subject


class MatchPatterns:
    """Captures and class-pattern keywords of the given ``match`` statements."""

    def __init__(self, statements: Iterable[cst.Match]):
        self.captures: dict[cst.Name, Capture] = {}
        self.keywords: set[cst.Name] = set()
        for statement in statements:
            for case in statement.cases:
                self._pattern(statement, case.pattern, ())

    @cached_property
    def names(self) -> frozenset[str]:
        """Every name some pattern binds."""
        return frozenset(name.value for name in self.captures)

    def _capture(self, statement: cst.Match, name: cst.Name | None, classes: tuple) -> None:
        if name is not None:
            self.captures[name] = Capture(name, statement, classes)

    def _pattern(self, statement: cst.Match, pattern: cst.MatchPattern, classes: tuple) -> None:
        if isinstance(pattern, cst.MatchAs):
            self._capture(statement, pattern.name, classes + _classes_of(pattern.pattern))
            if pattern.pattern is not None:
                self._pattern(statement, pattern.pattern, classes)
        elif isinstance(pattern, cst.MatchOr):
            for element in pattern.patterns:
                self._pattern(statement, element.pattern, classes)
        elif isinstance(pattern, (cst.MatchList, cst.MatchTuple)):
            for element in pattern.patterns:
                if isinstance(element, cst.MatchStar):
                    self._capture(statement, element.name, classes)
                else:
                    self._pattern(statement, element.value, classes)
        elif isinstance(pattern, cst.MatchMapping):
            for element in pattern.elements:
                self._pattern(statement, element.pattern, classes)
            self._capture(statement, pattern.rest, classes)
        elif isinstance(pattern, cst.MatchClass):
            inner = classes + (pattern.cls,)
            for element in pattern.patterns:
                self._pattern(statement, element.value, inner)
            for keyword in pattern.kwds:
                self.keywords.add(keyword.key)
                self._pattern(statement, keyword.pattern, inner)
        # MatchValue and MatchSingleton bind nothing.


def patterns_of(facts) -> MatchPatterns:
    """The match patterns of a text (golfkit.analysis.ProgramFacts), found once per text."""
    return facts.derived(_patterns)


def captured_names(facts) -> frozenset[str]:
    """The names some match pattern of the text binds. A pass whose decisions rest on libcst's
    bindings (bound once, holds this constant, is the builtin, surely bound here) leaves these
    names alone, as it does walrus targets: a capture rebinds the name where libcst sees none.
    (By name: which reads a capture reaches is the renamer's analysis, not libcst's.)"""
    return patterns_of(facts).names


def class_pattern_keywords(facts) -> set[cst.Name]:
    """The ``x`` of every ``case C(x=...)``: attribute names, which libcst files as reads of a
    variable ``x``; a pass collecting a variable's reads skips them."""
    return patterns_of(facts).keywords


def mentions_captured(facts, node: cst.CSTNode) -> bool:
    """Some Name under ``node`` (itself included) spells a name some match pattern binds."""
    captured = captured_names(facts)
    return bool(captured) and any(isinstance(name, cst.Name) and name.value in captured for name in walk(node))


def builtin_read(facts, name: cst.Name) -> bool:
    """ProgramFacts.is_builtin_read, but False for a name some match pattern binds, which libcst
    still reads as the builtin."""
    return facts.is_builtin_read(name) and name.value not in captured_names(facts)


def known_constant_key(facts, expression: cst.BaseExpression):
    """golfkit.analysis.constant_key, but NOT_CONSTANT for an expression naming a name some match
    pattern binds: libcst sees no such binding, so the value it finds may not be the one read."""
    return NOT_CONSTANT if mentions_captured(facts, expression) else constant_key(facts, expression)


def _patterns(facts) -> MatchPatterns:
    return MatchPatterns(facts.nodes(cst.Match))


def _classes_of(pattern: cst.MatchPattern | None) -> tuple[cst.BaseExpression, ...]:
    """The classes a value matching ``pattern`` is an instance of, at its top level."""
    if isinstance(pattern, cst.MatchClass):
        return (pattern.cls,)
    if isinstance(pattern, cst.MatchOr):
        return tuple(cls for element in pattern.patterns for cls in _classes_of(element.pattern))
    if isinstance(pattern, cst.MatchAs):
        return _classes_of(pattern.pattern)
    return ()
