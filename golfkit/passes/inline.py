"""Inlining of single-use variables and tiny functions.

Variable site: ``v = E`` followed (in the same block) by the one statement that reads ``v`` once.
``E`` moves into the read when, in that statement, only *atoms* are evaluated before the read
(literals, stable definitely-bound names, bound-method lookups on builtin containers), and the
read is evaluated exactly once per run of the statement (not in a loop, lambda, comprehension body
or short-circuited operand; the first iterable of a comprehension is fine: it is evaluated once,
in the enclosing scope). Chains (``a = E1; b = E2; use(a, b)``, or ``a`` read by ``b = f(a)``)
are decided from the last definition backwards, so each moved expression keeps its place in the
original order of evaluation.

Function site: a ``def`` whose body is ``return EXPR``, called only directly, with literal or
stable-name arguments, whose free names mean the same at every call site; all calls are replaced
by ``EXPR`` with the arguments substituted and the ``def`` goes, when that is shorter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ClassScope, FunctionScope, GlobalScope

from golfkit.analysis import (
    BLOCKS,
    NOT_CONSTANT,
    UNMOVABLE,
    ProgramFacts,
    StatementRemover,
    code,
    fit,
    fstring_safe,
    index_of,
    inside_fstring,
    is_atom,
    siblings_before,
)
from golfkit.analysis.syntax import binds_any, find_nodes
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import captured_names


@dataclass(eq=False)
class _Variable:
    assign: cst.Assign
    use: cst.Name
    block: cst.CSTNode
    index: int  # of the defining statement in its block
    use_index: int  # of the reading statement
    prefix: list[cst.CSTNode]  # evaluated before the read, within the reading statement
    position: tuple[int, int]


@dataclass(eq=False)
class _Function:
    definition: cst.FunctionDef
    expression: cst.BaseExpression
    params: list[str]
    calls: list[cst.Call]
    position: tuple[int, int]
    saving: int = 0


@dataclass
class _Plan:
    variables: list[_Variable] = field(default_factory=list)
    functions: list[_Function] = field(default_factory=list)


class InlinePass(Pass):
    name = "inline"
    description = "Inline single-use variables and tiny functions where evaluation order provably holds."
    safety = Safety.SAFE
    safety_statement = (
        "A variable is inlined only into the statement right after its definition (or after "
        "other definitions inlined into it), reading it exactly once, at a point evaluated once "
        "per run and preceded only by side-effect-free, non-raising atoms that the moved "
        "expression cannot rebind; moved expressions keep their relative order. A tiny function "
        "(body ``return EXPR``) is inlined only at direct calls whose arguments are literals or "
        "stable, definitely-bound names not captured by EXPR, where EXPR's free names resolve to "
        "the same bindings. No walrus, yield or await ever moves, and nothing happens when "
        "eval/exec/globals() can reach names by string."
    )

    example = (
        "def double(n):\n"
        "    return n * 2\n"
        "total = double(21)\n"
        "print(total)\n",
        "print(21 * 2)\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.dynamic.names_frozen:
            raise Skip("the program reaches names through strings (eval/exec/globals)")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        plan, kept = _plan(facts), context.kept_names
        found = sorted(
            [(v.position, 0, v) for v in plan.variables if not binds_any(v.assign, kept)]
            + [(f.position, 1, f) for f in plan.functions if not binds_any(f.definition, kept)],
            key=lambda entry: (entry[0], entry[1]),
        )
        return [Site(site, _key(facts, site)) for _, _, site in found]

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        enabled = [site.target for site in sites]
        # A variable moves only with the chain it belongs to; decided from the enabled ones.
        variables = _decide_chains(facts, [v for v in enabled if isinstance(v, _Variable)])
        functions = [f for f in enabled if isinstance(f, _Function)]
        return facts.module.visit(_Rewriter(facts, variables, functions)).code


def _key(facts: ProgramFacts, site: _Variable | _Function) -> str:
    if isinstance(site, _Function):
        return f"inline def {site.definition.name.value}"
    owner = next((a.name.value for a in facts.ancestors(site.assign) if isinstance(a, cst.FunctionDef)), "<module>")
    return f"inline {site.use.value} = {code(site.assign.value)} in {owner}"


def _plan(facts: ProgramFacts) -> _Plan:
    finder = _VariableFinder(facts)
    for block in (facts.module, *facts.nodes(cst.IndentedBlock)):
        finder.scan(block)
    plan = _Plan(variables=finder.variables)
    variable_uses = {v.use for v in plan.variables}
    plan.functions = _function_candidates(facts, variable_uses)
    return plan


# ---------------------------------------------------------------------------------------------
# Single-use variables
# ---------------------------------------------------------------------------------------------


class _VariableFinder:
    def __init__(self, facts: ProgramFacts):
        self.facts = facts
        self.variables: list[_Variable] = []
        self._pairs: dict = {}

    def scan(self, block):
        for index, statement in enumerate(block.body):
            candidate = self._candidate(block, index, statement)
            if candidate is not None:
                self.variables.append(candidate)

    def _candidate(self, block, index: int, statement) -> _Variable | None:
        facts = self.facts
        name = _defined_name(statement)
        if name is None:
            return None
        assign = statement.body[0]
        scope = facts.scopes.get(assign)
        if not isinstance(scope, (GlobalScope, FunctionScope)) or find_nodes(assign.value, *UNMOVABLE):
            return None
        if facts.name_untouchable(name) or facts.redirected(scope, name):
            return None
        uses = self._reads_by_definition(scope, name)
        if uses is None or len(uses.get(statement, ())) != 1:
            return None
        (use,) = uses[statement]
        reading = _statement_in_block(facts, use, block)
        prefix = _prefix(facts, use, block.body[reading])
        if prefix is None or not all(is_atom(facts, item) for item in prefix):
            return None
        if inside_fstring(facts, use) and not fstring_safe(assign.value):
            return None
        start = facts.positions[statement].start
        return _Variable(assign, use, block, index, reading, prefix, (start.line, start.column))

    def _reads_by_definition(self, scope, name: str) -> dict | None:
        """Every read of ``name`` paired with the ``name = ...`` statement it surely reads from,
        or None when some read cannot be paired (so a definition's value might reach it)."""
        key = (id(scope), name)
        if key not in self._pairs:
            self._pairs[key] = _pair_reads(self.facts, scope, name)
        return self._pairs[key]


def _pair_reads(facts: ProgramFacts, scope, name: str) -> dict | None:
    """A read is paired with the ``name = ...`` statement before it in the same block when no
    statement in between binds ``name``: that definition is then the only value it can see.
    Reads that run more than once per run of their statement (a ``while`` test) are not paired."""
    bindings = [a.node for a in scope.assignments[name]]
    pairs: dict = {}
    for assignment in scope.assignments[name]:
        for access in assignment.references:
            read = access.node
            if not isinstance(read, cst.Name) or facts.scopes.get(read) is not scope:
                return None  # read from a nested function, lambda or comprehension body
            statement = facts.statement_of(read)
            block = facts.parent(statement)
            if not isinstance(block, BLOCKS) or not _read_once(facts, read, statement):
                return None
            definition = None
            for earlier in reversed(block.body[: index_of(block.body, statement)]):
                if _defined_name(earlier) == name:
                    definition = earlier
                    break
                if any(_within(facts, node, earlier) for node in bindings):
                    return None  # bound some other way (loop target, import, nested block...)
            if definition is None:
                return None
            pairs.setdefault(definition, set()).add(read)
    return pairs


def _read_once(facts: ProgramFacts, read, statement) -> bool:
    """The read belongs to a simple statement, an ``if`` test or a ``for`` iterable."""
    if isinstance(statement, cst.SimpleStatementLine):
        return True
    child = read
    for parent in facts.ancestors(read):
        if parent is statement:
            return _header_slot(statement, child)
        child = parent
    return False


def _defined_name(statement) -> str | None:
    """``name`` for a line holding just ``name = value``."""
    assign = _lone_small(statement)
    if isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name):
        return assign.targets[0].target.value
    return None


