"""ProgramFacts: one parsed program with its libcst metadata (scopes, parents, positions) and the
module-wide facts every pass asks about, computed once per distinct text and shared.

The binding questions are conservative: a name is *definitely bound* only where a binding surely
dominates the read, and *stable* only when nothing but statements of its own scope can rebind it.
Purity and constant questions are mixed in from purity.py and values.py.
"""

from __future__ import annotations

import functools
from functools import cached_property

import libcst as cst
from libcst.metadata import BuiltinAssignment, GlobalScope, MetadataWrapper, PositionProvider, ScopeProvider

from golfkit.analysis.children import child_nodes
from golfkit.analysis.observers import BUILTINS_MODULES, FRAME_READERS, DynamicUse, dynamic_use, reads_own_module
from golfkit.analysis.purity import PurityAnalysis
from golfkit.analysis.syntax import BLOCKS, COMPREHENSIONS, is_dunder, parse
from golfkit.analysis.values import ConstantAnalysis
from golfkit.analysis.vocabulary import Vocabulary


class _Census:
    """One walk over the module collecting the syntactic facts every pass asks about.

    Its own walk rather than a libcst visitor: each node's children are read once (``child_nodes``,
    in libcst's visiting order) and kept, and a node's ``visit_<Type>`` handler is found once per
    node type. The handlers never prune the walk."""

    def __init__(self):
        self.walrus_names: set[str] = set()
        self.deleted_names: set[str] = set()
        self.touches_builtins = False
        self.identity_sensitive = False
        self.attributes: dict[str, list[cst.Attribute]] = {}
        self.declarations: list[cst.Global | cst.Nonlocal] = []
        self.strings: list[str] = []
        self.functions: list[cst.FunctionDef] = []
        self.classes: list[cst.ClassDef] = []
        self.introspection = False  # dir() or the inspect module lists members without naming them
        self._in_del = 0
        # Every node by its exact type, in source order: passes find their sites here instead of
        # walking the whole tree again.
        self.by_type: dict[type, list[cst.CSTNode]] = {}
        # Each node's rank in that walk: sorting nodes of several types into source order needs
        # no positions (resolving those prints the whole module).
        self.order: dict[cst.CSTNode, int] = {}

        # Every node's parent, noted on the way down: the same map as libcst's
        # ParentNodeProvider, for a fraction of its cost (that provider walks the tree once more).
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        # And each node's children, in source order: a read-only walk needs nothing else.
        self.children: dict[cst.CSTNode, list[cst.CSTNode]] = {}

    def walk(self, module: cst.Module) -> None:
        by_type, order, parents, children = self.by_type, self.order, self.parents, self.children
        handlers: dict[type, object] = {}

        def visit(node: cst.CSTNode) -> None:
            kind = type(node)
            same_kind = by_type.get(kind)
            if same_kind is None:
                same_kind = by_type[kind] = []
                handlers[kind] = getattr(self, f"visit_{kind.__name__}", None)
            same_kind.append(node)
            order[node] = len(order)
            handler = handlers[kind]
            if handler is not None:
                handler(node)
            found = child_nodes(node)
            if found:
                children[node] = found
                for child in found:
                    parents[child] = node
                    visit(child)
            if kind is cst.Del:
                self._in_del -= 1

        visit(module)

    def visit_FunctionDef(self, node):
        self.functions.append(node)

    def visit_ClassDef(self, node):
        self.classes.append(node)

    def visit_NamedExpr(self, node):
        if isinstance(node.target, cst.Name):
            self.walrus_names.add(node.target.value)

    def visit_Del(self, node):
        self._in_del += 1

    def visit_ExceptHandler(self, node):
        # ``except E as name`` deletes ``name`` when the handler ends.
        if node.name is not None and isinstance(node.name.name, cst.Name):
            self.deleted_names.add(node.name.name.value)

    def visit_Name(self, node):
        if self._in_del:
            self.deleted_names.add(node.value)
        if node.value in BUILTINS_MODULES:
            self.touches_builtins = True
        if node.value == "inspect":
            self.introspection = True

    def visit_Attribute(self, node):
        self.attributes.setdefault(node.attr.value, []).append(node)

    def visit_Global(self, node):
        self.declarations.append(node)

    def visit_Nonlocal(self, node):
        self.declarations.append(node)

    def visit_Comparison(self, node):
        # ``is`` between anything but None/True/False, or ``id()``: identity can be observed.
        if any(isinstance(t.operator, (cst.Is, cst.IsNot)) for t in node.comparisons):
            operands = [node.left, *(t.comparator for t in node.comparisons)]
            if not any(isinstance(o, cst.Name) and o.value in ("None", "True", "False") for o in operands):
                self.identity_sensitive = True

    def visit_Call(self, node):
        if isinstance(node.func, cst.Name) and node.func.value == "id":
            self.identity_sensitive = True
        if isinstance(node.func, cst.Name) and node.func.value == "dir":
            self.introspection = True

    def visit_SimpleString(self, node):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - an odd literal: keep its raw spelling
            value = node.value
        self.strings.append(value if isinstance(value, str) else repr(value))

    def visit_FormattedStringText(self, node):
        self.strings.append(node.value)


