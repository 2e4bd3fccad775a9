"""Golf spellings: shorter numbers, displays for ``list``/``tuple``/``set`` calls, ``+=`` for
``append``.

Each writes the same intent in fewer characters, but only for some values: ``1e3`` is a float
where ``1000`` was an int, ``[*x]`` needs ``list`` to be the builtin, ``x+=v,`` needs ``x`` to be a
list. The constants pass spells exact values only; these go further and let the run decide.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import LAMBDA, BITOR, code, shortest_float, shortest_integer, spell
from golfkit.passes.base import Site
from golfkit.search.mutations.base import (
    RUN_DECIDES,
    ExpressionReplacement,
    Mutation,
    Spot,
    bracketed_for,
    expression_sites,
    put_in_place,
)
from golfkit.search.mutations.printing import span

# Floats hold every integer up to 2**53 exactly: beyond it a float spelling is another number.
EXACT_FLOAT_LIMIT = 2**53


def number_spellings(literal: cst.Integer | cst.Float) -> list[str]:
    """Spellings of the literal's value shorter than its text, shortest first: the exact ones and
    those that change its type (``1000`` -> ``1e3``, ``2.0`` -> ``2``)."""
    text = literal.value
    found = set()
    if isinstance(literal, cst.Integer):
        value = int(text.replace("_", ""), 0)
        found.update({shortest_integer(text), spell(value).text})
        if value <= EXACT_FLOAT_LIMIT:
            found.add(shortest_float(str(value)))
    else:
        value = float(text.replace("_", ""))
        found.add(shortest_float(text))
        if value.is_integer() and value <= EXACT_FLOAT_LIMIT:
            found.add(str(int(value)))
    return sorted((s for s in found if s is not None and len(s) < len(text)), key=lambda s: (len(s), s))


class ShorterNumber(ExpressionReplacement):
    """Write a number literal shorter: ``1000`` -> ``1e3``, ``0.5`` -> ``.5``, ``1000000`` ->
    ``10**6``, ``255.0`` -> ``255.``, ``2.0`` -> ``2``.

    One site per spelling shorter than the literal as it stands in its place (brackets counted),
    so an int that must stay an int can still take ``10**6`` when ``1e6`` fails.
    """

    name = "shorter-number"
    description = "spell a number literal shorter (1000 -> 1e3, 0.5 -> .5, 1000000 -> 10**6)"
    safety_statement = (
        f"{RUN_DECIDES}: some spellings change the type (int <-> float), which shows in printing, "
        "indexing and range(); only the verified run tells."
    )
    example = ("print(0.5)\n", "print(.5)\n")

    def candidates(self, facts, context):
        sites = []
        for literal in facts.nodes(cst.Integer, cst.Float):
            start, end = span(facts, literal)
            for spelling in number_spellings(literal):
                replacement = cst.parse_expression(spelling)
                if len(code(put_in_place(facts, literal, replacement))) < end - start:
                    sites.append(Site(Spot(literal, (literal,), replacement), f"{literal.value} -> {spelling}"))
        return sites


def _display(facts, call: cst.Call) -> cst.BaseExpression | None:
    """``list(x)`` -> ``[*x]``, ``tuple(x)`` -> ``(*x,)``, ``set(x)`` -> ``{*x}``; ``list()`` ->
    ``[]``, ``tuple()`` -> ``()``, ``dict()`` -> ``{}``."""
    if not (isinstance(call.func, cst.Name) and facts.is_builtin_read(call.func)):
        return None
    kind = call.func.value
    if not call.args:
        empty = {"list": cst.List([]), "tuple": cst.Tuple([]), "dict": cst.Dict([])}
        return empty.get(kind)
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    value = call.args[0].value
    if isinstance(value, cst.GeneratorExp) and not value.lpar:
        return None  # ``list(x for x in y)``: the comprehension form belongs elsewhere
    starred = cst.StarredElement(bracketed_for(value, BITOR))
    if kind == "list":
        return cst.List([starred])
    if kind == "tuple":
        return cst.Tuple([starred.with_changes(comma=cst.Comma())])
    if kind == "set":
        return cst.Set([starred])
    return None


class UnpackBuiltin(ExpressionReplacement):
    """``list(x)`` -> ``[*x]``, ``tuple(x)`` -> ``(*x,)``, ``set(x)`` -> ``{*x}``, and the empty
    ``list()``/``tuple()``/``dict()`` -> ``[]``/``()``/``{}``.

    Only where the name reads the builtin (no binding of it in the program); the display builds
    the same kind of object from any iterable.
    """

    name = "unpack-builtin"
    description = "list(x) -> [*x], tuple(x) -> (*x,), set(x) -> {*x}, list() -> []"
    safety_statement = (
        f"{RUN_DECIDES}: the builtin may have been rebound where the program reaches it by "
        "other means (builtins module, exec); only the verified run tells."
    )
    example = ("print(list('ab'))\n", "print([*'ab'])\n")

    def candidates(self, facts, context):
        def displays(call):
            display = _display(facts, call)
            return [] if display is None else [display]

        return expression_sites(facts.nodes(cst.Call), displays)


def _appended(statement: cst.Expr) -> tuple[cst.BaseExpression, str, cst.BaseExpression] | None:
    call = statement.value
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
        return None
    owner, method = call.func.value, call.func.attr.value
    if method not in ("append", "extend") or len(call.args) != 1:
        return None
    if not isinstance(owner, (cst.Name, cst.Attribute, cst.Subscript)):
        return None  # ``f().append(v)``: a call cannot be assigned to
    (argument,) = call.args
    if argument.keyword is not None or argument.star:
        return None
    return owner, method, argument.value


class AppendAsAdd(Mutation):
    """A statement ``x.append(v)`` -> ``x+=v,`` and ``x.extend(v)`` -> ``x+=v``.

    The list-ops pass does this where it can prove ``x`` a list of its own scope; here any
    receiver qualifies (an attribute, a subscript, a global from a function) and the run decides.
    """

    name = "append-as-add"
    description = "x.append(v) -> x+=v, and x.extend(v) -> x+=v"
    safety_statement = (
        f"{RUN_DECIDES}: `x` may not be a list, and `+=` rebinds it (a global or closure name "
        "becomes local); only the verified run tells."
    )
    example = ("x = []\nx.append(1)\nprint(x)\n", "x = []\nx+=1,\nprint(x)\n")

    def candidates(self, facts, context):
        sites = []
        for statement in facts.nodes(cst.Expr):
            if _appended(statement) is not None:
                sites.append(Site(Spot(statement, (statement,)), code(statement.value)))
        return sites

    def rebuild(self, facts, original, updated, details):
        owner, method, value = _appended(updated)
        value = bracketed_for(value, LAMBDA)
        if method == "append":
            value = cst.Tuple([cst.Element(value, comma=cst.Comma())], lpar=[], rpar=[])
        tight = cst.SimpleWhitespace("")
        return cst.AugAssign(
            target=owner,
            operator=cst.AddAssign(whitespace_before=tight, whitespace_after=tight),
            value=value,
            semicolon=updated.semicolon,
        )
