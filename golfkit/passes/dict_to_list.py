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

import ast
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

from golfkit.passes._effects import (
    LAMBDA,
    NOT_CONSTANT,
    ProgramFacts,
    StatementRemover,
    code,
    precedence,
    program_facts,
)
from golfkit.passes.base import Edits, Pass, PassContext, Safety

# Key values a display may hold: hashing and comparing them runs no user code.
_KEY_TYPES = (str, bytes, int, float, complex, bool, type(None))

# Builtins that only iterate their first argument, producing the same result for a dict's values
# as for a list of those values in the same order.
_ITERATING_FIRST = frozenset(
    {"list", "tuple", "set", "frozenset", "sorted", "sum", "any", "all", "enumerate", "min", "max"}
)
# Builtins whose every positional argument after the first (``map``) or every one (``zip``) is
# an iterable.
_ITERATING_LATER = frozenset({"map"})
_ITERATING_ANY = frozenset({"zip"})

# Ways a program reaches a variable's value without spelling its name: frames, closures, the
# garbage collector, the main module. Their presence anywhere keeps every dict as it is.
_ESCAPE_ATTRIBUTES = frozenset(
    {"modules", "_getframe", "f_globals", "f_locals", "f_back", "tb_frame", "gi_frame", "cr_frame",
     "ag_frame", "__globals__", "__closure__", "cell_contents", "get_referrers", "get_objects",
     "settrace", "setprofile"}
)
_ESCAPE_MODULES = frozenset({"__main__", "gc", "inspect", "importlib", "pdb", "bdb", "ctypes"})


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

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        facts = program_facts(source)
        if facts is None:
            return source
        candidates = _plan(facts)
        chosen: dict[_Candidate, list[_Store]] = {}
        conversions: list[_Candidate] = []
        for candidate in candidates:
            merged, unbroken = [], True
            for store in candidate.stores:
                # A merge after a skipped one would put its entry before the skipped store's.
                unbroken = edits.propose() and unbroken
                if unbroken:
                    merged.append(store)
            chosen[candidate] = merged
            if candidate.convertible and edits.propose() and len(merged) == len(candidate.stores):
                conversions.append(candidate)
        if not any(chosen.values()) and not conversions:
            return source
        result = facts.module.visit(_Rewriter(chosen, conversions)).code
        if len(result) > len(source) or len(result.encode()) > len(source.encode()):
            return source
        return result


# ---------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------


def _plan(facts: ProgramFacts) -> list[_Candidate]:
    dynamic = facts.dynamic
    if dynamic.scope_by_string or dynamic.any_attribute_by_string or dynamic.attribute_strings:
        return []
    survey = _Survey()
    facts.module.visit(survey)
    if survey.attributes & _ESCAPE_ATTRIBUTES or survey.names & _ESCAPE_MODULES or survey.modules & _ESCAPE_MODULES:
        return []
    contexts = facts.wrapper.resolve(ExpressionContextProvider)
    candidates = []
    for statement in survey.displays:
        candidate = _candidate(facts, contexts, survey, statement)
        if candidate is not None:
            candidates.append(candidate)
    candidates.sort(key=lambda c: c.position)
    return candidates


