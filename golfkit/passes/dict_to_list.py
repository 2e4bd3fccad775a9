"""Dicts whose keys never show become lists indexed by position.

A name ``D`` bound once (module global or function local) to a dict display with constant keys
(literals, f-strings without fields, names bound once to a constant) is a *candidate* when every
reference to it is one of:

- ``D[k]`` read (Load context) with ``k`` a constant key of the display;
- ``D.values()`` iterated: the iterable of a ``for`` or comprehension clause, ``*D.values()``, or
  the argument of a builtin that only iterates it (``list``, ``tuple``, ``sorted``, ``sum``, ...);
- ``len(D)``;
- ``D[k] = v`` with a new constant key, in the run of statements right after the display (the
  *stores*, see below).

Anything else (passing ``D`` anywhere, ``.keys()``/``.items()``/``.get``, ``k in D``, computed
keys, other stores, ``del``) keeps ``D`` a dict, and so does eval/exec/globals()/getattr & co.
anywhere in the program, or any way to reach it without its name (frames, ``gc``, ``__main__``).

Sites, numbered per candidate in source order of the displays; for each, first its merges in
store order, then its conversion:

- a *merge* folds one store ``D[k] = v`` into the display as its new last entry and drops the
  store. The stores must follow the display in its block with nothing between but ``pass``,
  strings and bindings of names to constants that no other scope and no moved value reads; no
  loop, ``try`` or ``with`` may enclose them, and every scope naming ``D`` must come after the
  last store. So nothing can see the dict half-built, and moving ``v`` up changes no outcome.
  Merges form a prefix: a merge applies only when every earlier merge into the same display does,
  so that entries keep the order of insertion.
- a *conversion* turns the display into a list of its values (merged entries included), every
  ``D[k]`` into ``D[i]`` with ``i`` the key's position and ``D.values()`` into ``D``; it applies
  only when every merge of the candidate does (no store may remain), and is proposed only when
  it is shorter.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import (
    Assignment,
    ExpressionContext,
    ExpressionContextProvider,
    FunctionScope,
    GlobalScope,
)

from golfkit.analysis import (
    LAMBDA,
    NOT_CONSTANT,
    ProgramFacts,
    StatementRemover,
    Vocabulary,
    assigned_targets,
    code,
    display_separators,
    distinct_keys,
    glued_follower,
    inert_statement,
    iterated_once,
    precedence,
    reaches_values_without_names,
    walk,
)
from golfkit.analysis.syntax import binds_one_name
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import captured_names, known_constant_key


@dataclass(eq=False)
class _Store:
    """``D[k] = v``, a small statement of the run right after the display."""

    statement: cst.Assign
    key: cst.BaseExpression
    value: cst.BaseExpression


@dataclass(eq=False)
class _Candidate:
    name: str
    display: cst.Dict
    position: tuple[int, int]
    stores: list[_Store] = field(default_factory=list)
    # Index expression of each ``D[k]`` read -> the key's position among the entries.
    reads: dict = field(default_factory=dict)
    values_calls: list[cst.Call] = field(default_factory=list)
    followers: list[cst.CSTNode] = field(default_factory=list)  # need a space once ``.values()`` goes
    convertible: bool = False
    layout_separator: bool = True  # merged entries copy the display's own separators


class DictToListPass(Pass):
    name = "dict-to-list"
    description = "Turn dicts read only by constant keys, .values() and len() into lists; fold later stores into the display."
    safety = Safety.SAFE
    safety_statement = (
        "A dict qualifies only when its name is bound once, by a display with distinct constant "
        "keys, and every reference is a constant-key read, an iteration of .values(), len(), or a "
        "store of a new constant key right after the display; no eval/exec/globals()/getattr, "
        "frame, gc or __main__ access exists anywhere. Then only the values and their order can "
        "show, and a list of the values in insertion order gives the same reads, iterations and "
        "length; values are evaluated in the same order (the dropped keys are constants). A store "
        "is folded into the display only when the statements between are constant bindings of "
        "names nothing else can see, no loop, try or with encloses them, and no scope that names "
        "the dict exists before the store, so nothing can observe the dict or the reordering."
    )

    metadata = (ExpressionContextProvider,)
    example = (
        "cost = {'a': 3, 'b': 5}\ncost['c'] = 7\nprint(cost['b'], sum(cost.values()), len(cost))\n",
        "cost = [3, 5, 7]\nprint(cost[1], sum(cost), len(cost))\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        dynamic = facts.dynamic
        if dynamic.scope_by_string or dynamic.any_attribute_by_string or dynamic.attribute_strings:
            raise Skip("the program reaches names or attributes through strings (eval/exec/globals/getattr)")
        words = facts.vocabulary
        if reaches_values_without_names(words.names, words.attributes, words.modules):
            raise Skip("the program can reach values without their names (frames, gc, __main__)")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        sites = []
        for candidate in _plan(facts):
            sites += [Site((candidate, number), f"merge {candidate.name}[{code(store.key)}] into its display")
                      for number, store in enumerate(candidate.stores)]
            if candidate.convertible:
                sites.append(Site((candidate, None), f"dict {candidate.name} to a list"))
        return sites

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        enabled = {site.target for site in sites}  # (candidate, store number or None: the conversion)
        chosen, conversions = {}, []
        for candidate in dict.fromkeys(site.target[0] for site in sites):
            # A merge after a left-out one would put its entry before the left-out store's.
            unbroken = 0
            while (candidate, unbroken) in enabled:
                unbroken += 1
            chosen[candidate] = candidate.stores[:unbroken]
            if (candidate, None) in enabled and unbroken == len(candidate.stores):
                conversions.append(candidate)
        return facts.module.visit(_Rewriter(chosen, conversions)).code


# ---------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------


def _plan(facts: ProgramFacts) -> list[_Candidate]:
    words = facts.vocabulary
    contexts = facts.wrapper.resolve(ExpressionContextProvider)
    candidates = []
    for statement in facts.nodes(cst.Assign):
        if binds_one_name(statement, cst.Dict):
            candidate = _candidate(facts, contexts, words, statement)
            if candidate is not None:
                candidates.append(candidate)
    candidates.sort(key=lambda c: c.position)
    return candidates


def _candidate(facts: ProgramFacts, contexts, words: Vocabulary, statement: cst.Assign) -> _Candidate | None:
    target = statement.targets[0].target
    name = target.value
    scope = facts.scopes.get(target)
    if not isinstance(scope, (GlobalScope, FunctionScope)) or isinstance(getattr(scope, "node", None), cst.Lambda):
        return None
    if facts.name_untouchable(name) or name in words.declared or name in words.imported_names:
        return None
    if isinstance(scope, GlobalScope) and hasattr(builtins, name):
        return None  # a read before the binding would see the builtin
    assignments = list(scope.assignments[name])
    if len(assignments) != 1 or type(assignments[0]) is not Assignment or assignments[0].node is not target:
        return None
    (assignment,) = assignments

    display: cst.Dict = statement.value
    keys = []
    for element in display.elements:
        if not isinstance(element, cst.DictElement):
            return None
        value = known_constant_key(facts, element.key)
        if value is NOT_CONSTANT:
            return None
        keys.append(value)
    if not distinct_keys(keys):
        return None

    position = facts.positions[display].start
    candidate = _Candidate(name, display, (position.line, position.column))
    stores: list[cst.Name] = []
    reads: list[tuple[cst.BaseExpression, object]] = []
    for access in assignment.references:
        node = access.node
        if not isinstance(node, cst.Name) or access.is_annotation or access.is_type_hint:
            return None
        shape = _classify(facts, contexts, node)
        if shape is None:
            return None
        kind, detail = shape
        if kind == "store":
            stores.append(node)
        elif kind == "read":
            reads.append(detail)
        elif kind == "values":
            candidate.values_calls.append(detail)
            follower = glued_follower(facts, detail)
            if follower is not None:
                candidate.followers.append(follower)

    if stores:
        run = _merge_run(facts, scope, statement, name, keys)
        if run is None or {id(store.statement.targets[0].target.value) for store in run} != {id(n) for n in stores}:
            return None
        if len(run) != len(stores) or not _merge_allowed(facts, scope, assignment, statement, run):
            return None
        candidate.stores = run
        keys = keys + [known_constant_key(facts, store.key) for store in run]

    index_of = {}
    for index, key in enumerate(keys):
        index_of[key] = index
    for index_node, key in reads:
        if key not in index_of:
            return None  # a KeyError the list would not raise the same way
        candidate.reads[index_node] = index_of[key]

    candidate.convertible = _conversion_saving(candidate) > 0
    candidate.layout_separator = all(
        _merged_length(candidate.display, store, layout=True) <= _store_length(store) for store in candidate.stores
    )
    return candidate


def _classify(facts: ProgramFacts, contexts, node: cst.Name):
    """How a reference to the dict uses it: ("store", None), ("read", (index, key)), ("values",
    call), ("len", None), or None for anything that lets the dict itself be seen."""
    for ancestor in facts.ancestors(node):
        if isinstance(ancestor, cst.FormattedStringExpression) and ancestor.equal is not None:
            return None  # ``{D['k']=}`` prints its own text
        if isinstance(ancestor, cst.BaseStatement):
            break
    parent = facts.parent(node)
    if isinstance(parent, cst.Subscript) and parent.value is node:
        if len(parent.slice) != 1 or not isinstance(parent.slice[0].slice, cst.Index):
            return None
        index = parent.slice[0].slice
        if index.star is not None:
            return None
        context = contexts.get(parent)
        if context is ExpressionContext.STORE:
            target = facts.parent(parent)
            assign = facts.parent(target)
            if isinstance(target, cst.AssignTarget) and isinstance(assign, cst.Assign) and len(assign.targets) == 1:
                return ("store", None)
            return None
        if context is not ExpressionContext.LOAD:
            return None
        key = known_constant_key(facts, index.value)
        if key is NOT_CONSTANT:
            return None
        return ("read", (index.value, key))
    if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value == "values":
        call = facts.parent(parent)
        if isinstance(call, cst.Call) and call.func is parent and not call.args and iterated_once(facts, call):
            return ("values", call)
        return None
    if isinstance(parent, cst.Arg) and parent.value is node and not parent.star and parent.keyword is None:
        call = facts.parent(parent)
        # (``len`` bound by a match pattern is not the builtin, though libcst reads it so)
        if isinstance(call, cst.Call) and len(call.args) == 1 and facts.reads_builtin(call.func, {"len"} - captured_names(facts)):
            return ("len", None)
    return None


# --- merging ---------------------------------------------------------------------------------


def _merge_run(facts: ProgramFacts, scope, statement: cst.Assign, name: str, keys: list) -> list[_Store] | None:
    """The stores ``D[k] = v`` that follow the display in its block, possibly with inert
    statements between; the run ends at the first other statement."""
    line = facts.parent(statement)
    if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return None
    # The small statements after the display on its line, then those of the following lines (a
    # compound statement counts as one).
    smalls = list(line.body[line.body.index(statement) + 1 :])
    block = facts.parent(line)
    if isinstance(line, cst.SimpleStatementLine) and isinstance(block, (cst.Module, cst.IndentedBlock)):
        for following in block.body[block.body.index(line) + 1 :]:
            smalls.extend(following.body if isinstance(following, cst.SimpleStatementLine) else [following])
    run: list[_Store] = []
    seen = list(keys)
    pending: list[cst.CSTNode] = []  # inert statements not yet followed by a store
    self_inert: list[cst.CSTNode] = []

    def take(small) -> bool:
        store = _as_store(small, name)
        if store is not None:
            key = known_constant_key(facts, store.key)
            if key is NOT_CONSTANT or not distinct_keys([*seen, key]):
                return False
            seen.append(key)
            run.append(store)
            self_inert.extend(pending)
            pending.clear()
            return True
        if inert_statement(facts, small):
            pending.append(small)
            return True
        return False

    for small in smalls:
        if not take(small):
            break
    return run if _inert_names_private(facts, scope, self_inert, run) else None


def _as_store(small: cst.CSTNode, name: str) -> _Store | None:
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if not (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and target.value.value == name):
        return None
    if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index) or target.slice[0].slice.star:
        return None
    return _Store(small, target.slice[0].slice.value, small.value)


def _inert_names_private(facts: ProgramFacts, scope, inert: list, run: list[_Store]) -> bool:
    """Names bound by the statements a store moves past are read only by the dict's own scope
    (no function can see them while the value runs) and never inside a moved key or value."""
    # The key moves up too: merged alone, it is evaluated in the display.
    moved = {id(n) for store in run for part in (store.key, store.value) for n in walk(part)}
    for statement in inert:
        for target in assigned_targets(statement):
            name = target.value
            if facts.name_untouchable(name) or (id(scope), name) in facts.remote_writes:
                return False
            for assignment in scope.assignments[name]:
                for access in assignment.references:
                    if facts.scopes.get(access.node) is not scope or id(access.node) in moved:
                        return False
    return True


def _merge_allowed(facts: ProgramFacts, scope, assignment, statement: cst.Assign, run: list[_Store]) -> bool:
    """Nothing can observe the dict between its display and its last store."""
    # A loop could run a later closure during a store; a try or with could read the dict after
    # a store raised, where it would now be unbound.
    owner = getattr(scope, "node", None)  # the def, or None for the module
    for ancestor in facts.ancestors(statement):
        if ancestor is owner:
            break
        if isinstance(ancestor, (cst.For, cst.While, cst.Try, cst.TryStar, cst.With)):
            return False
    start = facts.positions[statement].start
    end = facts.positions[run[-1].statement].end
    store_names = {id(store.statement.targets[0].target.value) for store in run}
    for access in assignment.references:
        node = access.node
        access_scope = facts.scopes.get(node)
        if access_scope is None:
            return False
        if access_scope is not scope:
            # Every scope naming the dict is created after the stores ran.
            if _before_or_at(facts.positions[access_scope.node].start, end):
                return False
        elif id(node) not in store_names:
            here = facts.positions[node].start
            if _before_or_at(start, here) and _before_or_at(here, end):
                return False
    return True


def _before_or_at(a, b) -> bool:
    return (a.line, a.column) <= (b.line, b.column)


# --- lengths ---------------------------------------------------------------------------------


def _conversion_saving(candidate: _Candidate) -> int:
    """Characters the conversion saves at least (whitespace around colons is not counted)."""
    saving = sum(len(code(element.key)) + 1 for element in candidate.display.elements)
    saving += sum(len(code(store.key)) + 1 for store in candidate.stores)
    saving += sum(len(code(node)) - len(str(index)) for node, index in candidate.reads.items())
    return saving + len(".values()") * len(candidate.values_calls)


def _store_length(store: _Store) -> int:
    """What dropping a store removes at least: its text and a newline or semicolon."""
    return len(code(store.statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT))) + 1


def _merged_length(display: cst.Dict, store: _Store, layout: bool) -> int:
    """What a merged entry adds: a separator, ``key: value``."""
    separator = display_separators(display, layout)[0]
    return len(code(separator)) + len(code(_entry(store, cst.MaybeSentinel.DEFAULT)))


def _entry(store: _Store, comma) -> cst.DictElement:
    value = store.value
    if precedence(value) < LAMBDA:  # ``D[k] = 1, 2`` stores a tuple
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.DictElement(
        key=store.key,
        value=value,
        whitespace_before_colon=cst.SimpleWhitespace(""),
        whitespace_after_colon=cst.SimpleWhitespace(" "),
        comma=comma,
    )


# ---------------------------------------------------------------------------------------------
# Rewriting
# ---------------------------------------------------------------------------------------------


class _Reads(cst.CSTTransformer):
    """Rewrites reads of converted dicts: ``D[k]`` -> ``D[i]``, ``D.values()`` -> ``D``."""

    def __init__(self, conversions: list[_Candidate]):
        super().__init__()
        self.indexes = {}
        self.values_calls = {}
        self.followers = set()
        for candidate in conversions:
            self.followers.update(candidate.followers)
            for node, index in candidate.reads.items():
                self.indexes[node] = index
            for call in candidate.values_calls:
                self.values_calls[call] = candidate.name

    def on_leave(self, original, updated):
        if original in self.indexes:
            return cst.Integer(str(self.indexes[original]))
        if original in self.values_calls:
            return cst.Name(self.values_calls[original], lpar=updated.lpar, rpar=updated.rpar)
        if original in self.followers:
            return updated.with_changes(whitespace_before=cst.SimpleWhitespace(" "))
        return updated


class _Rewriter(StatementRemover):
    """Folds the chosen stores into their displays (dropping the stores), converts displays and
    rewrites the reads of converted dicts."""

    def __init__(self, chosen: dict[_Candidate, list[_Store]], conversions: list[_Candidate]):
        super().__init__({store.statement for stores in chosen.values() for store in stores})
        self.reads = _Reads(conversions)
        self.converted = {candidate.display for candidate in conversions}
        self.merged: dict[cst.Dict, tuple[_Candidate, list[_Store]]] = {
            candidate.display: (candidate, stores)
            for candidate, stores in chosen.items()
            if stores or candidate.display in self.converted
        }

    def on_leave(self, original, updated):
        if original in self.merged:
            candidate, chosen = self.merged[original]
            display = self._merge(candidate, updated, chosen)
            return _as_list(display) if original in self.converted else display
        replaced = self.reads.on_leave(original, updated)
        if replaced is not updated:
            return replaced
        return super().on_leave(original, updated)

    def _merge(self, candidate: _Candidate, display: cst.Dict, chosen: list[_Store]) -> cst.Dict:
        if not chosen:
            return display
        separator, trailing = display_separators(candidate.display, candidate.layout_separator)
        elements = list(display.elements)
        if elements:
            elements[-1] = elements[-1].with_changes(comma=separator)
        for number, store in enumerate(chosen):
            # The moved value may itself read converted dicts.
            moved = _Store(store.statement, store.key, store.value.visit(self.reads))
            last = number == len(chosen) - 1
            elements.append(_entry(moved, trailing if last else separator))
        return display.with_changes(elements=elements)


def _as_list(display: cst.Dict) -> cst.List:
    return cst.List(
        elements=[cst.Element(value=element.value, comma=element.comma) for element in display.elements],
        lbracket=cst.LeftSquareBracket(whitespace_after=display.lbrace.whitespace_after),
        rbracket=cst.RightSquareBracket(whitespace_before=display.rbrace.whitespace_before),
        lpar=display.lpar,
        rpar=display.rpar,
    )
