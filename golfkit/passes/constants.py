"""Constant propagation and folding: names bound once to a constant, constant arithmetic, and
numbers in their shortest spelling.

Sites, in source order:
- a *name*: ``n = 16`` bound exactly once, unconditionally, at the top of a module or function
  body; every read of it becomes the literal and the binding goes. Proposed only when that is
  shorter once names are one character long (the rename pass runs later).
- a *fold*: a maximal constant expression (``16 // 4``, ``head_size**0.5`` with a constant name)
  or a number literal, replaced by the shortest literal of exactly the same value and type.
- a *placeholder*: an f-string field whose value is a constant (``f"layer{0}.wq"``,
  ``f"{1000:4d}"``) becomes its formatted text; an f-string left without fields becomes a plain
  string. A propagated name read as a whole field is formatted the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from golfkit.analysis import (
    BINARY_SYMBOLS,
    NOT_CONSTANT,
    ProgramFacts,
    StatementRemover,
    code,
    fit,
    parens_needed,
    spell,
)
from golfkit.analysis.syntax import binds_any, find_nodes
from golfkit.passes.base import Pass, PassContext, Safety, Site
from golfkit.analysis.patterns import captured_names, class_pattern_keywords, mentions_captured

# Values whose identity Python guarantees, so ``is`` cannot tell a literal from the name.
_SMALL_INTS = range(-5, 257)


@dataclass
class _Name:
    """Propagating one constant name: its binding and every read."""

    assignment: object
    statement: cst.Assign
    value: object
    uses: list[cst.Name]
    position: tuple[int, int]

    @property
    def key(self) -> str:
        return f"propagate {self.assignment.name} = {spell(self.value).text}"


@dataclass
class _Fold:
    node: cst.BaseExpression
    replacement: cst.BaseExpression
    position: tuple[int, int]

    @property
    def key(self) -> str:
        return f"fold {code(self.node)}"


@dataclass
class _Plan:
    names: list[_Name] = field(default_factory=list)
    folds: list[_Fold] = field(default_factory=list)


class ConstantsPass(Pass):
    name = "constants"
    description = "Propagate names bound once to a constant, fold constant arithmetic, spell numbers shortest."
    safety = Safety.SAFE
    safety_statement = (
        "A name is propagated only when it has exactly one binding, made by an unconditional "
        "statement at the top of its module or function body, to a constant, and that binding "
        "dominates every read (so the read could only see that value); no eval/exec/globals(), "
        "walrus, del or global/nonlocal rebinding may touch it. Folding computes the value with "
        "Python's own arithmetic on ints, floats and strings only (never user __add__ & co.), "
        "refuses anything that raises, overflows or grows past a size cap, and writes a literal "
        "that round-trips to the identical value and type, parenthesized by precedence."
    )

    example = (
        "size = 16\n"
        "def area(side):\n"
        "    return side * side + size // 4\n"
        "print(area(3), f\"{size:4d}\", 1000000)\n",
        "def area(side):\n"
        "    return side * side + 4\n"
        "print(area(3), \"  16\", 10**6)\n",
    )

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        plan = _plan(facts)
        found = sorted(
            [(site.position, "name", site) for site in plan.names if not binds_any(site.statement, context.kept_names)]
            + [(site.position, "fold", site) for site in plan.folds],
            key=lambda entry: (entry[0], entry[1]),
        )
        return [Site(site, site.key) for _, _, site in found]

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        names = [site.target for site in sites if isinstance(site.target, _Name)]
        folds = [site.target for site in sites if isinstance(site.target, _Fold)]
        return facts.module.visit(_Rewriter(facts, names, folds)).code


# ---------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------


def _plan(facts: ProgramFacts) -> _Plan:
    plan = _Plan()
    finder = _FoldFinder(facts)
    facts.walk(finder)
    plan.folds = finder.folds
    inside_fold = set()
    for fold in plan.folds:
        inside_fold |= set(find_nodes(fold.node, cst.Name))

    # A name a match pattern binds has bindings libcst does not see: it is no constant.
    captured = captured_names(facts)
    constants = [(a, v) for a, v in facts.constants.items() if a.name not in captured]
    candidates = [c for c in (_name_candidate(facts, a, v) for a, v in constants) if c]
    # Later bindings may read earlier constants: decide them first, so that reads inside a binding
    # that goes away no longer count for the earlier name.
    candidates.sort(key=lambda c: c.position, reverse=True)
    dropped_values: set = set()
    for candidate in candidates:
        remaining = [u for u in candidate.uses if u not in inside_fold and u not in dropped_values]
        if _worth_propagating(facts, candidate, remaining):
            plan.names.append(candidate)
            dropped_values |= set(find_nodes(candidate.statement.value, cst.Name))
    plan.names.sort(key=lambda c: c.position)
    return plan


def _name_candidate(facts: ProgramFacts, assignment, value) -> _Name | None:
    statement = facts.single_name_assignment(assignment)
    keywords = class_pattern_keywords(facts)
    uses = []
    for access in assignment.references:
        node = access.node
        if node in keywords:
            continue  # ``case C(name=...)`` names an attribute: no read of the variable
        if not isinstance(node, cst.Name) or access.is_annotation or not _literal_fits_use(facts, node, value):
            return None
        uses.append(node)
    if statement is None or not uses or spell(value) is None:
        return None
    if facts.identity_sensitive and not (value is None or isinstance(value, bool) or (type(value) is int and value in _SMALL_INTS)):
        return None
    position = facts.positions[statement]
    return _Name(assignment, statement, value, uses, (position.start.line, position.start.column))


def _literal_fits_use(facts: ProgramFacts, use: cst.Name, value) -> bool:
    """The literal may stand where ``use`` is: the binding dominates it, and no f-string debug
    field (``{x=}`` prints the name) or quote clash gets in the way."""
    if not facts.definitely_bound(use):
        return False
    if not (value is None or isinstance(value, bool) or value is Ellipsis) and _is_identity_operand(facts, use):
        return False  # ``1 is None`` compiles with a SyntaxWarning on stderr
    for ancestor in facts.ancestors(use):
        if isinstance(ancestor, cst.FormattedStringExpression) and ancestor.equal is not None:
            return False
        if isinstance(ancestor, cst.FormattedString) and isinstance(value, (str, bytes)):
            # A string read as a whole field becomes text; anywhere else in an f-string its
            # quotes could clash with the f-string's own.
            field = facts.parent(use)
            return isinstance(field, cst.FormattedStringExpression) and formatted_text(value, field) is not None
        if isinstance(ancestor, cst.BaseStatement):
            break
    return True


def formatted_text(value, field: cst.FormattedStringExpression) -> str | None:
    """The text ``field`` renders for the constant ``value``, escaped for any f-string; None when
    that cannot be proven (nested or escaped format specs, text that would need quoting)."""
    if value is NOT_CONSTANT or type(value) not in (int, float, str, bool, type(None)):
        return None
    spec = ""
    for part in field.format_spec or ():
        if not isinstance(part, cst.FormattedStringText) or any(c in part.value for c in "\\{}"):
            return None
        spec += part.value
    conversions = {None: lambda v: v, "r": repr, "s": str, "a": ascii}
    if field.conversion not in conversions:
        return None
    try:
        text = format(conversions[field.conversion](value), spec)
    except (ValueError, TypeError, OverflowError):
        return None  # the original raises: leave it to raise
    if len(text) > 100 or not text.isprintable() or any(c in text for c in "\\'\""):
        return None
    return text.replace("{", "{{").replace("}", "}}")


def _is_identity_operand(facts: ProgramFacts, use: cst.Name) -> bool:
    parent = facts.parent(use)
    if isinstance(parent, cst.ComparisonTarget):
        parent = facts.parent(parent)
    return isinstance(parent, cst.Comparison) and any(
        isinstance(target.operator, (cst.Is, cst.IsNot)) for target in parent.comparisons
    )


def _worth_propagating(facts: ProgramFacts, candidate: _Name, remaining: list[cst.Name]) -> bool:
    """Compare ``uses * len(literal)`` with keeping ``x=literal`` and one-character reads."""
    spelling = spell(candidate.value)
    numeric = isinstance(candidate.value, (int, float))
    propagated = 0
    for use in remaining:
        field = facts.parent(use)
        if isinstance(field, cst.FormattedStringExpression) and field.equal is None:
            text = formatted_text(candidate.value, field)
            if text is not None:  # ``{n}`` turns into its text
                propagated += len(text) - len(code(field)) + 1
                continue
        extra = 2 if parens_needed(spelling.precedence, field, use, numeric) else 0
        propagated += len(spelling.text) + extra
    # Kept, the binding keeps its own spelling, or the shortest one where a fold gives that.
    kept_value = min(len(spelling.text), len(code(candidate.statement.value)))
    kept = len("x=") + kept_value + 1 + len(remaining)
    return propagated <= kept


class _FoldFinder(cst.CSTVisitor):
    """Maximal constant expressions and number literals whose shortest spelling is shorter."""

    def __init__(self, facts: ProgramFacts):
        super().__init__()
        self.facts = facts
        self.folds: list[_Fold] = []

    def visit_FormattedStringExpression(self, node):
        if node.equal is not None:
            return False  # ``{x=}`` prints its own source text
        if mentions_captured(self.facts, node.expression):
            return True  # a name a match pattern may rebind: its value is not known
        text = formatted_text(self.facts.const_value(node.expression), node)
        if text is None:
            return True
        position = self.facts.positions[node].start
        self.folds.append(_Fold(node, cst.FormattedStringText(text), (position.line, position.column)))
        return False

    def visit_Comparison(self, node):
        # ``x is 1000``: a literal's identity is not the name's; leave identity tests alone.
        return not any(isinstance(t.operator, (cst.Is, cst.IsNot)) for t in node.comparisons)

    def visit_Annotation(self, node):
        return False

    def on_visit(self, node):
        if isinstance(node, (cst.BinaryOperation, cst.UnaryOperation, cst.Integer, cst.Float)):
            if self._consider(node):
                return False
        return super().on_visit(node)

    def _consider(self, node: cst.BaseExpression) -> bool:
        """Record a fold for ``node`` when worth it; True when the subtree is fully handled."""
        facts = self.facts
        if mentions_captured(facts, node):
            return False  # a name a match pattern may rebind; its literal parts may still fold
        value = facts.const_value(node)
        if value is NOT_CONSTANT or isinstance(value, (str, bytes)) and self._in_fstring(node):
            return False
        spelling = spell(value)
        if spelling is None:
            return False
        parent = facts.parent(node)
        numeric = isinstance(value, (int, float))
        new_length = len(spelling.text) + (2 if parens_needed(spelling.precedence, parent, node, numeric) else 0)
        if isinstance(node, (cst.Integer, cst.Float)):
            old_length = len(code(node))
        else:
            old_length = _golf_length(facts, node)
        if new_length > old_length or new_length == old_length and isinstance(node, (cst.Integer, cst.Float)):
            return False  # keep looking inside: a smaller part may still be worth folding
        if spelling.text == "".join(code(node).split()):
            return True  # already spelled that way
        replacement = fit(spelling.node(), parent, node)
        position = facts.positions[node].start
        self.folds.append(_Fold(node, replacement, (position.line, position.column)))
        return True

    def _in_fstring(self, node) -> bool:
        return any(isinstance(a, cst.FormattedString) for a in self.facts.ancestors(node))


def _golf_length(facts: ProgramFacts, node: cst.BaseExpression) -> int:
    """Length of a constant expression written tightly, every name counted as one character."""
    parens = 2 * len(getattr(node, "lpar", ()))
    if isinstance(node, (cst.Integer, cst.Float)):
        return parens + len(spell(facts.const_value(node)).text)
    if isinstance(node, cst.Name):
        return parens + (len(node.value) if node.value in ("True", "False", "None") else 1)
    if isinstance(node, cst.UnaryOperation):
        symbol = "not " if isinstance(node.operator, cst.Not) else "-"
        return parens + len(symbol) + _golf_length(facts, node.expression)
    if isinstance(node, cst.BinaryOperation):
        symbol = BINARY_SYMBOLS[type(node.operator)]
        return parens + _golf_length(facts, node.left) + len(symbol) + _golf_length(facts, node.right)
    return parens + len(code(node))


# ---------------------------------------------------------------------------------------------
# Rewriting
# ---------------------------------------------------------------------------------------------


class _Rewriter(StatementRemover):
    """Replaces reads of propagated names and folded expressions; drops propagated bindings."""

    def __init__(self, facts: ProgramFacts, names: list[_Name], folds: list[_Fold]):
        super().__init__({site.statement for site in names})
        self.facts = facts
        self.folds = {fold.node: fold.replacement for fold in folds}
        self.reads = {}
        for site in names:
            literal = spell(site.value).node()
            for use in site.uses:
                field = facts.parent(use)
                text = formatted_text(site.value, field) if isinstance(field, cst.FormattedStringExpression) else None
                if text is not None and field.equal is None:
                    self.folds[field] = cst.FormattedStringText(text)
                else:
                    self.reads[use] = fit(literal, facts.parent(use), use)
        self.changed_fstrings: set[cst.FormattedString] = {
            ancestor for field in self.folds if isinstance(field, cst.FormattedStringExpression)
            for ancestor in [facts.parent(field)] if isinstance(ancestor, cst.FormattedString)
        }

    def on_leave(self, original, updated):
        if original in self.folds:
            return self.folds[original]
        if original in self.reads:
            return self.reads[original]
        if original in self.changed_fstrings:
            return _without_fields(updated)
        return super().on_leave(original, updated)


def _without_fields(fstring: cst.FormattedString) -> cst.BaseExpression:
    """Merge adjacent texts; an f-string with no field left is a plain string."""
    parts: list[cst.BaseFormattedStringContent] = []
    for part in fstring.parts:
        if parts and isinstance(part, cst.FormattedStringText) and isinstance(parts[-1], cst.FormattedStringText):
            parts[-1] = cst.FormattedStringText(parts[-1].value + part.value)
        else:
            parts.append(part)
    if any(not isinstance(part, cst.FormattedStringText) for part in parts):
        return fstring.with_changes(parts=parts)
    text = "".join(part.value for part in parts).replace("{{", "{").replace("}}", "}")
    prefix = fstring.start[:-1].replace("f", "").replace("F", "")
    quote = fstring.start[len(fstring.start) - 1:]
    if fstring.start.endswith(('"""', "\'\'\'")):
        prefix, quote = fstring.start[:-3].replace("f", "").replace("F", ""), fstring.start[-3:]
    return cst.SimpleString(prefix + quote + text + quote, lpar=fstring.lpar, rpar=fstring.rpar)