def _lone_small(statement):
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _statement_in_block(facts: ProgramFacts, node, block) -> int | None:
    """Index in ``block`` of the statement holding ``node``, if it is a direct child."""
    child = node
    for parent in facts.ancestors(node):
        if parent is block:
            for index, statement in enumerate(block.body):
                if statement is child:
                    return index
            return None
        if isinstance(parent, BLOCKS):
            return None  # nested inside a compound statement's body
        child = parent
    return None


def _prefix(facts: ProgramFacts, node, statement) -> list[cst.CSTNode] | None:
    """What ``statement`` evaluates before ``node``, or None when ``node`` is not evaluated
    exactly once per run of the statement (or in an order we do not model)."""
    before: list[cst.CSTNode] = []
    child = node
    for parent in facts.ancestors(node):
        if parent is statement:
            if isinstance(statement, cst.SimpleStatementLine):
                return before if len(statement.body) == 1 else None
            return before if _header_slot(statement, child) else None
        earlier = siblings_before(parent, child)
        if earlier is None:
            return None
        before.extend(earlier)
        child = parent
    return None


def _header_slot(statement, child) -> bool:
    """Compound statements: only the ``if`` test and the ``for`` iterable, evaluated once."""
    return (isinstance(statement, cst.If) and child is statement.test) or (
        isinstance(statement, cst.For) and child is statement.iter and statement.asynchronous is None
    )


