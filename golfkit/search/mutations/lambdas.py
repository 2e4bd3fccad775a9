"""Functions and methods whose body is one ``return`` as lambdas: ``def f(x): return e`` ->
``f=lambda x:e``, and in a class body ``def m(self): return e`` -> ``m=lambda self:e``.

A lambda saves ``def``, ``return``, the colon's line and the indentation. The lambda-fold pass does
this where it can prove nothing tells the two apart (``__name__``, annotations, ``super()``); here
annotations are dropped and names may change, and the run decides.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import LAMBDA, code, find_nodes, lambda_parameters
from golfkit.passes.base import Site
from golfkit.search.mutations.base import RUN_DECIDES, Mutation, Spot, bracketed_for

TIGHT = cst.SimpleWhitespace("")


def returned(function: cst.FunctionDef) -> cst.Return | None:
    """The ``return`` that is the whole body of ``function``, or None."""
    body = function.body
    if isinstance(body, cst.SimpleStatementSuite):
        statements = list(body.body)
    elif len(body.body) == 1 and isinstance(body.body[0], cst.SimpleStatementLine):
        statements = list(body.body[0].body)
    else:
        return None
    if len(statements) == 1 and isinstance(statements[0], cst.Return):
        return statements[0]
    return None


def as_lambda(function: cst.FunctionDef) -> cst.SimpleStatementLine:
    statement = returned(function)
    value = statement.value if statement.value is not None else cst.Name("None")
    folded = cst.Lambda(
        params=lambda_parameters(function.params),
        body=bracketed_for(value, LAMBDA),
        colon=cst.Colon(whitespace_after=TIGHT),
    )
    target = cst.AssignTarget(function.name, whitespace_before_equal=TIGHT, whitespace_after_equal=TIGHT)
    return cst.SimpleStatementLine(body=[cst.Assign(targets=[target], value=folded)],
                                   leading_lines=function.leading_lines)


def in_class_body(facts, function: cst.FunctionDef) -> bool:
    return isinstance(facts.parent(facts.parent(function)), cst.ClassDef)


def foldable(function: cst.FunctionDef) -> bool:
    return (
        not function.decorators
        and function.asynchronous is None
        and getattr(function, "type_parameters", None) is None
        and returned(function) is not None
    )


def uses_class_cell(function: cst.FunctionDef) -> bool:
    """``__class__`` or a zero-argument ``super()``: both need the cell only a def gets."""
    for node in find_nodes(function.body, cst.Call, names=("__class__",)):
        if isinstance(node, cst.Name):
            return True
        if isinstance(node.func, cst.Name) and node.func.value == "super" and not node.args:
            return True
    return False


class FunctionLambda(Mutation):
    """``def f(x): return e`` -> ``f=lambda x:e`` for a function outside class bodies.

    Annotations go (a lambda takes none); ``__name__`` becomes ``<lambda>``: the run decides.
    """

    name = "function-lambda"
    description = "def f(...): return e -> f=lambda ...:e"
    safety_statement = (
        f"{RUN_DECIDES}: the lambda's __name__, __qualname__ and annotations differ from the "
        "def's; only the verified run tells whether anything reads them."
    )
    example = ("def f(x):\n    return x * 2\nprint(f(3))\n", "f=lambda x:x * 2\nprint(f(3))\n")

    def candidates(self, facts, context):
        return [
            Site(Spot(function, (function,)), code(function.with_changes(leading_lines=())).rstrip("\n"))
            for function in facts.functions
            if foldable(function) and not in_class_body(facts, function)
        ]

    def rebuild(self, facts, original, updated, details):
        return as_lambda(updated)


class MethodLambda(Mutation):
    """A method whose body is one ``return`` -> a class-level ``name=lambda self,...:e``.

    A lambda in a class body is a function like any other, so it binds as a method. Methods that
    use ``super()`` without arguments or ``__class__`` are no sites: a lambda gets no
    ``__class__`` cell.
    """

    name = "method-lambda"
    description = "a method def m(self,...): return e -> m=lambda self,...:e"
    safety_statement = (
        f"{RUN_DECIDES}: the lambda's __name__, __qualname__ and annotations differ from the "
        "method's; only the verified run tells whether anything reads them."
    )
    example = (
        "class A:\n    def m(self):\n        return 1\nprint(A().m())\n",
        "class A:\n    m=lambda self:1\nprint(A().m())\n",
    )

    def candidates(self, facts, context):
        sites = []
        for function in facts.functions:
            if not (foldable(function) and in_class_body(facts, function)):
                continue
            if uses_class_cell(function):
                continue
            key = code(function.with_changes(leading_lines=())).rstrip("\n")
            sites.append(Site(Spot(function, (function,)), key))
        return sites

    def rebuild(self, facts, original, updated, details):
        return as_lambda(updated)
