"""The template every search mutation follows: a pass with no proof, whose every site compiles.

A mutation kind is a ``Pass`` of safety ``CONTRACT``: a run, not an argument, decides whether a
mutant behaves. Its sites are ``Spot``s: the node the kind rebuilds (``anchor``), the nodes the edit
changes (``covers``) and what the kind needs to rebuild it (``detail``). The template

- lists the kind's candidates (``candidates``), orders them by place in the text (outer before
  inner), and offers only those whose single-site mutant compiles, with no warning the text did
  not already raise; the list is computed once per text and kind (``find_sites`` is memoised on
  the shared facts, so a driver applying one site at a time does not recompute it);
- applies a batch (``rewrite``) by leaving out every site whose covers nest in or meet those of an
  earlier site of the batch, rebuilding each anchor once from its updated node, and, should the
  batch still not compile (two edits each fine alone), keeping the sites one by one in order,
  each only if the text still compiles with it: a later site that would break an earlier one's
  result is skipped.

A rebuild that works by index (lines merged or swapped in a block) needs the sequence it indexes
to keep its length: within one kind, no other rebuild splices nodes into that sequence or removes
one from it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

import libcst as cst

from golfkit.analysis import ProgramFacts, code, fit, precedence
from golfkit.passes.base import Pass, PassContext, Safety, Site
from golfkit.search.mutations.printing import source_text, span, spliced

RUN_DECIDES = "a run decides"


@dataclass(frozen=True, eq=False)
class Spot:
    """Where a tree mutation acts: ``anchor`` is rebuilt, ``covers`` are the nodes it changes."""

    anchor: cst.CSTNode
    covers: tuple[cst.CSTNode, ...]
    detail: Any = None


class CompileCheck:
    """Does a mutant compile, raising no warning the original text did not raise already?

    A warning is written to stderr when the program starts, so a new one would fail the run; the
    text's own warnings are allowed, or no mutant of a text that warns could ever be offered.
    """

    def __init__(self, original: str):
        self.known = self._warnings(original) or set()

    @classmethod
    def of(cls, facts: ProgramFacts) -> CompileCheck:
        return cls(source_text(facts))

    @staticmethod
    def _warnings(text: str) -> set[tuple[type, str]] | None:
        """The warnings compiling ``text`` raises, or None when it does not compile."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                compile(text, "<mutant>", "exec", dont_inherit=True)
            except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError):
                return None
        return {(warning.category, str(warning.message)) for warning in caught}

    def __call__(self, text: str) -> bool:
        raised = self._warnings(text)
        return raised is not None and raised <= self.known


def _site_memo(facts: ProgramFacts) -> dict:
    return {}


def compile_check(facts: ProgramFacts) -> CompileCheck:
    """The compile check of ``facts``' text, made once per text."""
    return facts.derived(CompileCheck.of)


