"""fixed-defaults: a parameter whose constant default no call ever overrides becomes that constant.

    F = lambda a, b, std=.08: [gauss(0, std) for _ in range(a * b)]    (calls: F(3, 4), F(n, 16))
    ->  F = lambda a, b: [gauss(0, .08) for _ in range(a * b)]

Sites, in source order: one per positional-or-keyword parameter (of a ``def`` or of the lambda in
``NAME = lambda ...``) that qualifies and whose removal alone makes the program shorter.

A parameter qualifies when:

- the function is a ``def`` without decorators, not async, or the lambda of a single-target
  ``NAME = lambda`` statement, in a module or function body (never a class body: no methods);
  neither holds ``yield`` or ``await`` anywhere;
- its name is bound once in its scope, declared global/nonlocal nowhere, never deleted, not a
  walrus target, and every read of it is the callee of a call ``F(...)`` (so the function object
  never escapes: nobody can read ``__defaults__``, its signature or its code); a module-level
  function must not be reachable as ``__main__``/``sys.modules`` either;
- the function takes no ``*args``/``**kwargs``, and no call unpacks ``*``/``**``;
- the default is a literal: a number (optionally negated), a ``str`` literal, True, False or None,
  and the parameter has no annotation;
- every call passes fewer positional arguments than the parameter's index and never names it by
  keyword, so every call binds it to its default. Every parameter after it has a default too (or
  is keyword-only), so dropping it shifts no argument a call passes;
- inside the function the parameter is never rebound (no assignment, ``del``, walrus, nested
  ``nonlocal``), every read of it is a read of that parameter alone, and no read sits in a
  self-documenting f-string field (``{p=}`` prints the name) or where the literal's text cannot
  stand (quotes inside an f-string field).

The program must not reach names by string (eval, exec, locals()...), inspect frames or
signatures, or compare identities (a literal in the body and the default object might then be
told apart).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import FunctionScope, GlobalScope

from golfkit.analysis import NOT_CONSTANT, ProgramFacts, code, fit, fstring_safe, is_dunder, spell
from golfkit.analysis.syntax import binds_one_name, find_nodes
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import captured_names, class_pattern_keywords



@dataclass(eq=False)
class _Site:
    function: cst.FunctionDef | cst.Lambda
    function_name: str
    param: cst.Param
    reads: list[cst.Name]
    value: cst.BaseExpression  # the literal each read becomes
    position: tuple[int, int]


class FixedDefaultsPass(Pass):
    name = "fixed-defaults"
    description = "Drop a parameter whose literal default no call overrides; its reads become the literal."
    safety = Safety.SAFE
    safety_statement = (
        "Only for a def or `name = lambda` (not a method, not decorated, no *args/**kwargs, no "
        "yield/await) whose name is bound once and only ever called directly, with no */** "
        "unpacking, by calls that all pass fewer positional arguments than the parameter's index "
        "and never name it: every call then binds the parameter to its literal default, and every "
        "later parameter is defaulted or keyword-only, so no argument shifts. The parameter is "
        "never rebound, so each read yields that literal's value; reads in `{p=}` fields stay. "
        "Nothing happens when names, frames or signatures can be reached by string or "
        "introspection, or identities compared."
    )

    example = (
        "def scale(x, factor=3):\n    return x * factor\nprint(scale(2), scale(5))\n",
        "def scale(x):\n    return x * 3\nprint(scale(2), scale(5))\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.dynamic.names_frozen:
            raise Skip("the program reaches names through strings (eval/exec/globals)")
        if facts.introspection:
            raise Skip("the program lists names it does not spell (dir/inspect)")
        if facts.identity_sensitive:
            raise Skip("the program compares identities (is, id())")
        if facts.reads_frames:
            raise Skip("the program reads frames")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        # A kept function's signature is seen from outside the text: its defaults stay.
        candidates = sorted((site for site in _find(facts) if site.function_name not in context.kept_names),
                            key=lambda site: site.position)
        # A site is offered only when it saves characters on its own (savings add up).
        length = len(facts.module.code)
        return [
            Site(site, f"{site.function_name}({site.param.name.value}={code(site.param.default)})")
            for site in candidates
            if len(_rewrite(facts, [site])) < length
        ]

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        result = _rewrite(facts, [site.target for site in sites])
        try:
            compile(result, "<fixed-defaults>", "exec")
        except SyntaxError:
            raise Skip("the rewritten program does not compile") from None
        return result


# ---------------------------------------------------------------------------------------------
# Finding sites
# ---------------------------------------------------------------------------------------------


def _find(facts: ProgramFacts) -> list[_Site]:
    declared = set(facts.declared_names)
    module_reachable = facts.module_reachable
    sites: list[_Site] = []
    functions = [(f, f.name) for f in facts.functions]
    for assign in facts.nodes(cst.Assign):
        if binds_one_name(assign, cst.Lambda):
            functions.append((assign.value, assign.targets[0].target))
    for function, name in functions:
        if not _function_ok(facts, function, name, declared, module_reachable):
            continue
        calls = [facts.parent(access.node) for access in _binding(facts, name).references]
        for index, param in enumerate(function.params.params):
            site = _site(facts, function, name.value, index, param, calls, declared)
            if site is not None:
                sites.append(site)
    return sites


def _binding(facts: ProgramFacts, name: cst.Name):
    (assignment,) = facts.scopes[name].assignments[name.value]
    return assignment


def _function_ok(facts, function, name: cst.Name, declared: set, module_reachable: bool) -> bool:
    if isinstance(function, cst.FunctionDef) and (function.decorators or function.asynchronous):
        return False
    params = function.params
    if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return False
    if find_nodes(function, cst.Yield, cst.Await):
        return False
    scope = facts.scopes.get(name)
    if not isinstance(scope, (GlobalScope, FunctionScope)):
        return False
    if isinstance(scope, GlobalScope) and module_reachable:
        return False
    if name.value in declared or facts.name_untouchable(name.value) or is_dunder(name.value):
        return False
    if name.value in captured_names(facts):
        return False  # a match pattern may rebind it where libcst sees no binding
    if facts.redirected(scope, name.value) or (id(scope), name.value) in facts.remote_writes:
        return False
    assignments = scope.assignments[name.value]
    binder = function if isinstance(function, cst.FunctionDef) else name
    if len(assignments) != 1 or next(iter(assignments)).node is not binder:
        return False
    # Only ever called: the function object, its defaults and its signature never escape.
    for access in next(iter(assignments)).references:
        node = access.node
        call = facts.parent(node)
        if not isinstance(node, cst.Name) or access.is_annotation or access.is_type_hint:
            return False
        if not (isinstance(call, cst.Call) and call.func is node):
            return False
        if any(arg.star for arg in call.args):
            return False
    return True


def _site(facts, function, function_name: str, index: int, param: cst.Param, calls: list[cst.Call], declared: set) -> _Site | None:
    if param.default is None or param.annotation is not None:
        return None
    name = param.name.value
    position = len(function.params.posonly_params) + index
    for call in calls:
        positional = sum(1 for arg in call.args if arg.keyword is None)
        if positional > position or any(arg.keyword is not None and arg.keyword.value == name for arg in call.args):
            return None
    value = _literal(facts, param.default)
    if value is None:
        return None
    scope = facts.scopes.get(param.name)
    if not isinstance(scope, FunctionScope) or scope.node is not function:
        return None
    if name in declared or name in facts.walrus_names or name in facts.deleted_names:
        return None
    if name in captured_names(facts):
        return None  # a match pattern may rebind it where libcst sees no binding
    assignments = scope.assignments[name]
    if len(assignments) != 1 or (id(scope), name) in facts.remote_writes:
        return None
    (assignment,) = assignments
    keywords = class_pattern_keywords(facts)  # ``case C(name=...)`` names an attribute, no read
    reads = []
    for access in assignment.references:
        node = access.node
        if node in keywords:
            continue
        if not isinstance(node, cst.Name) or set(access.referents) != {assignment}:
            return None
        if not _literal_fits(facts, node, value):
            return None
        reads.append(node)
    # Any other ``name`` in the function that might still mean the parameter.
    for node in find_nodes(function.body, names=(name,)):
        if node in reads or node in keywords:
            continue
        node_scope = facts.scopes.get(node)
        for access in node_scope.accesses[node] if node_scope is not None else ():
            if access.node is node and assignment in access.referents:
                return None
    start = facts.positions[param].start
    return _Site(function, function_name, param, reads, value, (start.line, start.column))


def _literal(facts: ProgramFacts, default: cst.BaseExpression) -> cst.BaseExpression | None:
    """The shortest spelling of a literal default, as a node, or None for anything else."""
    expression = default
    if isinstance(expression, cst.UnaryOperation) and isinstance(expression.operator, cst.Minus):
        expression = expression.expression
        if not isinstance(expression, (cst.Integer, cst.Float)):
            return None
    if isinstance(expression, cst.SimpleString):
        if "b" in expression.prefix.lower():
            return None
        return default.with_changes(lpar=[], rpar=[])  # its own text: the quotes it chose
    if isinstance(expression, cst.Name) and expression.value not in ("True", "False", "None"):
        return None
    if not isinstance(expression, (cst.Integer, cst.Float, cst.Name)):
        return None
    value = facts.const_value(default)
    spelling = None if value is NOT_CONSTANT else spell(value)
    return None if spelling is None else spelling.node()


def _literal_fits(facts: ProgramFacts, read: cst.Name, value: cst.BaseExpression) -> bool:
    for ancestor in facts.ancestors(read):
        if isinstance(ancestor, cst.FormattedStringExpression):
            return ancestor.equal is None and fstring_safe(value)
    return True


# ---------------------------------------------------------------------------------------------
# Rewriting
# ---------------------------------------------------------------------------------------------


def _rewrite(facts: ProgramFacts, sites: list[_Site]) -> str:
    return facts.module.visit(_Rewriter(facts, sites)).code


class _Rewriter(cst.CSTTransformer):
    def __init__(self, facts: ProgramFacts, sites: list[_Site]):
        super().__init__()
        self.facts = facts
        self.values = {read: site.value for site in sites for read in site.reads}
        self.dropped = {site.param for site in sites}

    def leave_Name(self, original, updated):
        value = self.values.get(original)
        if value is None:
            return updated
        placed = fit(value, self.facts.parent(original), original)
        if original.lpar and not placed.lpar:
            placed = placed.with_changes(lpar=original.lpar, rpar=original.rpar)
        return placed

    def leave_Parameters(self, original, updated):
        kept = [new for old, new in zip(original.params, updated.params) if old not in self.dropped]
        if len(kept) == len(updated.params):
            return updated
        if kept and original.params[-1] in self.dropped:
            # The new last parameter takes the comma (or its absence) the old last one had.
            kept[-1] = kept[-1].with_changes(comma=updated.params[-1].comma)
        return updated.with_changes(params=kept)

    def leave_Lambda(self, original, updated):
        params = updated.params
        empty = not (params.posonly_params or params.params or params.kwonly_params or params.star_kwarg)
        if empty and isinstance(params.star_arg, cst.MaybeSentinel) and original.params.params:
            return updated.with_changes(whitespace_after_lambda=cst.SimpleWhitespace(""))  # ``lambda:``
        return updated
