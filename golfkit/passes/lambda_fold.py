"""lambda-fold: ``def f(x): return e`` → ``f=lambda x:e``, in modules, blocks and class bodies.

A body of single-name assignments followed by a return folds too, each assignment moving into the
returned expression at the first place its name is read: as ``(y:=v)`` when the name is read again,
or as ``v`` itself when that was the only read. That place must be evaluated unconditionally, and
everything evaluated before it must be unable to notice the move (literals, and names that ``v``
cannot rebind), so the order of every effect stays the same.

One site per function that folds, in source order; a function folds only when the lambda is no
longer than the def, measured compactly, and, when the build ships a packed file
(``PassContext.shipped_size``), when folding it alone makes that file smaller.
"""

from __future__ import annotations

import builtins
import functools

import libcst as cst

from golfkit.analysis import (
    ProgramFacts,
    Vocabulary,
    block_lines,
    code,
    compact_length,
    lambda_parameters,
    mentions_name,
    variable_names,
)
from golfkit.analysis.syntax import find_nodes
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip


class LambdaFoldPass(Pass):
    name = "lambda-fold"
    description = "turn one-expression functions into lambdas, folding assignments with :="
    safety = Safety.SAFE
    safety_statement = (
        "A lambda bound to the same name is the same kind of function object with the same "
        "parameters, defaults (evaluated once, at the same point) and result. Only its __name__ "
        "and __qualname__ differ, so nothing folds when the program can read them (.__name__, "
        "__qualname__, __code__, pickle, inspect, names by string). Decorated, async, generator "
        "and annotated functions, docstrings and methods using super()/__class__ stay defs. An "
        "assignment folds into the returned expression only at a read that is evaluated "
        "unconditionally, after nothing but literals and names the assigned value cannot rebind."
    )

    example = (
        "def area(w, h):\n    half = w / 2\n    return half * h\nprint(area(3, 4))\n",
        "area=lambda w,h:(w / 2) * h\nprint(area(3, 4))\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.vocabulary.reads_function_names:
            raise Skip("the program can read function names (__name__, __qualname__, __code__, pickle, "
                       "inspect or names by string)")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        words, settled = facts.vocabulary, _settled_globals(facts)
        sites = []
        for function in facts.nodes(cst.FunctionDef):
            folded = _fold(function, words, settled)
            # A function folds only when the lambda is no longer than the def.
            if folded is not None and compact_length(folded) <= compact_length(function):
                sites.append(Site(function))
        if context.shipped_size is not None:
            # A lambda is shorter but repeats less of its neighbours than a def: where a packed
            # file ships, a function folds only when that alone makes the file smaller.
            before = context.size(facts.module.code)
            sites = [site for site in sites if context.size(self.rewrite(facts, [site], context)) < before]
        return sites

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        words, settled = facts.vocabulary, _settled_globals(facts)
        chosen = {site.target: _fold(site.target, words, settled) for site in sites}
        return facts.module.visit(_Fold(chosen)).code


def _settled_globals(facts: ProgramFacts):
    """Globals a moved value cannot rebind, and which are bound (module level or builtins), so
    reading them a little earlier reads the same object and raises nothing new; computed when
    first asked."""

    @functools.cache
    def settled() -> frozenset[str]:
        words = facts.vocabulary
        if not words.globals_stable:
            return frozenset()
        bound = {assignment.name for assignment in facts.scopes[facts.module].assignments}
        return frozenset((bound | set(dir(builtins))) - words.declared)

    return settled


class _Fold(cst.CSTTransformer):
    def __init__(self, chosen: dict[cst.FunctionDef, cst.SimpleStatementLine]):
        super().__init__()
        self.chosen = chosen

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef):
        # A foldable body holds no compound statement, so original and updated nodes are equal.
        folded = self.chosen.get(original_node)
        if folded is None:
            return updated_node
        return folded.with_changes(leading_lines=original_node.leading_lines)