def _decide_chains(facts: ProgramFacts, enabled: list[_Variable]) -> list[_Variable]:
    """Which enabled variables can really go, last definition first in each block: a definition
    must end up right before the statement now holding its read, and no expression moved there
    earlier may sit before the read (that would swap their order of evaluation)."""
    by_block: dict = {}
    for variable in enabled:
        by_block.setdefault(variable.block, {})[variable.index] = variable
    chosen = []
    for block in by_block.values():
        landed: dict[int, int] = {}  # def index -> index of the statement that took its value
        for index in sorted(block, reverse=True):
            variable = block[index]
            following = index + 1
            while following in landed:
                following += 1
            holder, prefix = variable.use_index, list(variable.prefix)
            while holder in landed:
                prefix += block[holder].prefix
                holder = landed[holder]
            if holder != following:
                continue
            moved_reads = {block[i].use for i in landed}
            if any(n in moved_reads for item in prefix for n in _names(item)):
                continue
            landed[index] = variable.use_index
            chosen.append(variable)
    return chosen


def _names(node: cst.CSTNode) -> list[cst.Name]:
    return [node] if isinstance(node, cst.Name) else find_nodes(node, cst.Name)


# ---------------------------------------------------------------------------------------------
# Tiny functions
# ---------------------------------------------------------------------------------------------


def _function_candidates(facts: ProgramFacts, variable_uses: set) -> list[_Function]:
    functions = []
    for definition in facts.functions:
        candidate = _function_candidate(facts, definition, variable_uses)
        if candidate is not None:
            functions.append(candidate)
    # A call inside another candidate's body would be copied, not replaced: leave such callees.
    changed = True
    while changed:
        changed = False
        bodies = {f.definition for f in functions}
        for function in list(functions):
            if any(
                any(a in bodies and a is not function.definition for a in facts.ancestors(call))
                for call in function.calls
            ):
                functions.remove(function)
                changed = True
    return [f for f in functions if f.saving > 0]


def _function_candidate(facts: ProgramFacts, definition: cst.FunctionDef, variable_uses: set) -> _Function | None:
    expression = _returned_expression(definition)
    scope = facts.scopes.get(definition)
    name = definition.name.value
    params = definition.params
    if (
        expression is None
        or definition.decorators
        or definition.returns is not None
        or definition.asynchronous is not None
        or not isinstance(scope, (GlobalScope, FunctionScope))
        or facts.name_untouchable(name)
        or facts.redirected(scope, name)
        or params.posonly_params
        or params.kwonly_params
        or params.star_arg is not cst.MaybeSentinel.DEFAULT
        or params.star_kwarg is not None
        or any(p.default is not None or p.annotation is not None for p in params.params)
        or find_nodes(expression, *UNMOVABLE, cst.Lambda, cst.GeneratorExp, names=("super", "__class__"))
    ):
        return None
    assignments = scope.assignments[name]
    if len(assignments) != 1:
        return None
    param_names = [p.name.value for p in params.params]
    calls = []
    for access in next(iter(assignments)).references:
        call = facts.parent(access.node)
        if not (isinstance(call, cst.Call) and call.func is access.node):
            return None
        if not _call_site_ok(facts, definition, expression, param_names, call, variable_uses):
            return None
        calls.append(call)
    if not calls:
        return None
    start = facts.positions[definition].start
    function = _Function(definition, expression, param_names, calls, (start.line, start.column))
    function.saving = len(code(definition)) + sum(
        len(code(call)) - len(code(_substituted(facts, function, call))) for call in calls
    )
    return function


