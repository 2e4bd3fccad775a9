"""Deletions: a statement, a call argument, a keyword argument, a parameter default, a pair of
redundant-looking parentheses.

Whatever goes is text the packed file no longer carries. Passes delete only what they can prove
dead; here the run is the proof, so code that merely looks needed (a default always overridden, a
statement whose effect nothing shows, an argument equal to the default) can go too.
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from golfkit.analysis import code, fit
from golfkit.passes.base import Site
from golfkit.search.mutations.base import (
    RUN_DECIDES,
    Mutation,
    Spot,
    on_one_line,
    statement_key,
    statement_units,
    would_glue,
)

# Expression nodes that may carry their own parentheses.
PARENTHESIZED = (
    cst.Name, cst.Attribute, cst.Subscript, cst.Call, cst.BinaryOperation, cst.BooleanOperation,
    cst.UnaryOperation, cst.Comparison, cst.IfExp, cst.Lambda, cst.NamedExpr, cst.Tuple, cst.List,
    cst.Set, cst.Dict, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.Integer,
    cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,
    cst.Await, cst.Yield, cst.Ellipsis,
)


class DeleteStatement(Mutation):
    """Delete one statement: a compound statement whole, or one small statement of a line.

    A statement whose effect the output does not show is dead weight the passes could not prove
    dead (an assignment read only by code that never runs, a call kept for an effect nobody sees).
    A body is never emptied: a statement alone in its body is no site, and of a batch that would
    empty a body the last such site is skipped. Comments above a deleted statement go with it.
    """

    name = "delete-statement"
    description = "delete one statement (never the last of its body)"
    safety_statement = (
        f"{RUN_DECIDES}: the statement may have had an effect the output shows (a binding read "
        "later, a call that prints or mutates); only the verified run tells."
    )
    example = ("x = 1\ny = 2\nprint(x)\n", "x = 1\nprint(x)\n")

    def candidates(self, facts, context):
        sites = []
        for body in facts.nodes(cst.Module, cst.IndentedBlock, cst.SimpleStatementSuite):
            units = statement_units(body)
            if len(units) < 2:
                continue
            for unit in units:
                holder = facts.parent(unit)
                if isinstance(unit, cst.BaseSmallStatement) and len(holder.body) > 1:
                    # One of several on a line (or a one-line body): the line is rebuilt.
                    spot = Spot(holder, (unit,), (body, len(units), unit))
                else:
                    whole = holder if isinstance(unit, cst.BaseSmallStatement) else unit
                    spot = Spot(whole, (unit,), (body, len(units), None))
                sites.append(Site(spot, "del " + statement_key(unit)))
        return sites

    def compatible(self, facts, sites):
        taken: Counter = Counter()
        kept = []
        for site in super().compatible(facts, sites):
            body, total, _ = site.target.detail
            if taken[body] + 1 == total:
                continue  # it would empty its body
            taken[body] += 1
            kept.append(site)
        return kept

    def rebuild(self, facts, original, updated, details):
        removed = {unit for _, _, unit in details}
        if None in removed:
            return cst.RemovalSentinel.REMOVE
        kept = [new for old, new in zip(original.body, updated.body) if old not in removed]
        if not kept:
            return cst.RemovalSentinel.REMOVE  # every statement of a line: the line goes
        return updated.with_changes(body=on_one_line(kept))


def _argument_sites(facts, keyword: bool) -> list[Site]:
    sites = []
    for call in facts.nodes(cst.Call):
        for index, argument in enumerate(call.args):
            if (argument.keyword is not None or argument.star == "**") != keyword:
                continue
            text = code(argument.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()
            # Named by the callee and the argument: the other arguments may go first.
            sites.append(Site(Spot(call, (argument,), index), f"{code(call.func)}: - {text}"))
    return sites


def _without_arguments(call: cst.Call, indices: list[int]) -> cst.Call:
    """``call`` without the arguments at ``indices``; the last one left takes the old last comma
    (none, or a trailing one)."""
    gone = set(indices)
    arguments = [argument for index, argument in enumerate(call.args) if index not in gone]
    if arguments:
        arguments[-1] = arguments[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(args=arguments)


class DeleteArgument(Mutation):
    """Delete one positional argument of a call (``*args`` included).

    An argument equal to the parameter's default, or one the callee ignores, is text for nothing;
    the call may then mean something else entirely (the next argument moves up), and the run
    says whether that still gives the same output.
    """

    name = "delete-argument"
    description = "delete one positional argument of a call"
    safety_statement = (
        f"{RUN_DECIDES}: the callee may need the argument, or later arguments shift into its "
        "place; only the verified run tells."
    )
    example = ("print(max(3, 1))\n", "print(max(3))\n")

    def candidates(self, facts, context):
        return _argument_sites(facts, keyword=False)

    def rebuild(self, facts, original, updated, details):
        return _without_arguments(updated, details)


class DeleteKeyword(Mutation):
    """Delete one keyword argument of a call (``**kwargs`` included).

    A keyword that restates the callee's default (``sep=" "``, ``key=None``) is pure overhead.
    """

    name = "delete-keyword"
    description = "delete one keyword argument of a call"
    safety_statement = (
        f"{RUN_DECIDES}: the keyword may differ from the callee's default; only the verified "
        "run tells."
    )
    example = ("print(1, 2, sep=' ')\n", "print(1, 2)\n")

    def candidates(self, facts, context):
        return _argument_sites(facts, keyword=True)

    def rebuild(self, facts, original, updated, details):
        return _without_arguments(updated, details)


class DeleteDefault(Mutation):
    """Delete one parameter's default value (``def f(a, b=2)`` -> ``def f(a, b)``).

    A default every call overrides is never used; deleting it saves its text. Only sites whose
    mutant compiles are offered: a positional parameter after one with a default keeps its own.
    """

    name = "delete-default"
    description = "delete one parameter's default value"
    safety_statement = (
        f"{RUN_DECIDES}: a call that relied on the default now fails or gets another value; only "
        "the verified run tells."
    )
    example = ("def f(a, b=2):\n    return a + b\nprint(f(1, 3))\n",
               "def f(a, b):\n    return a + b\nprint(f(1, 3))\n")

    def candidates(self, facts, context):
        sites = []
        for param in facts.nodes(cst.Param):
            if param.default is None:
                continue
            owner = facts.parent(facts.parent(param))
            where = owner.name.value if isinstance(owner, cst.FunctionDef) else "lambda"
            text = code(param.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()
            sites.append(Site(Spot(param, (param,)), f"{where}({text})"))
        return sites

    def rebuild(self, facts, original, updated, details):
        return updated.with_changes(default=None, equal=cst.MaybeSentinel.DEFAULT)


class DropParentheses(Mutation):
    """Drop one pair of parentheses that the precedence of their place does not seem to need.

    Golfed code keeps parentheses that earlier rewrites put in to be safe; each pair costs two
    characters. Pairs that would glue two words together (``return(x)``) are no sites, nor are
    pairs the precedence of their slot needs (``(a+b)*c``).
    """

    name = "drop-parentheses"
    description = "drop a redundant-looking pair of parentheses"
    safety_statement = (
        f"{RUN_DECIDES}: a pair may group more than it seems (a tuple, a generator, a line "
        "break); only sites that compile are offered and the verified run tells the rest."
    )
    example = ("x = (1 + 2)\nprint(x)\n", "x = 1 + 2\nprint(x)\n")

    def candidates(self, facts, context):
        sites = []
        for node in facts.nodes(*PARENTHESIZED):
            if not node.lpar:
                continue
            try:
                bare = _without_outer_pair(node)
            except cst.CSTValidationError:
                continue  # ``()``: the empty tuple is its brackets
            parent = facts.parent(node)
            if not bare.lpar and (parent is None or fit(bare, parent, node) is not bare):
                continue  # the slot's precedence needs the pair
            if would_glue(facts, node, bare):
                continue
            sites.append(Site(Spot(node, (node,)), code(node)))
        return sites

    def rebuild(self, facts, original, updated, details):
        return _without_outer_pair(updated)


def _without_outer_pair(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=node.lpar[1:], rpar=node.rpar[:-1])