def _fold(function: cst.FunctionDef, facts: Vocabulary, settled_globals) -> cst.SimpleStatementLine | None:
    """``function`` as ``name=lambda ...:expression``, or None when that could behave differently."""
    if function.asynchronous or function.decorators or function.returns is not None:
        return None
    if _has_annotations(function.params):
        return None
    params = lambda_parameters(function.params, tight_defaults=False)  # annotated defs declined above
    if "\n" in code(params):
        return None  # a lambda's parameters are not inside brackets: they must fit on one line
    lines = block_lines(function.body)
    if lines is None:
        return None
    statements = [small for line in lines for small in line]
    if not statements or not isinstance(statements[-1], cst.Return):
        return None
    assignments = statements[:-1]
    if not all(_single_name_assignment(s) for s in assignments):
        return None
    if _uses_forbidden_features(function.body):
        return None

    local_names = _parameter_names(params) | {a.targets[0].target.value for a in assignments}
    # Names the moved values cannot rebind: this function's locals (no walrus, no nonlocal in
    # the body) and settled globals.
    def stable(name: str) -> bool:
        return name in local_names or name in settled_globals()

    if not _reads_only_bound_locals(assignments, local_names, _parameter_names(params)):
        return None

    returned = statements[-1].value
    expression = returned if returned is not None else cst.Name("None")
    for assignment in reversed(assignments):
        name = assignment.targets[0].target.value
        expression = _move_into(expression, name, assignment.value, stable, facts)
        if expression is None:
            return None
    lambda_ = cst.Lambda(
        params=params,
        body=_parenthesize_for(expression, _ANYWHERE),
        colon=cst.Colon(whitespace_after=cst.SimpleWhitespace("")),
    )
    assign = cst.Assign(
        targets=[
            cst.AssignTarget(
                target=function.name,
                whitespace_before_equal=cst.SimpleWhitespace(""),
                whitespace_after_equal=cst.SimpleWhitespace(""),
            )
        ],
        value=lambda_,
    )
    return cst.SimpleStatementLine(body=[assign])


def _has_annotations(params: cst.Parameters) -> bool:
    return any(p.annotation is not None for p in _all_params(params))


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return found


def _parameter_names(params: cst.Parameters) -> set[str]:
    return {p.name.value for p in _all_params(params)}


def _single_name_assignment(statement: cst.BaseSmallStatement) -> bool:
    return (
        isinstance(statement, cst.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0].target, cst.Name)
        and not statement.targets[0].target.lpar
    )


def _uses_forbidden_features(body: cst.BaseSuite) -> bool:
    """Generators, await, walrus (it would bind names we move reads past), and the implicit
    ``__class__`` cell that zero-argument ``super()`` needs: a lambda in a class body has none."""
    return bool(
        find_nodes(body, cst.Yield, cst.Await, cst.NamedExpr, names=("__class__",))
        or any(isinstance(call.func, cst.Name) and call.func.value == "super" and not call.args
               for call in find_nodes(body, cst.Call))
    )


def _reads_only_bound_locals(assignments, local_names: set[str], parameters: set[str]) -> bool:
    """Each assigned value reads only locals bound before it: reading a later-assigned local
    raises UnboundLocalError in the def but would read a global from the lambda."""
    bound = set(parameters)
    for assignment in assignments:
        read = {n.value for n in variable_names(assignment.value)}
        if (read & local_names) - bound:
            return False
        bound.add(assignment.targets[0].target.value)
    return True


# ---------------------------------------------------------------------------------------------
# Moving an assignment into the expression that follows it
# ---------------------------------------------------------------------------------------------


def _move_into(expression, name: str, value, stable, facts: Vocabulary):
    """``expression`` with ``name = value`` folded in at the first read of ``name``, or None."""
    rebound: set[str] = set()
    found = _first_read(expression, name, stable, _ANYWHERE, rebound)
    if found is None:
        return None
    if rebound & {n.value for n in variable_names(value)}:
        return None  # a walrus evaluated first would change what the moved value reads
    read, context = found
    if len(variable_names(expression, name)) == 1 and not facts.dynamic.names_frozen:
        # The only read: the value itself goes there (locals() could tell, hence names_frozen).
        replacement = _parenthesize_for(value, context)
    else:
        walrus = cst.NamedExpr(
            target=cst.Name(name),
            value=_parenthesize_for(value, _ANYWHERE),
            whitespace_before_walrus=cst.SimpleWhitespace(""),
            whitespace_after_walrus=cst.SimpleWhitespace(""),
        )
        replacement = walrus if context == _ARGUMENT else _parenthesized(walrus)
    return expression.deep_replace(read, replacement)


# Where a sub-expression sits, as far as brackets go: anywhere an expression fits (a lambda body),
# a positional argument (a walrus fits too), the object of ``.attr``, or an operand.
_ANYWHERE, _ARGUMENT, _ATTRIBUTE_OWNER, _OPERAND = "anywhere", "argument", "attribute", "operand"


def _first_read(node, name: str, stable, context: str, rebound: set[str]):
    """The first read of ``name`` in evaluation order and its context, provided the read is always
    evaluated and everything evaluated before it is pure; otherwise None. Collects in ``rebound``
    the names that walruses evaluated before the read assign."""
    if isinstance(node, cst.Name):
        return (node, context) if node.value == name else None
    children = _evaluation_order(node)
    if children is None:
        return None
    for child, conditional, child_context in children:
        if mentions_name(child, name):
            if conditional:
                return None
            return _first_read(child, name, stable, child_context, rebound)
        if not _pure(child, stable):
            return None
        rebound.update(walrus.target.value for walrus in find_nodes(child, cst.NamedExpr))
    return None