class ProgramFacts(PurityAnalysis, ConstantAnalysis):
    """Metadata and module-wide facts of one parsed program, computed once per distinct text
    (``facts_for``) and shared by every pass that sees it; nothing here changes after creation
    but lazily computed answers."""

    def __init__(self, wrapper: MetadataWrapper):
        self.wrapper = wrapper
        self.module = wrapper.module
        census = _Census()
        census.walk(self.module)
        self.parents = census.parents
        self.dynamic: DynamicUse = dynamic_use(self.module, lambda kind: census.by_type.get(kind, ()))
        # libcst files a walrus inside a comprehension under the comprehension, where Python
        # binds it in the enclosing function: such names are never touched.
        self.walrus_names = frozenset(census.walrus_names)
        self.deleted_names = frozenset(census.deleted_names)
        # A program that reaches the builtins module can rebind any builtin.
        self.touches_builtins = census.touches_builtins
        # The program asks ``id()`` or compares identities of anything but None/True/False, so a
        # literal standing in for a name might be told apart from the object the name held.
        self.identity_sensitive = census.identity_sensitive
        # Every ``something.name`` of the program, by ``name``.
        self.attributes_by_name = census.attributes
        # The text of every string literal, f-string parts included (names hide in them).
        self.string_texts = tuple(census.strings)
        self.functions = tuple(census.functions)
        self.classes = tuple(census.classes)
        self.introspection = census.introspection
        # Names in any ``global`` or ``nonlocal`` statement of the program.
        self.declared_names = frozenset(item.name.value for node in census.declarations for item in node.names)
        self._by_type = census.by_type
        self._children = census.children
        self._declarations = census.declarations
        self._order = census.order

    def derived(self, build):
        """``build(self)``, made once per text: an analysis another package derives from these
        facts (the renamer's scope index), shared by every pass that asks for the same builder."""
        cache = self.__dict__.setdefault("_derived", {})
        if build not in cache:
            cache[build] = build(self)
        return cache[build]

    def walk(self, visitor: cst.CSTVisitor, node: cst.CSTNode | None = None) -> None:
        """``node.visit(visitor)`` (the whole module by default) for a visitor that only reads:
        the same node callbacks in the same order, over the children the census noted, without
        libcst building every node of the tree anew on the way (which its ``visit`` does even for
        a visitor). Attribute callbacks (``visit_If_body``) are not made."""
        children = self._children

        def visit(current: cst.CSTNode) -> None:
            if visitor.on_visit(current):
                for child in children.get(current, ()):
                    visit(child)
            visitor.on_leave(current)

        visit(self.module if node is None else node)

    def rank(self, node: cst.CSTNode) -> int:
        """``node``'s place in the census walk, which is lexical: leaves rank in the order they are
        written, and a node ranks before everything inside it."""
        return self._order[node]

    def nodes(self, *types: type) -> list:
        """Every node of the given exact libcst types (``cst.Call``, ``cst.FunctionDef``...), in
        source order: a pass's sites, found without another walk over the tree."""
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        found = [node for kind in types for node in self._by_type.get(kind, ())]
        found.sort(key=self._order.__getitem__)
        return found

    @cached_property
    def scopes(self):
        """Each node's scope (libcst's ScopeProvider), resolved when a pass first asks: the
        largest part of a text's facts, and some texts only meet passes that never ask."""
        return self.wrapper.resolve(ScopeProvider)

    @cached_property
    def _redirected(self) -> frozenset:
        return frozenset((id(self.scopes.get(node)), item.name.value)
                         for node in self._declarations for item in node.names)

    @cached_property
    def positions(self):
        """Each node's place in the text (libcst's PositionProvider), resolved when a pass first
        asks: it prints the whole module, and many texts are never asked."""
        return self.wrapper.resolve(PositionProvider)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Which words the program spells anywhere, and what they let it observe."""
        return Vocabulary.of(self.module, self.dynamic, lambda kind: self._by_type.get(kind, ()))

    @cached_property
    def module_reachable(self) -> bool:
        """The program can reach its own module object, and so read or rebind its globals."""
        return reads_own_module(self.module, lambda kind: self._by_type.get(kind, ()))

    # --- navigation ----------------------------------------------------------------------------

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def children(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """``node``'s children in source order (libcst's ``node.children``, without its copy)."""
        return list(self._children.get(node, ()))

    def ancestors(self, node: cst.CSTNode):
        node = self.parents.get(node)
        while node is not None:
            yield node
            node = self.parents.get(node)

    def line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def lines(self, node: cst.CSTNode) -> range:
        position = self.positions[node]
        return range(position.start.line, position.end.line + 1)

    def statement_of(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        """The innermost statement (simple line or compound) holding ``node``."""
        for candidate in (node, *self.ancestors(node)):
            if isinstance(candidate, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return candidate
        return None

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """Dotted names ``node`` stands for through imports (``os.path.exists``), from its scope."""
        scope = self.scopes.get(node)
        if scope is None:
            return set()
        return {qualified.name for qualified in scope.get_qualified_names_for(node)}

    @cached_property
    def all_scopes(self) -> list:
        return [scope for scope in set(self.scopes.values()) if scope is not None]

    @cached_property
    def remote_writes(self) -> frozenset[tuple[int, str]]:
        """(id(scope), name) for names that a nested scope rebinds via ``global``/``nonlocal``."""
        found = set()
        for scope in self.all_scopes:
            for assignment in scope.assignments:
                node = getattr(assignment, "node", None)
                if node is not None and self.scopes.get(node) not in (None, scope):
                    found.add((id(scope), assignment.name))
        return frozenset(found)

    def redirected(self, scope, name: str) -> bool:
        """``scope`` declares ``name`` global or nonlocal: its bindings there belong elsewhere."""
        return (id(scope), name) in self._redirected

    # --- bindings --------------------------------------------------------------------------------

    def referents(self, name: cst.Name) -> set | None:
        """The bindings a read of ``name`` may see, or None when the node is not a read."""
        scope = self.scopes.get(name)
        if scope is None:
            return None
        accesses = scope.accesses[name]
        if not accesses:
            return None
        found = set()
        for access in accesses:
            found |= set(access.referents)
        return found

    @cached_property
    def reads_frames(self) -> bool:
        """The program names an attribute that reaches a frame's locals (FRAME_READERS)."""
        return bool(FRAME_READERS & set(self.attributes_by_name))

    def name_untouchable(self, name: str) -> bool:
        """Names no pass may remove, inline or propagate."""
        return (
            self.dynamic.names_frozen
            or name in self.walrus_names
            or name in self.deleted_names
            or is_dunder(name)
        )

    def is_builtin_read(self, name: cst.Name) -> bool:
        referents = self.referents(name)
        return bool(referents) and all(isinstance(a, BuiltinAssignment) for a in referents)

    def reads_builtin(self, func: cst.BaseExpression, names) -> bool:
        """``func`` is a read of one of the builtins ``names``, which the program cannot rebind."""
        return (
            isinstance(func, cst.Name)
            and func.value in names
            and self.is_builtin_read(func)
            and not self.touches_builtins
        )

    def builtin_fixed(self, name: str) -> bool:
        """No part of the program can make ``name`` mean anything but the builtin."""
        if self.dynamic.names_frozen or self.touches_builtins:
            return False
        if name in self.walrus_names or name in self.deleted_names:
            return False
        if any(text in BUILTINS_MODULES for text in self.string_texts):
            return False  # sys.modules["builtins"] and the like
        return not any(
            assignment.name == name and not isinstance(assignment, BuiltinAssignment)
            for scope in self.all_scopes
            for assignment in scope.assignments
        )

    def definitely_bound(self, name: cst.Name) -> bool:
        """Reading ``name`` here cannot raise NameError/UnboundLocalError.

        True for builtins nobody rebinds, and for names with a binding that dominates the read:
        an unconditional binding statement before it in an enclosing block, a parameter of an
        enclosing function, or the target of an enclosing loop, ``with`` or comprehension.
        """
        if name.value in ("True", "False", "None"):
            return True
        if name.value in self.deleted_names or name.value in self.walrus_names:
            return False
        referents = self.referents(name)
        if not referents:
            return False
        if all(isinstance(a, BuiltinAssignment) for a in referents):
            return not self.touches_builtins
        if any(isinstance(a, BuiltinAssignment) for a in referents):
            return False
        binding_nodes = {a.node for a in referents}
        node: cst.CSTNode = name
        for parent in self.ancestors(name):
            if _dominating_binding(parent, node, binding_nodes):
                return True
            node = parent
        return False

    def stable(self, name: cst.Name) -> bool:
        """Evaluating an expression without walrus elsewhere cannot rebind ``name``.

        Builtins nobody rebinds, and names of the reading scope itself or of the module, which
        no nested scope rewrites through ``global``/``nonlocal``.
        """
        if name.value in ("True", "False", "None"):
            return True
        referents = self.referents(name)
        if not referents or name.value in self.walrus_names:
            return False
        if all(isinstance(a, BuiltinAssignment) for a in referents):
            return not self.touches_builtins
        scopes = {a.scope for a in referents}
        if len(scopes) != 1 or any(isinstance(a, BuiltinAssignment) for a in referents):
            return False
        (scope,) = scopes
        if scope is not self.scopes.get(name) and not isinstance(scope, GlobalScope):
            return False  # a closure cell: its owner may run (a resumed generator) and rebind it
        return (id(scope), name.value) not in self.remote_writes