def _returned_expression(definition: cst.FunctionDef) -> cst.BaseExpression | None:
    body = definition.body
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    if len(statements) != 1 or not isinstance(statements[0], (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return None
    small = statements[0].body
    if len(small) != 1 or not isinstance(small[0], cst.Return) or small[0].value is None:
        return None
    return small[0].value


def _call_site_ok(facts, definition, expression, param_names, call: cst.Call, variable_uses) -> bool:
    site_scope = facts.scopes.get(call)
    if isinstance(site_scope, ClassScope) or site_scope is None:
        return False
    if any(a is definition for a in facts.ancestors(call)):
        return False  # recursion
    if not facts.definitely_bound(call.func) or len(call.args) != len(param_names):
        return False
    if inside_fstring(facts, call) and not fstring_safe(expression):
        return False
    bound_inside = {n.value for f in find_nodes(expression, cst.CompFor) for n in _names(f.target)}
    for arg in call.args:
        if arg.star or arg.keyword is not None:
            return False
        value = arg.value
        if isinstance(value, cst.Name):
            if value in variable_uses or value.value in bound_inside:
                return False
            if not (facts.definitely_bound(value) and facts.stable(value)):
                return False
        elif not (_literal(value) and facts.const_value(value) is not NOT_CONSTANT):
            return False
    # Free names of EXPR must mean the same at the call site.
    captured = captured_names(facts)
    for name in find_nodes(expression, cst.Name):
        referents = facts.referents(name)
        if referents is None or name.value in param_names:
            continue
        if name.value in captured:
            return False  # a match pattern may bind it at the call site, unseen by libcst
        if any(getattr(a.scope, "node", None) is not None and _within(facts, a.scope.node, expression) for a in referents):
            continue  # bound by a comprehension inside EXPR
        if set(site_scope[name.value]) != referents:
            return False
    return True


def _literal(node) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return isinstance(node.expression, (cst.Integer, cst.Float))
    return isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)) or (
        isinstance(node, cst.Name) and node.value in ("True", "False", "None")
    )


def _within(facts, node, container) -> bool:
    return node is container or any(a is container for a in facts.ancestors(node))


def _substituted(facts: ProgramFacts, function: _Function, call: cst.Call) -> cst.BaseExpression:
    arguments = {p: a.value for p, a in zip(function.params, call.args)}
    body = function.expression.visit(_Substitute(facts, function.definition, arguments))
    return fit(body.with_changes(lpar=[], rpar=[]) if hasattr(body, "lpar") else body,
               facts.parent(call), call)


class _Substitute(cst.CSTTransformer):
    """Parameters of a tiny function replaced by the call's arguments."""

    def __init__(self, facts: ProgramFacts, definition: cst.FunctionDef, arguments: dict):
        super().__init__()
        self.facts = facts
        self.params = set(definition.params.params)
        self.arguments = arguments

    def leave_Name(self, original, updated):
        referents = self.facts.referents(original)
        # Only reads of the parameter itself: not a comprehension variable shadowing it.
        if referents and all(getattr(a, "node", None) in self.params for a in referents):
            return fit(self.arguments[original.value], self.facts.parent(original), original)
        return updated


# ---------------------------------------------------------------------------------------------
# Rewriting
# ---------------------------------------------------------------------------------------------


class _Rewriter(StatementRemover):
    def __init__(self, facts: ProgramFacts, variables: list[_Variable], functions: list[_Function]):
        super().__init__({v.assign for v in variables} | {f.definition for f in functions})
        self.facts = facts
        self.by_assign = {v.assign: v for v in variables}
        self.by_use = {v.use: v for v in variables}
        self.moved: dict[_Variable, cst.BaseExpression] = {}
        self.calls = {call: function for function in functions for call in function.calls}

    def on_leave(self, original, updated):
        if original in self.calls:
            # Substitution works on the original body; the call's own arguments are atoms.
            return _substituted(self.facts, self.calls[original], original)
        if original in self.by_assign:
            self.moved[self.by_assign[original]] = updated.value
        elif original in self.by_use:
            value = self.moved[self.by_use[original]]
            return fit(value, self.facts.parent(original), original)
        return super().on_leave(original, updated)