class Mutation(Pass):
    """A search mutation over the tree. Subclasses give the identity (name, description, safety
    statement), ``candidates`` and ``rebuild``; text mutations override ``mutate`` and the order."""

    safety = Safety.CONTRACT
    # Edits that know no syntax: far more of them break the program, so the search tries them
    # after every kind that knows what it changes.
    blind: ClassVar[bool] = False

    # -- what a kind gives ---------------------------------------------------------------------
    def candidates(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        """Every edit the kind could make on this text, each a ``Site(Spot, key)``."""
        raise NotImplementedError

    def rebuild(self, facts: ProgramFacts, original: cst.CSTNode, updated: cst.CSTNode, details: list):
        """``updated`` (the anchor with its other edits made) with this kind's edits made; details
        come in site order."""
        raise NotImplementedError

    def memo_key(self, context: PassContext) -> tuple:
        """The settings the kind's sites depend on (the memo of sites is keyed by them)."""
        return ()

    # -- the template --------------------------------------------------------------------------
    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        memo = facts.derived(_site_memo)
        key = (type(self), self.memo_key(context))
        if key not in memo:
            memo[key] = self.offered(facts, context)
        return memo[key]

    def offered(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        """The candidates in source order whose single-site mutant compiles."""
        ordered = sorted(self.candidates(facts, context), key=lambda site: self.place(facts, site))
        return [site for site in ordered if self.attempt(facts, [site]) is not None]

    def rewrite(self, facts: ProgramFacts, sites: Sequence[Site], context: PassContext) -> str:
        chosen = self.compatible(facts, list(sites))
        text = self.attempt(facts, chosen)
        if text is not None:
            return text
        kept: list[Site] = []
        text = source_text(facts)
        for site in chosen:
            trial = self.attempt(facts, [*kept, site])
            if trial is not None:
                kept.append(site)
                text = trial
        return text

    def attempt(self, facts: ProgramFacts, sites: Sequence[Site]) -> str | None:
        """The text with ``sites`` applied, or None when it does not compile (libcst refuses
        to build some of what Python refuses to compile, such as a default-less parameter after
        one with a default)."""
        try:
            text = self.mutate(facts, sites)
        except cst.CSTValidationError:
            return None
        return text if compile_check(facts)(text) else None

    def place(self, facts: ProgramFacts, site: Site) -> tuple:
        """Where a site sits in the text: its first cover's start, outer nodes first."""
        position = facts.positions[site.target.covers[0]]
        return position.start.line, position.start.column, -position.end.line, -position.end.column

    def compatible(self, facts: ProgramFacts, sites: list[Site]) -> list[Site]:
        """The sites whose covers neither nest in nor meet those of an earlier site."""
        covered: set[cst.CSTNode] = set()
        above: set[cst.CSTNode] = set()  # the ancestors of covered nodes
        kept = []
        for site in sites:
            covers = site.target.covers
            if any(node in covered or node in above or any(a in covered for a in facts.ancestors(node))
                   for node in covers):
                continue
            kept.append(site)
            covered.update(covers)
            above.update(a for node in covers for a in facts.ancestors(node))
        return kept

    def mutate(self, facts: ProgramFacts, sites: Sequence[Site]) -> str:
        """The text with ``sites`` (compatible with one another) applied."""
        if not sites:
            return source_text(facts)
        rebuild = _Rebuild(self, facts, sites)
        facts.module.visit(rebuild)
        outermost = {anchor: result for anchor, result in rebuild.results.items()
                     if not any(a in rebuild.by_anchor for a in facts.ancestors(anchor))}
        return spliced(facts, outermost)

    def rebuilt_module(self, facts: ProgramFacts, sites: Sequence[Site]) -> cst.Module:
        """The whole mutant tree of ``sites`` (``mutate`` prints only what changed of it)."""
        return facts.module.visit(_Rebuild(self, facts, sites))


class ExpressionReplacement(Mutation):
    """A kind that replaces one expression by another (a site's detail), bracketed as its place
    needs."""

    def rebuild(self, facts, original, updated, details):
        (replacement,) = details
        return put_in_place(facts, original, replacement)


def expression_sites(nodes, transform) -> list[Site]:
    """A site per replacement ``transform`` gives for each node, keyed by what it writes."""
    return [
        Site(Spot(node, (node,), replacement), f"{code(node)} -> {code(replacement)}")
        for node in nodes
        for replacement in transform(node)
    ]


class _Rebuild(cst.CSTTransformer):
    """Rebuilds the anchors, descending only along the paths that lead to them."""

    def __init__(self, kind: Mutation, facts: ProgramFacts, sites: Sequence[Site]):
        super().__init__()
        self.kind, self.facts = kind, facts
        self.by_anchor: dict[cst.CSTNode, list] = {}
        for site in sites:
            self.by_anchor.setdefault(site.target.anchor, []).append(site.target.detail)
        self.results: dict[cst.CSTNode, object] = {}
        self.path = set(self.by_anchor)
        for anchor in self.by_anchor:
            self.path.update(facts.ancestors(anchor))

    def on_visit(self, node: cst.CSTNode) -> bool:
        return node in self.path

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode):
        details = self.by_anchor.get(original)
        if details is None:
            return updated
        result = self.kind.rebuild(self.facts, original, updated, details)
        self.results[original] = result
        return result


# --- statements ---------------------------------------------------------------------------------


def statement_units(body: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements of a body one by one: compound statements and each small statement of a
    ``;`` line."""
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)
    units = []
    for statement in body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            units.extend(statement.body)
        else:
            units.append(statement)
    return units


def statement_key(unit: cst.CSTNode) -> str:
    """A statement's text without what depends on its neighbours (its ``;``, the lines above)."""
    if isinstance(unit, cst.BaseSmallStatement):
        return code(unit.with_changes(semicolon=cst.MaybeSentinel.DEFAULT))
    return code(unit.with_changes(leading_lines=())).rstrip("\n")


def on_one_line(statements: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    """Small statements ready to share a line: each keeps its own ``;`` (and the spaces around
    it), one that had none before another gets a bare ``;``, the last has none."""
    last = len(statements) - 1
    result = []
    for index, statement in enumerate(statements):
        if index == last:
            statement = statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        elif not isinstance(statement.semicolon, cst.Semicolon):
            statement = statement.with_changes(semicolon=cst.Semicolon())
        result.append(statement)
    return result


# --- putting an expression where another stood ------------------------------------------------


def is_word(char: str) -> bool:
    return ("a" + char).isidentifier()


def ends_in_number(node: cst.CSTNode) -> bool:
    """The last token of ``node`` is a number (``1if`` reads as ``1 if``, ``aif`` as one name)."""
    while not getattr(node, "rpar", ()):
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            return True
        if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
            node = node.right
        elif isinstance(node, cst.UnaryOperation):
            node = node.expression
        else:
            return False
    return False


def would_glue(facts: ProgramFacts, original: cst.CSTNode, replacement: cst.CSTNode) -> bool:
    """Written where ``original`` stood, ``replacement`` would fuse with a neighbouring word
    (``not(a)`` -> ``nota``), or open an f-string field with a brace (``{{`` is an escape)."""
    text = source_text(facts)
    start, end = span(facts, original)
    written = code(replacement)
    if not written:
        return False
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    opens_number = written[0] == "." and written[1:2].isdigit()
    if before and is_word(before) and (is_word(written[0]) or opens_number):
        return True
    if after and is_word(after) and is_word(written[-1]) and not ends_in_number(replacement):
        return True
    in_field = isinstance(facts.parent(original), cst.FormattedStringExpression)
    return in_field and (written[0] == "{" or written[-1] == "}")


def parenthesized(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def put_in_place(facts: ProgramFacts, original: cst.BaseExpression, replacement: cst.BaseExpression):
    """``replacement`` ready to stand where ``original`` stood (``original``'s parentheses go with
    it): bracketed when the slot's precedence asks, when it is a bare generator expression (a
    call's only argument), or when it would glue to its neighbours."""
    if not replacement.lpar and isinstance(replacement, cst.GeneratorExp):
        return parenthesized(replacement)
    parent = facts.parent(original)
    if parent is not None:
        replacement = fit(replacement, parent, original)
    if not replacement.lpar and would_glue(facts, original, replacement):
        return parenthesized(replacement)
    return replacement


def bracketed_for(node: cst.BaseExpression, level: int) -> cst.BaseExpression:
    """``node`` with brackets when it binds looser than ``level`` (or is a bare generator)."""
    if node.lpar:
        return node
    if isinstance(node, cst.GeneratorExp) or precedence(node) < level:
        return parenthesized(node)
    return node
