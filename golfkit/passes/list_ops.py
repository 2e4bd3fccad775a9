"""list-ops: ``xs.append(v)`` becomes ``xs+=v,`` and ``xs.extend(v)`` becomes ``xs+=v`` when ``xs``
is provably a list of the statement's own scope.

Sites, in source order: one per expression statement ``NAME.append(arg)`` or ``NAME.extend(arg)``
(one positional argument, nothing else) whose name qualifies.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import FunctionScope, GlobalScope

from golfkit.analysis import ProgramFacts, code
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import captured_names

_METHODS = ("append", "extend")
# Arguments that cannot stand bare on the right of ``+=`` or before a trailing comma.
_NEEDS_PARENS = (cst.Tuple, cst.NamedExpr, cst.Yield, cst.GeneratorExp, cst.StarredElement)


class ListOpsPass(Pass):
    name = "list-ops"
    description = "Turn list.append(v) / list.extend(v) statements into xs+=v, / xs+=v."
    safety = Safety.SAFE
    safety_statement = (
        "Only for a name whose every binding is in the statement's own function or module scope "
        "and is a list display, a list comprehension or an earlier `+=` (so the object is a real "
        "list), that no other scope rebinds (global/nonlocal) and that is not reached through "
        "strings (eval/exec/globals()). On a list, `+=` extends in place with any iterable, the "
        "same object stays bound, the argument is evaluated at the same point, and the result of "
        "the expression statement was discarded anyway."
    )

    example = (
        "names = []\n"
        "names.append(\"ada\")\n"
        "names.extend([\"bob\", \"cy\"])\n"
        "print(names)\n",
        "names = []\n"
        "names+=\"ada\",\n"
        "names+=[\"bob\", \"cy\"]\n"
        "print(names)\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.dynamic.names_frozen:
            raise Skip("the program reaches names through strings (eval/exec/globals)")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        sites = []
        for statement in facts.nodes(cst.Expr):
            parts = _call_parts(statement)
            if parts is not None and _is_own_list(facts, parts[0]):
                sites.append(Site(statement, code(statement.value)))
        return sites

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        return facts.module.visit(_Rewriter({site.target for site in sites})).code


def _call_parts(statement: cst.Expr) -> tuple[cst.Name, str, cst.BaseExpression] | None:
    call = statement.value
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
        return None
    owner, method = call.func.value, call.func.attr.value
    if not isinstance(owner, cst.Name) or method not in _METHODS or len(call.args) != 1:
        return None
    (argument,) = call.args
    if argument.keyword is not None or argument.star:
        return None
    return owner, method, argument.value


def _is_own_list(facts: ProgramFacts, name: cst.Name) -> bool:
    if facts.name_untouchable(name.value) or name.value in captured_names(facts):
        return False  # a match pattern may bind any object to the name
    scope = facts.scopes.get(name)
    if not isinstance(scope, (FunctionScope, GlobalScope)) or facts.redirected(scope, name.value):
        return False
    if (id(scope), name.value) in facts.remote_writes:
        return False
    referents = facts.referents(name)
    if not referents or any(getattr(a, "scope", None) is not scope for a in referents):
        return False
    return all(_binds_a_list(facts, assignment.node, name.value) for assignment in referents)


def _binds_a_list(facts: ProgramFacts, node, name: str) -> bool:
    """``node`` (a binding's Name) is the target of ``name = [..]`` or ``name += ..``."""
    if not isinstance(node, cst.Name):
        return False
    parent = facts.parent(node)
    if isinstance(parent, cst.AugAssign):
        return parent.target is node and isinstance(parent.operator, cst.AddAssign)
    if isinstance(parent, cst.AssignTarget) and parent.target is node:
        statement = facts.parent(parent)
        return isinstance(statement, cst.Assign) and isinstance(statement.value, (cst.List, cst.ListComp))
    return False


class _Rewriter(cst.CSTTransformer):
    def __init__(self, chosen: set[cst.Expr]):
        super().__init__()
        self.chosen = chosen

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr):
        if original not in self.chosen:
            return updated
        owner, method, argument = _call_parts(updated)
        if isinstance(argument, _NEEDS_PARENS) and not argument.lpar:
            argument = argument.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        if method == "append":
            argument = cst.Tuple([cst.Element(argument)], lpar=[], rpar=[])
        return cst.AugAssign(
            target=owner,
            operator=cst.AddAssign(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
            value=argument,
            semicolon=updated.semicolon,
        )