def _evaluation_order(node):
    """The sub-expressions of ``node`` in the order Python evaluates them, each flagged when it
    may be skipped and with its context; None for nodes that run code in their own scope or that
    we do not model."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis)):
        return []
    if isinstance(node, cst.Attribute):
        return [(node.value, False, _ATTRIBUTE_OWNER)]
    if isinstance(node, cst.Subscript):
        parts = [(node.value, False, _ATTRIBUTE_OWNER)]
        for element in node.slice:
            index = element.slice
            if isinstance(index, cst.Index):
                parts.append((index.value, False, _OPERAND))
            else:
                bounds = (index.lower, index.upper, index.step)
                parts.extend((p, False, _OPERAND) for p in bounds if p is not None)
        return parts
    if isinstance(node, cst.Call):
        # ``f(k=a, *b)`` evaluates b before a: leave such calls alone.
        seen_keyword = False
        for arg in node.args:
            if arg.keyword is not None:
                seen_keyword = True
            elif arg.star == "*" and seen_keyword:
                return None
        arguments = [
            (arg.value, False, _ARGUMENT if arg.keyword is None and arg.star == "" else _OPERAND)
            for arg in node.args
        ]
        return [(node.func, False, _ATTRIBUTE_OWNER), *arguments]
    if isinstance(node, cst.BinaryOperation):
        return [(node.left, False, _OPERAND), (node.right, False, _OPERAND)]
    if isinstance(node, cst.UnaryOperation):
        return [(node.expression, False, _OPERAND)]
    if isinstance(node, cst.BooleanOperation):
        return [(node.left, False, _OPERAND), (node.right, True, _OPERAND)]
    if isinstance(node, cst.Comparison):
        # Only the first comparison always runs: ``a < b < c`` may stop before c.
        rest = [(target.comparator, index > 0, _OPERAND) for index, target in enumerate(node.comparisons)]
        return [(node.left, False, _OPERAND), *rest]
    if isinstance(node, cst.IfExp):
        return [(node.test, False, _OPERAND), (node.body, True, _OPERAND), (node.orelse, True, _OPERAND)]
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return [(element.value, False, _OPERAND) for element in node.elements]
    if isinstance(node, cst.NamedExpr):  # a walrus this pass put there
        return [(node.value, False, _ANYWHERE)]
    if isinstance(node, cst.Dict):
        parts = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                parts += [(element.key, False, _OPERAND), (element.value, False, _OPERAND)]
            else:
                parts.append((element.value, False, _OPERAND))
        return parts
    return None


def _pure(node, stable) -> bool:
    """Evaluating ``node`` has no effect and its value cannot be changed by the moved value."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return _pure(node.left, stable) and _pure(node.right, stable)
    if isinstance(node, cst.Name):
        return stable(node.value)
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(
            isinstance(e, cst.Element) and _pure(e.value, stable) for e in node.elements
        )
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.expression, (cst.Integer, cst.Float, cst.Imaginary))
    if isinstance(node, cst.NamedExpr):
        return _pure(node.value, stable)
    if isinstance(node, cst.Lambda):
        return not any(p.default is not None for p in _all_params(node.params))
    return False


# ---------------------------------------------------------------------------------------------
# Parentheses for an expression put where a name was
# ---------------------------------------------------------------------------------------------

_ATOMS = (
    cst.Name, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Call,
    cst.Attribute, cst.Subscript, cst.List, cst.Dict, cst.Set, cst.ListComp, cst.SetComp,
    cst.DictComp, cst.GeneratorExp, cst.Ellipsis,
)
_NUMBERS = (cst.Integer, cst.Float, cst.Imaginary)
# Expressions that need brackets even where any other expression fits (a lambda body, an argument).
_NEEDS_BRACKETS = (cst.Tuple, cst.NamedExpr, cst.Yield, cst.StarredElement)


def _parenthesized(node):
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _parenthesize_for(node, context: str):
    """``node`` with brackets if it needs them in ``context``."""
    if node.lpar:
        return node
    if isinstance(node, _ATOMS) or (isinstance(node, _NUMBERS) and context != _ATTRIBUTE_OWNER):
        return node
    if context in (_ANYWHERE, _ARGUMENT) and not isinstance(node, _NEEDS_BRACKETS):
        return node
    return _parenthesized(node)