def _dominating_binding(parent: cst.CSTNode, child: cst.CSTNode, bindings: set) -> bool:
    """Does ``parent`` bind one of ``bindings`` unconditionally before ``child`` runs?"""
    if isinstance(parent, BLOCKS):
        for sibling in parent.body:
            if sibling is child:
                return False
            if _statement_binds(sibling, bindings):
                return True
        return False
    if isinstance(parent, (cst.For,)) and child is parent.body:
        return _targets_meet(parent.target, bindings)
    if isinstance(parent, cst.With) and child is parent.body:
        return any(item.asname is not None and _targets_meet(item.asname.name, bindings) for item in parent.items)
    if isinstance(parent, cst.ExceptHandler) and child is parent.body:
        return parent.name is not None and _targets_meet(parent.name.name, bindings)
    if isinstance(parent, (cst.FunctionDef, cst.Lambda)) and child is parent.body:
        params = parent.params
        every = (*params.posonly_params, *params.params, *params.kwonly_params, params.star_arg, params.star_kwarg)
        return any(param in bindings for param in every if isinstance(param, cst.Param))
    if isinstance(parent, COMPREHENSIONS) and child is not parent.for_in:
        return _comprehension_targets_meet(parent.for_in, bindings)
    if isinstance(parent, cst.CompFor) and child is not parent.iter:
        return _targets_meet(parent.target, bindings)
    return False