class _Survey(cst.CSTVisitor):
    """Names, attributes and imports of the whole program, and every ``name = {...}``."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()
        self.modules: set[str] = set()
        self.imported_names: set[str] = set()  # ``from m import D`` could be the program itself
        self.declared: set[str] = set()
        self.displays: list[cst.Assign] = []

    def visit_Name(self, node):
        self.names.add(node.value)

    def visit_Attribute(self, node):
        self.attributes.add(node.attr.value)

    def visit_Import(self, node):
        for alias in node.names:
            self.modules.update(code(alias.name).split("."))

    def visit_ImportFrom(self, node):
        if node.module is not None:
            self.modules.update(code(node.module).split("."))
        if not isinstance(node.names, cst.ImportStar):
            self.imported_names.update(code(alias.name) for alias in node.names)

    def visit_Global(self, node):
        self.declared.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node):
        self.declared.update(item.name.value for item in node.names)

    def visit_Assign(self, node):
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) and isinstance(node.value, cst.Dict):
            self.displays.append(node)


def _candidate(facts: ProgramFacts, contexts, survey: _Survey, statement: cst.Assign) -> _Candidate | None:
    target = statement.targets[0].target
    name = target.value
    scope = facts.scopes.get(target)
    if not isinstance(scope, (GlobalScope, FunctionScope)) or isinstance(getattr(scope, "node", None), cst.Lambda):
        return None
    if facts.name_untouchable(name) or name in survey.declared or name in survey.imported_names:
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
        value = _key_value(facts, element.key)
        if value is NOT_CONSTANT:
            return None
        keys.append(value)
    if not _distinct(keys):
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
            follower = _follower(facts, detail)
            if follower is not None:
                candidate.followers.append(follower)

    if stores:
        run = _merge_run(facts, scope, statement, name, keys)
        if run is None or {id(store.statement.targets[0].target.value) for store in run} != {id(n) for n in stores}:
            return None
        if len(run) != len(stores) or not _merge_allowed(facts, scope, assignment, statement, run):
            return None
        candidate.stores = run
        keys = keys + [_key_value(facts, store.key) for store in run]

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


def _distinct(keys: list) -> bool:
    """No two keys are equal the way dict keys compare (``1``, ``1.0`` and ``True`` are one key)."""
    seen: dict = {}
    for key in keys:
        if key in seen:
            return False
        seen[key] = True
    return True


def _key_value(facts: ProgramFacts, expr: cst.BaseExpression):
    """The value of a constant key expression, or NOT_CONSTANT."""
    value = facts.const_value(expr)
    if value is NOT_CONSTANT:
        value = _literal_text(expr)
    if value is NOT_CONSTANT and isinstance(expr, cst.Name):
        value = _name_bound_to_text(facts, expr)
    if value is NOT_CONSTANT or not isinstance(value, _KEY_TYPES):
        return NOT_CONSTANT
    return value


def _literal_text(expr: cst.BaseExpression):
    """The text of a string literal, a concatenation of them, or an f-string without fields."""
    if not isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return NOT_CONSTANT
    for node in _walk(expr):
        if isinstance(node, cst.FormattedStringExpression):
            return NOT_CONSTANT
    try:
        tree = ast.parse(f"({code(expr)})", mode="eval").body
    except SyntaxError:
        return NOT_CONSTANT
    if isinstance(tree, ast.Constant):
        return tree.value
    if isinstance(tree, ast.JoinedStr) and all(isinstance(part, ast.Constant) for part in tree.values):
        return "".join(part.value for part in tree.values)
    return NOT_CONSTANT


def _walk(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _walk(child)


def _name_bound_to_text(facts: ProgramFacts, name: cst.Name):
    """``K`` bound once, unconditionally, to a string literal that ``_literal_text`` reads, and
    certainly bound where it is read."""
    referents = facts.referents(name)
    if not referents or len(referents) != 1 or facts.name_untouchable(name.value):
        return NOT_CONSTANT
    (assignment,) = referents
    if len(assignment.scope.assignments[name.value]) != 1:
        return NOT_CONSTANT
    statement = facts.single_name_assignment(assignment)
    if statement is None or (id(assignment.scope), name.value) in facts.remote_writes:
        return NOT_CONSTANT
    if not facts.definitely_bound(name):
        return NOT_CONSTANT
    return _literal_text(statement.value)


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
        key = _key_value(facts, index.value)
        if key is NOT_CONSTANT:
            return None
        return ("read", (index.value, key))
    if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value == "values":
        call = facts.parent(parent)
        if isinstance(call, cst.Call) and call.func is parent and not call.args and _iterated(facts, call):
            return ("values", call)
        return None
    if isinstance(parent, cst.Arg) and parent.value is node and not parent.star and parent.keyword is None:
        call = facts.parent(parent)
        if isinstance(call, cst.Call) and len(call.args) == 1 and _builtin(facts, call.func, {"len"}):
            return ("len", None)
    return None


def _builtin(facts: ProgramFacts, func: cst.BaseExpression, names) -> bool:
    return (
        isinstance(func, cst.Name)
        and func.value in names
        and facts.is_builtin_read(func)
        and not facts.touches_builtins
    )


def _iterated(facts: ProgramFacts, call: cst.Call) -> bool:
    """``call`` (``D.values()``) is only iterated, once, front to back."""
    parent = facts.parent(call)
    if isinstance(parent, cst.For) and parent.iter is call:
        return parent.asynchronous is None
    if isinstance(parent, cst.CompFor) and parent.iter is call:
        return parent.asynchronous is None
    if isinstance(parent, cst.StarredElement):
        return True
    if not isinstance(parent, cst.Arg):
        return False
    if parent.star == "*":
        return True
    outer = facts.parent(parent)
    if parent.star or parent.keyword is not None or not isinstance(outer, cst.Call):
        return False
    if any(arg.star for arg in outer.args):
        return False
    positional = [arg for arg in outer.args if arg.keyword is None]
    place = positional.index(parent)
    if _builtin(facts, outer.func, _ITERATING_FIRST):
        if outer.func.value in ("min", "max") and len(positional) != 1:
            return False  # ``max(D.values(), x)`` compares the view itself
        return place == 0
    if _builtin(facts, outer.func, _ITERATING_LATER):
        return place > 0
    if _builtin(facts, outer.func, _ITERATING_ANY):
        return True
    # ``"sep".join(D.values())``
    func = outer.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "join"
        and isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString))
        and len(outer.args) == 1
    )


# --- merging ---------------------------------------------------------------------------------


def _merge_run(facts: ProgramFacts, scope, statement: cst.Assign, name: str, keys: list) -> list[_Store] | None:
    """The stores ``D[k] = v`` that follow the display in its block, possibly with inert
    statements between; the run ends at the first other statement."""
    line = facts.parent(statement)
    if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return None
    smalls = list(line.body[line.body.index(statement) + 1 :])
    block = facts.parent(line)
    if isinstance(line, cst.SimpleStatementLine) and isinstance(block, (cst.Module, cst.IndentedBlock)):
        following = list(block.body[block.body.index(line) + 1 :])
    else:
        following = []
    run: list[_Store] = []
    seen = list(keys)
    pending: list[cst.CSTNode] = []  # inert statements not yet followed by a store
    self_inert: list[cst.CSTNode] = []

    def take(small) -> bool:
        store = _as_store(small, name)
        if store is not None:
            key = _key_value(facts, store.key)
            if key is NOT_CONSTANT or not _distinct([*seen, key]):
                return False
            seen.append(key)
            run.append(store)
            self_inert.extend(pending)
            pending.clear()
            return True
        if _inert(facts, small):
            pending.append(small)
            return True
        return False

    for small in smalls:
        if not take(small):
            return run if _inert_names_private(facts, scope, self_inert, run) else None
    for following_statement in following:
        if isinstance(following_statement, cst.SimpleStatementLine):
            for small in following_statement.body:
                if not take(small):
                    return run if _inert_names_private(facts, scope, self_inert, run) else None
        elif _inert(facts, following_statement):
            pending.append(following_statement)
        else:
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


def _inert(facts: ProgramFacts, statement: cst.CSTNode) -> bool:
    """A statement whose only effect is binding names to constants (or nothing at all), so a
    value may be evaluated before it instead of after it, provided nothing reads those names."""
    if isinstance(statement, cst.Pass):
        return True
    if isinstance(statement, cst.Expr):
        return isinstance(statement.value, (cst.SimpleString, cst.ConcatenatedString))
    if isinstance(statement, cst.Assign):
        return (
            all(isinstance(t.target, cst.Name) for t in statement.targets)
            and facts.is_pure(statement.value)
            and all(n.value in ("True", "False", "None") for n in _names(statement.value))
        )
    if isinstance(statement, cst.FunctionDef):
        return facts.pure_function_def(statement)
    return False


def _names(node: cst.CSTNode):
    return [n for n in _walk(node) if isinstance(n, cst.Name)]


def _bound_names(statement: cst.CSTNode) -> list[cst.Name]:
    if isinstance(statement, cst.Assign):
        return [t.target for t in statement.targets]
    if isinstance(statement, cst.FunctionDef):
        return [statement.name]
    return []


def _inert_names_private(facts: ProgramFacts, scope, inert: list, run: list[_Store]) -> bool:
    """Names bound by the statements a store moves past are read only by the dict's own scope
    (no function can see them while the value runs) and never inside a moved key or value."""
    # The key moves up too: merged alone, it is evaluated in the display.
    moved = {id(n) for store in run for part in (store.key, store.value) for n in _walk(part)}
    for statement in inert:
        for target in _bound_names(statement):
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
    saving = 0
    for element in candidate.display.elements:
        saving += len(code(element.key)) + 1
    for store in candidate.stores:
        saving += len(code(store.key)) + 1
    for index_node, index in candidate.reads.items():
        saving += len(code(index_node)) - len(str(index))
    saving += len(".values()") * len(candidate.values_calls)
    return saving


def _store_length(store: _Store) -> int:
    """What dropping a store removes at least: its text and a newline or semicolon."""
    return len(code(store.statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT))) + 1


def _merged_length(display: cst.Dict, store: _Store, layout: bool) -> int:
    """What a merged entry adds: a separator, ``key: value``."""
    separator = _separators(display, layout)[0]
    return len(code(separator)) + len(code(_entry(store, cst.MaybeSentinel.DEFAULT)))


def _separators(display: cst.Dict, layout: bool) -> tuple[cst.Comma, cst.Comma | cst.MaybeSentinel]:
    """The comma between entries and the one after the last (kept as the display had it)."""
    elements = display.elements
    compact = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if not elements:
        return compact, cst.MaybeSentinel.DEFAULT
    trailing = elements[-1].comma
    if not layout:
        return compact, trailing
    if len(elements) >= 2 and isinstance(elements[-2].comma, cst.Comma):
        return _without_comment(elements[-2].comma), trailing
    if isinstance(display.lbrace.whitespace_after, cst.ParenthesizedWhitespace):
        return _without_comment(cst.Comma(whitespace_after=display.lbrace.whitespace_after)), trailing
    return compact, trailing


def _without_comment(comma: cst.Comma) -> cst.Comma:
    """The separator's line break and indentation, without the comment of the entry it follows."""
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return comma.with_changes(whitespace_after=after)


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


def _follower(facts: ProgramFacts, call: cst.Call) -> cst.CSTNode | None:
    """The clause right after ``D.values()`` in a comprehension when nothing separates them:
    ``for x in D.values()if c`` must not become ``for x in Dif c``."""
    comp_for = facts.parent(call)
    if not isinstance(comp_for, cst.CompFor):
        return None
    follower = comp_for.ifs[0] if comp_for.ifs else comp_for.inner_for_in
    return follower if follower is not None and _empty(follower.whitespace_before) else None


def _empty(whitespace) -> bool:
    return isinstance(whitespace, cst.SimpleWhitespace) and whitespace.value == ""


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
        separator, trailing = _separators(candidate.display, candidate.layout_separator)
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
