"""Short global aliases for often used builtins (``R=range``) and called module attributes
(``G=random.gauss``), where the alias costs less than it saves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Collection

import libcst as cst
from libcst.metadata import BuiltinScope, ExpressionContext

from golfkit.rename.names import candidates
from golfkit.rename.scopes import ScopeIndex

# Builtins whose behaviour depends on being spelled as written (zero-argument ``super`` needs the
# ``__class__`` cell its name creates) or that inspect the calling frame.
NEVER_ALIASED = frozenset(
    {"super", "locals", "vars", "globals", "eval", "exec", "dir", "breakpoint", "True", "False", "None"}
)


@dataclass(eq=False)
class AliasSite:
    target: str  # what the alias stands for: "range" or "random.gauss"
    value: cst.BaseExpression  # the alias statement's right-hand side
    uses: list[cst.CSTNode]  # the Names (builtins) or Attributes (module attributes) replaced
    after: cst.CSTNode | None  # the module-level statement the alias follows (None: the top)
    first: int = -1  # where its first use appears, as a rank in source order
    weight: int = field(init=False)

    def __post_init__(self):
        self.weight = len(self.uses) * (len(self.target) - 1)

    def saving(self, alias: str) -> int:
        statement = len(f"{alias}={self.target}\n")
        return len(self.uses) * (len(self.target) - len(alias)) - statement


def alias_sites(index: ScopeIndex) -> list[AliasSite]:
    """Every alias that pays with a one-letter name, in order of first use."""
    if index.dynamic.scope_by_string:
        return []
    sites = _builtin_sites(index) + _module_attribute_sites(index)
    sites = [site for site in sites if site.saving("x") > 0]
    return sorted(sites, key=lambda s: (s.first, s.target))


def _debug_fstring_names(index: ScopeIndex) -> set[cst.CSTNode]:
    """Nodes inside ``f"{expr=}"``: their text is printed, so they stay as written."""
    inside = set()
    for expression in index.all_of(cst.FormattedStringExpression):
        if expression.equal is not None:
            inside.update(index.names_in(expression.expression))
    return inside


def _bound_names(index: ScopeIndex) -> set[str]:
    bound = {a.name for scope in index.scopes for a in scope.assignments}
    bound |= index.patterns.names  # captures, which libcst records as reads
    for statement in index.all_of((cst.Global, cst.Nonlocal)):
        bound.update(item.name.value for item in statement.names)
    return bound


def _builtin_sites(index: ScopeIndex) -> list[AliasSite]:
    bound = _bound_names(index)  # shadowed somewhere: libcst's reading of it is not trusted
    printed = _debug_fstring_names(index)
    keywords = index.patterns.keywords  # ``case C(id=...)`` names an attribute, not the builtin
    uses: dict[str, list[cst.Name]] = {}
    for node, access in index.access_of.items():
        if not isinstance(node, cst.Name) or node in printed or node in keywords or not access.referents:
            continue
        if index.in_lazy_annotation(node):
            continue  # the annotation is stored as its text, which must not change
        if all(isinstance(r.scope, BuiltinScope) for r in access.referents):
            uses.setdefault(node.value, []).append(node)
    sites = []
    for name, nodes in uses.items():
        if name in bound or name in NEVER_ALIASED or name.startswith("_"):
            continue
        if any(index.context.get(node) is not ExpressionContext.LOAD for node in nodes):
            continue  # `del len` must keep failing
        nodes.sort(key=index.rank)
        sites.append(AliasSite(name, cst.Name(name), nodes, None, index.rank(nodes[0])))
    return sites


def _module_attribute_sites(index: ScopeIndex) -> list[AliasSite]:
    """``m.f(...)`` where ``m`` comes from a top-level ``import`` and ``m.f`` is only ever called:
    a function of a module the program never modifies (the attribute is read once, up front)."""
    dynamic = index.dynamic
    if dynamic.any_attribute_by_string:
        return []
    printed = _debug_fstring_names(index)
    uses: dict[tuple[cst.Import, str, str], list[cst.Attribute]] = {}
    spoiled: set[tuple[cst.Import, str, str]] = set()
    escaped: set[cst.Import] = set()
    for node, access in index.access_of.items():
        statement = _top_level_import(index, access)
        if statement is None or not isinstance(node, cst.Name):
            continue
        attribute = index.parent.get(node)
        if not (isinstance(attribute, cst.Attribute) and attribute.value is node):
            escaped.add(statement)  # the module is passed around: its attributes may change
            continue
        key = (statement, node.value, attribute.attr.value)
        uses.setdefault(key, []).append(attribute)
        call = index.parent.get(attribute)
        called = isinstance(call, cst.Call) and call.func is attribute
        if not called or node in printed or attribute.attr.value in dynamic.attribute_strings:
            spoiled.add(key)
        elif index.in_lazy_annotation(node):
            spoiled.add(key)  # annotation text must stay as written
    sites = []
    for key, attributes in uses.items():
        statement, module, attr = key
        if key in spoiled or statement in escaped or attr.startswith("_"):
            continue
        line = index.parent[statement]
        if any(index.rank(a) < index.rank(line) for a in attributes):
            continue
        attributes.sort(key=index.rank)
        value = cst.Attribute(value=cst.Name(module), attr=cst.Name(attr))
        sites.append(AliasSite(f"{module}.{attr}", value, attributes, line, index.rank(attributes[0])))
    return sites


def _top_level_import(index: ScopeIndex, access) -> cst.Import | None:
    """The module-level ``import`` statement a read resolves to, when it is the only binding."""
    if len(access.referents) != 1:
        return None
    (assignment,) = access.referents
    statement = getattr(assignment, "node", None)
    if not isinstance(statement, cst.Import) or len(assignment.scope.assignments[assignment.name]) != 1:
        return None
    line = index.parent.get(statement)
    if not isinstance(line, cst.SimpleStatementLine) or not isinstance(index.parent.get(line), cst.Module):
        return None
    return statement


def choose_aliases(index: ScopeIndex, sites: list[AliasSite], enabled: Collection[AliasSite],
                   size: Callable[[str], int] | None = None) -> dict[AliasSite, str]:
    """Fresh names for the enabled sites, most valuable first, kept only where they pay: where the
    raw text gets shorter; with ``size`` (the shipped size of a text, which for a packed file follows
    the compressed stream, not the raw length), also only where the text with the alias is smaller
    by that measure than without it (tried one at a time, each on top of those kept before)."""
    taken = _global_names(index)
    chosen = {}
    current = size(index.module.code) if size is not None else None
    for site in sorted((s for s in sites if s in enabled), key=lambda s: (-s.weight, s.first)):
        visible = set(taken)
        for use in site.uses:
            for scope in index.lookup_path(index.scope_of[use], None):
                visible |= _scope_names(scope)
        name = next(n for n in candidates() if n not in visible)
        if site.saving(name) <= 0:
            continue
        if size is not None:
            measured = size(apply_aliases(index, {**chosen, site: name}))
            if measured >= current:
                continue
            current = measured
        chosen[site] = name
        taken.add(name)
    return chosen


def _scope_names(scope) -> set[str]:
    """Names bound or read in a scope: a new global of that name would be shadowed there."""
    names = {assignment.name for assignment in scope.assignments}
    names.update(access.node.value for access in scope.accesses if isinstance(access.node, cst.Name))
    return names


def _global_names(index: ScopeIndex) -> set[str]:
    """Names a new global would capture: globals, and every read that ends in the global or
    builtin namespace (or nowhere) from any scope; plus walrus targets, which libcst places in
    comprehensions though they bind around them."""
    taken = _scope_names(index.global_scope)
    for statement in index.all_of((cst.Global, cst.Nonlocal)):
        taken.update(item.name.value for item in statement.names)
    for node, access in index.access_of.items():
        reaches_out = not access.referents or any(
            isinstance(r.scope, (BuiltinScope, type(index.global_scope))) for r in access.referents
        )
        if isinstance(node, cst.Name) and reaches_out:
            taken.add(node.value)
    taken.update(w.target.value for w in index.all_of(cst.NamedExpr) if isinstance(w.target, cst.Name))
    return taken


class _Aliaser(cst.CSTTransformer):
    def __init__(self, chosen: dict[AliasSite, str]):
        super().__init__()
        self.replace = {use: name for site, name in chosen.items() for use in site.uses}
        ordered = sorted(chosen.items(), key=lambda item: item[0].first)
        self.top = [_statement(name, site) for site, name in ordered if site.after is None]
        self.after: dict[cst.CSTNode, list[cst.SimpleStatementLine]] = {}
        for site, name in ordered:
            if site.after is not None:
                self.after.setdefault(site.after, []).append(_statement(name, site))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        name = self.replace.get(original)
        return updated if name is None else updated.with_changes(value=name)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = self.replace.get(original)
        return updated if name is None else cst.Name(name, lpar=updated.lpar, rpar=updated.rpar)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body = []
        for old, new in zip(original.body, updated.body):
            body.append(new)
            body.extend(self.after.get(old, []))
        start = _preamble_length(updated.body)
        body[start:start] = self.top
        return updated.with_changes(body=body)


def _statement(name: str, site: AliasSite) -> cst.SimpleStatementLine:
    no_space = cst.SimpleWhitespace("")
    target = cst.AssignTarget(cst.Name(name), whitespace_before_equal=no_space, whitespace_after_equal=no_space)
    return cst.SimpleStatementLine([cst.Assign([target], site.value)])


def _preamble_length(body) -> int:
    """Statements that must stay first: the docstring and ``from __future__`` imports."""
    count = 0
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            break
        small = statement.body[0]
        docstring = count == 0 and isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
        future = isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name) and small.module.value == "__future__"
        if not (docstring or future):
            break
        count += 1
    return count


def apply_aliases(index: ScopeIndex, chosen: dict[AliasSite, str]) -> str:
    if not chosen:
        return index.module.code
    return index.module.visit(_Aliaser(chosen)).code
