"""Unroll loops and comprehension clauses that provably iterate exactly once.

Sites, in source order:
- a *loop*: ``for TARGET in ITER: BODY`` (not async) where ITER is the builtin ``range`` called
  with int literals giving one value (``range(1)``, ``range(3, 4)``) or a one-element list or tuple
  display (``[e]``, ``(e,)``). It becomes ``TARGET = VALUE`` followed by BODY and then the ``else``
  body, at the loop's own block level. No ``break``/``continue`` of the loop may occur in BODY.
- a *clause*: ``for x in range(<one value>)`` (not async, no ``if``) in a comprehension. Every read
  of ``x`` becomes the literal value and the clause goes; when it was the only clause of a list,
  set or dict comprehension, the comprehension becomes the display ``[e]``, ``{e}``, ``{k: v}``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ClassScope

from golfkit.analysis import (
    COMPREHENSIONS,
    ProgramFacts,
    code,
    exits_loop,
    fit,
    int_literal,
)
from golfkit.analysis.syntax import find_nodes
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import captured_names, mentions_captured

# Ints that are the same object wherever they come from, so a literal cannot be told apart by ``is``.
_SMALL_INTS = range(-5, 257)


@dataclass
class _Loop:
    node: cst.For
    value: cst.BaseExpression | None  # the single range value; None for a one-element display


@dataclass
class _Clause:
    node: cst.CompFor
    comprehension: cst.CSTNode
    value: int
    reads: list[cst.Name]


@dataclass
class _Plan:
    loops: dict = field(default_factory=dict)  # original For -> _Loop
    clauses: dict = field(default_factory=dict)  # original CompFor -> _Clause


class UnrollPass(Pass):
    name = "unroll"
    description = "Unroll for loops and comprehension clauses that run exactly once (range(1), [e])."
    safety = Safety.SAFE
    safety_statement = (
        "A loop over a one-element display or over the builtin range with literal arguments of "
        "length one runs its body exactly once with the target bound to that value, and with no "
        "break in the body its else clause always follows: the same as binding the target and "
        "running both bodies in sequence. range counts as builtin only when no scope of the program "
        "binds the name and nothing reaches builtins or names by string. A comprehension clause "
        "over such a range binds one constant, so its reads may be the literal; dropping it keeps "
        "the evaluation of everything else, except that the next clause's iterable moves to the "
        "enclosing scope (allowed only outside class bodies, for list/set/dict comprehensions, "
        "when it reads no comprehension variable) and a lone element is evaluated in the enclosing "
        "scope (allowed only outside class bodies and without walrus, yield, await or super)."
    )

    example = (
        "for step in range(1):\n"
        "    print(step)\n"
        "print([n * n for n in range(3, 4)])\n",
        "step = 0\n"
        "print(step)\n"
        "print([3 * 3])\n",
    )

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        found = _SiteFinder(facts).sites()
        return [Site(site, key) for _, key, site in sorted(found, key=lambda entry: entry[0])]

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        plan = _Plan()
        for site in sites:
            if isinstance(site.target, _Loop):
                plan.loops[site.target.node] = site.target
            else:
                plan.clauses[site.target.node] = site.target
        result = facts.module.visit(_Rewriter(facts, plan)).code
        if not _compiles(result) and _compiles(facts.module.code):
            raise Skip("the unrolled program does not compile")
        return result


def _compiles(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<unroll>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Finding sites
# ---------------------------------------------------------------------------------------------


def _int_value(facts: ProgramFacts, expr: cst.BaseExpression) -> int | None:
    """An int literal, or a constant int expression whose names are bound once to constants and
    definitely bound here (``range(num_layers)``): the range's argument is never evaluated after
    unrolling, so it must not be able to raise."""
    literal = int_literal(expr)
    if literal is not None:
        return literal
    if mentions_captured(facts, expr):
        return None  # a name a match pattern may rebind: libcst's constant is not the one read
    value = facts.const_value(expr)
    if type(value) is not int:
        return None
    names = [node for node in _all_names(expr)]
    return value if all(facts.definitely_bound(name) for name in names) else None


def _all_names(expr: cst.BaseExpression) -> list[cst.Name]:
    found: list[cst.Name] = []

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.append(node)

    expr.visit(_Collect())
    return found


def _single_range_value(facts: ProgramFacts, expr: cst.BaseExpression, range_ok: bool) -> int | None:
    """The one value of ``range(<constant ints>)`` when it has exactly one, else None."""
    if not range_ok or not isinstance(expr, cst.Call):
        return None
    func = expr.func
    if not (isinstance(func, cst.Name) and func.value == "range" and facts.is_builtin_read(func)):
        return None
    if not 1 <= len(expr.args) <= 3 or any(arg.keyword is not None or arg.star for arg in expr.args):
        return None
    values = [_int_value(facts, arg.value) for arg in expr.args]
    if any(value is None for value in values):
        return None
    try:
        span = range(*values)
    except ValueError:  # a zero step raises at run time: leave it to raise
        return None
    return span[0] if len(span) == 1 else None


def _int_node(value: int) -> cst.BaseExpression:
    if value < 0:
        return cst.UnaryOperation(operator=cst.Minus(), expression=cst.Integer(str(-value)))
    return cst.Integer(str(value))


def _clauses(comprehension) -> list[cst.CompFor]:
    found, clause = [], comprehension.for_in
    while clause is not None:
        found.append(clause)
        clause = clause.inner_for_in
    return found


def _elements(comprehension) -> list[cst.BaseExpression]:
    if isinstance(comprehension, cst.DictComp):
        return [comprehension.key, comprehension.value]
    return [comprehension.elt]


class _SiteFinder:
    def __init__(self, facts: ProgramFacts):
        self.facts = facts
        self.range_ok = facts.builtin_fixed("range") and "range" not in captured_names(facts)
        self.found: list[tuple[tuple[int, int], str, _Loop | _Clause]] = []

    def sites(self) -> list[tuple[tuple[int, int], str, _Loop | _Clause]]:
        for loop in self.facts.nodes(cst.For):
            self._loop(loop)
        for comprehension in self.facts.nodes(*COMPREHENSIONS):
            self._comprehension(comprehension)
        return self.found

    def _add(self, node, key: str, site):
        start = self.facts.positions[node].start
        self.found.append(((start.line, start.column), key, site))

    def _loop(self, node: cst.For):
        if node.asynchronous is not None or exits_loop(node.body):
            return
        if not isinstance(self.facts.parent(node), (cst.Module, cst.IndentedBlock)):
            return
        key = f"loop for {code(node.target)} in {code(node.iter)}"
        value = _single_range_value(self.facts, node.iter, self.range_ok)
        if value is not None:
            if self.facts.identity_sensitive and value not in _SMALL_INTS:
                return  # a literal may be the very object another literal of the code is
            self._add(node, key, _Loop(node, _int_node(value)))
        elif _one_element(node.iter):
            self._add(node, key, _Loop(node, None))

    def _comprehension(self, comprehension):
        facts = self.facts
        clauses = _clauses(comprehension)
        eligible = [_eligible_clause(facts, comprehension, clause, self.range_ok) for clause in clauses]
        for index, (clause, site) in enumerate(zip(clauses, eligible)):
            if site is None:
                continue
            if index == 0 and not _first_clause_may_go(facts, comprehension, clauses, eligible):
                continue
            self._add(clause, f"clause for {code(clause.target)} in {code(clause.iter)}", site)


def _one_element(expr: cst.BaseExpression) -> bool:
    return (
        isinstance(expr, (cst.List, cst.Tuple))
        and len(expr.elements) == 1
        and isinstance(expr.elements[0], cst.Element)
    )


def _eligible_clause(facts: ProgramFacts, comprehension, clause: cst.CompFor, range_ok: bool) -> _Clause | None:
    """The clause binds a Name once to one constant, and every read of it may be that literal."""
    if clause.asynchronous is not None or clause.ifs or not isinstance(clause.target, cst.Name):
        return None
    value = _single_range_value(facts, clause.iter, range_ok)
    if value is None:
        return None
    name = clause.target.value
    scope = facts.scopes.get(clause.target)
    if scope is None or name in facts.walrus_names:
        return None
    assignments = list(scope.assignments[name])
    if len(assignments) != 1 or assignments[0].node is not clause.target:
        return None
    # Reads must come after the binding: in a later clause or in the element.
    later = {*_elements(comprehension)}
    if clause.inner_for_in is not None:
        later.add(clause.inner_for_in)
    reads = []
    for access in assignments[0].references:
        read = access.node
        if not isinstance(read, cst.Name) or access.is_annotation:
            return None
        if not any(ancestor in later for ancestor in facts.ancestors(read)) and read not in later:
            return None
        if not _literal_fits(facts, read, value):
            return None
        reads.append(read)
    removed = len(code(clause.with_changes(inner_for_in=None)))
    added = sum(len(code(_replacement(facts, read, value))) - len(code(read)) for read in reads)
    if added > removed:
        return None
    return _Clause(clause, comprehension, value, reads)


def _literal_fits(facts: ProgramFacts, read: cst.Name, value: int) -> bool:
    """The literal may stand where ``read`` is: no ``{x=}`` field prints the name and no
    identity test could tell the literal from the object range made."""
    if facts.identity_sensitive and value not in _SMALL_INTS:
        return False
    parent = facts.parent(read)
    if isinstance(parent, cst.ComparisonTarget):
        parent = facts.parent(parent)
    if isinstance(parent, cst.Comparison) and any(
        isinstance(target.operator, (cst.Is, cst.IsNot)) for target in parent.comparisons
    ):
        return False  # ``0 is x`` compiles with a SyntaxWarning
    for ancestor in facts.ancestors(read):
        if isinstance(ancestor, cst.FormattedStringExpression) and ancestor.equal is not None:
            return False
        if isinstance(ancestor, cst.BaseStatement):
            break
    return True


def _replacement(facts: ProgramFacts, read: cst.Name, value: int) -> cst.BaseExpression:
    literal = _int_node(value)
    if read.lpar:
        return literal.with_changes(lpar=read.lpar, rpar=read.rpar)
    return fit(literal, facts.parent(read), read)


def _first_clause_may_go(facts: ProgramFacts, comprehension, clauses: list, eligible: list) -> bool:
    """Dropping the first clause moves the next kept clause's iterable (or, with no clause left,
    the element) out to the enclosing scope, and evaluates it eagerly."""
    if isinstance(comprehension, cst.GeneratorExp):
        return False  # a generator's inner iterables are evaluated lazily
    if isinstance(facts.scopes.get(comprehension), ClassScope):
        return False  # class-level names are invisible inside the comprehension only
    own_scope = facts.scopes.get(clauses[0].target)
    dropped = set()
    for clause, site in zip(clauses, eligible):
        if not _liftable(facts, clause.iter, own_scope, dropped):
            return False
        if site is None:
            return True  # this clause stays first whatever else goes
        dropped.add(clause.target)
    return _display_ok(comprehension)


def _liftable(facts: ProgramFacts, expr: cst.BaseExpression, own_scope, dropped: set) -> bool:
    """``expr`` means the same in the enclosing scope: it reads no comprehension variable other
    than those of dropped clauses (which become literals) and awaits nothing."""
    if find_nodes(expr, cst.Await, cst.Yield):
        return False
    for name in find_nodes(expr, cst.Name):
        for referent in facts.referents(name) or ():
            if referent.scope is own_scope and referent.node not in dropped:
                return False
    return True


def _display_ok(comprehension) -> bool:
    if isinstance(comprehension, cst.GeneratorExp):
        return False
    for element in _elements(comprehension):
        if find_nodes(element, cst.NamedExpr, cst.Yield, cst.Await, names=("super", "__class__")):
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Rewriting
# ---------------------------------------------------------------------------------------------


class _Rewriter(cst.CSTTransformer):
    def __init__(self, facts: ProgramFacts, plan: _Plan):
        super().__init__()
        self.plan = plan
        self.reads = {}
        for clause in plan.clauses.values():
            for read in clause.reads:
                self.reads[read] = _replacement(facts, read, clause.value)

    def on_leave(self, original, updated):
        if original in self.reads:
            return self.reads[original]
        if isinstance(original, COMPREHENSIONS) and any(c in self.plan.clauses for c in _clauses(original)):
            return self._comprehension(original, updated)
        if isinstance(original, (cst.IndentedBlock, cst.Module)) and any(s in self.plan.loops for s in original.body):
            body, trailing = self._block(original, updated)
            return updated.with_changes(body=body, footer=[*trailing, *updated.footer])
        return super().on_leave(original, updated)

    # --- comprehensions ----------------------------------------------------------------------------

    def _comprehension(self, original, updated):
        kept = [new for old, new in zip(_clauses(original), _clauses(updated)) if old not in self.plan.clauses]
        if not kept:
            return _display(updated)
        chain = None
        for clause in reversed(kept):
            chain = clause.with_changes(inner_for_in=chain)
        chain = chain.with_changes(whitespace_before=updated.for_in.whitespace_before)
        return updated.with_changes(for_in=chain)

    # --- loops -------------------------------------------------------------------------------------

    def _block(self, original, updated):
        """The block's statements with unrolled loops spread out; comments that ended a loop's
        body go before the next statement, or are returned when nothing follows."""
        body, carried = [], []
        for old, new in zip(original.body, updated.body):
            if old in self.plan.loops:
                statements, trailing = _unrolled(new, self.plan.loops[old])
            else:
                statements, trailing = [new], []
            if carried:
                first = statements[0]
                statements[0] = first.with_changes(leading_lines=[*carried, *first.leading_lines])
            body += statements
            carried = trailing
        return body, carried


def _display(comprehension) -> cst.BaseExpression:
    parens = {"lpar": comprehension.lpar, "rpar": comprehension.rpar}
    if isinstance(comprehension, cst.ListComp):
        return cst.List(
            elements=[cst.Element(comprehension.elt)],
            lbracket=comprehension.lbracket,
            rbracket=comprehension.rbracket,
            **parens,
        )
    if isinstance(comprehension, cst.SetComp):
        return cst.Set(
            elements=[cst.Element(comprehension.elt)],
            lbrace=comprehension.lbrace,
            rbrace=comprehension.rbrace,
            **parens,
        )
    element = cst.DictElement(
        comprehension.key,
        comprehension.value,
        whitespace_before_colon=comprehension.whitespace_before_colon,
        whitespace_after_colon=comprehension.whitespace_after_colon,
    )
    return cst.Dict(elements=[element], lbrace=comprehension.lbrace, rbrace=comprehension.rbrace, **parens)


def _assigned_value(loop: cst.For, site: _Loop) -> cst.BaseExpression:
    if site.value is not None:
        return site.value
    value = loop.iter.elements[0].value
    if getattr(value, "lpar", None):
        return value
    # Outside the brackets a walrus needs its own parentheses, and so does a line break.
    if isinstance(value, cst.NamedExpr) or "\n" in code(value):
        return value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return value


def _unrolled(loop: cst.For, site: _Loop) -> tuple[list[cst.BaseStatement], list[cst.EmptyLine]]:
    """``TARGET = VALUE``, the body and the else body, plus the comment lines left at the end."""
    assign = cst.Assign(targets=[cst.AssignTarget(loop.target)], value=_assigned_value(loop, site))
    body = loop.body
    if isinstance(body, cst.SimpleStatementSuite):
        statements = [
            cst.SimpleStatementLine(
                body=[assign, *body.body],
                leading_lines=loop.leading_lines,
                trailing_whitespace=body.trailing_whitespace,
            )
        ]
        trailing = []
    else:
        head = cst.SimpleStatementLine(body=[assign], leading_lines=loop.leading_lines, trailing_whitespace=body.header)
        statements = [head, *body.body]
        trailing = list(body.footer)
    if loop.orelse is not None:
        lines = [*trailing, *loop.orelse.leading_lines]
        suite = loop.orelse.body
        if isinstance(suite, cst.SimpleStatementSuite):
            more = [cst.SimpleStatementLine(body=suite.body, trailing_whitespace=suite.trailing_whitespace)]
            trailing = []
        else:
            if suite.header.comment is not None:
                lines.append(cst.EmptyLine(comment=suite.header.comment))
            more = list(suite.body)
            trailing = list(suite.footer)
        more[0] = more[0].with_changes(leading_lines=[*lines, *more[0].leading_lines])
        statements += more
    return statements, trailing