def _comprehension_targets_meet(comp_for: cst.CompFor | None, bindings: set) -> bool:
    while comp_for is not None:
        if _targets_meet(comp_for.target, bindings):
            return True
        comp_for = comp_for.inner_for_in
    return False


def _targets_meet(target: cst.BaseExpression, bindings: set) -> bool:
    if target in bindings:
        return True
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_targets_meet(element.value, bindings) for element in target.elements)
    return False


def _statement_binds(statement: cst.CSTNode, bindings: set) -> bool:
    """An unconditional binding made by a whole statement (compound bodies do not count)."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return statement in bindings
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if small in bindings:  # import statements are their own binding nodes
            return True
        if isinstance(small, cst.Assign) and any(_targets_meet(t.target, bindings) for t in small.targets):
            return True
        if isinstance(small, cst.AnnAssign) and small.value is not None and small.target in bindings:
            return True
    return False


def program_facts(source: str) -> ProgramFacts | None:
    """Facts about ``source``, or None when it does not parse (the pass then leaves it alone)."""
    wrapper = parse(source)
    return None if wrapper is None else ProgramFacts(wrapper)


@functools.lru_cache(maxsize=16)
def facts_for(source: str) -> ProgramFacts | None:
    """The facts of ``source`` (None when it does not parse), computed once per distinct text, so
    every pass that sees the same text shares one parse and one metadata resolution."""
    return program_facts(source)
