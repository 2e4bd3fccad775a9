"""One parse of a module with the libcst metadata the renaming analysis reads, and scope helpers."""

from __future__ import annotations

from functools import cached_property
from typing import Callable, Mapping

import libcst as cst
from libcst.metadata import (
    Access,
    BuiltinScope,
    ClassScope,
    ComprehensionScope,
    ExpressionContextProvider,
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    ParentNodeProvider,
    Scope,
    ScopeProvider,
)

from golfkit.analysis import ANNOTATION_EVALUATORS, DynamicUse, dynamic_use, visit_read_only
from golfkit.analysis.patterns import MatchPatterns


class ScopeIndex:
    """The module's tree (the wrapper's copy: metadata and rewrites key on its nodes) and its facts."""

    def __init__(self, wrapper: MetadataWrapper, dynamic: DynamicUse | None = None,
                 nodes: Callable[..., list] | None = None, parents: Mapping | None = None,
                 rank: Callable[[cst.CSTNode], int] | None = None):
        # ``nodes(*kinds)``: the module's nodes of exact types, when the caller indexed them already;
        # ``parents``: each node's parent, when the caller noted them (ParentNodeProvider walks the
        # whole tree again for the same map); ``rank``: each node's place in a walk of the tree,
        # when the caller walked it already.
        self.indexed_nodes = nodes
        self._wrapper = wrapper
        self.module: cst.Module = wrapper.module
        self.scope_of = wrapper.resolve(ScopeProvider)
        self.parent = parents if parents is not None else wrapper.resolve(ParentNodeProvider)
        self.rank = rank if rank is not None else self._walk_ranks.__getitem__
        self.dynamic: DynamicUse = dynamic if dynamic is not None else dynamic_use(self.module)
        self.scopes: list[Scope] = self._ordered_scopes()
        self.global_scope: GlobalScope = next(s for s in self.scopes if isinstance(s, GlobalScope))
        # Every access by the node that spells it (a Name, or for odd cases a string or dotted name).
        self.access_of: dict[cst.CSTNode, Access] = {
            access.node: access for scope in self.scopes for access in scope.accesses
        }

    @cached_property
    def context(self) -> Mapping:
        """Load, store or del of each expression; resolved when first asked (few texts need it)."""
        return self._wrapper.resolve(ExpressionContextProvider)

    @classmethod
    def parse(cls, source: str) -> "ScopeIndex":
        """The index of a text parsed here (raises libcst's ParserSyntaxError)."""
        return cls(MetadataWrapper(cst.parse_module(source)))

    @classmethod
    def of(cls, facts) -> "ScopeIndex":
        """The index over the shared facts' tree and metadata (golfkit.analysis.ProgramFacts),
        built once per text whichever of the renaming passes asks first."""
        return facts.derived(index_of_facts)

    def _ordered_scopes(self) -> list[Scope]:
        found = {scope for scope in self.scope_of.values() if scope is not None}
        found = {s for s in found if not isinstance(s, BuiltinScope)}
        return sorted(found, key=self.scope_sort_key)

    def scope_sort_key(self, scope: Scope) -> int:
        """Where the scope's node starts, as a rank in source order: a def or class starts at its
        name's keyword, after its decorators (which may hold lambdas and comprehensions)."""
        node = getattr(scope, "node", None)
        if node is None or isinstance(scope, GlobalScope):
            return -1
        return self.rank(node.name if isinstance(node, (cst.FunctionDef, cst.ClassDef)) else node)

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """Qualified names of an expression (``builtins.property``), from its scope: what
        QualifiedNameProvider answers, without its walk over the whole tree."""
        scope = self.scope_of.get(node)
        if scope is None:
            return set()
        return {qualified.name for qualified in scope.get_qualified_names_for(node)}


    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    @staticmethod
    def label(scope: Scope) -> str:
        """A readable name for a scope, for dumps and reasons."""
        if isinstance(scope, GlobalScope):
            return "global"
        if isinstance(scope, ClassScope):
            return f"class {scope.name}"
        if isinstance(scope, ComprehensionScope):
            return "comprehension"
        if isinstance(scope, FunctionScope):
            return f"function {scope.name}" if scope.name else "lambda"
        return type(scope).__name__

    def lookup_path(self, start: Scope, target: Scope | None) -> list[Scope]:
        """The scopes a name lookup from ``start`` passes through until it reaches ``target``
        (or the global scope). Class bodies are skipped unless the lookup starts there: methods
        and comprehensions do not see the names of the classes around them."""
        path = [start]
        current = start
        while current is not target and not isinstance(current, GlobalScope):
            current = current.parent
            if isinstance(current, BuiltinScope):
                break
            if isinstance(current, ClassScope) and current is not target:
                continue
            path.append(current)
        return path

    def enclosing_scopes(self, start: Scope) -> list[Scope]:
        """``start`` and every scope around it up to the global one, class bodies included."""
        chain = [start]
        while not isinstance(chain[-1], (GlobalScope, BuiltinScope)):
            chain.append(chain[-1].parent)
        return [s for s in chain if not isinstance(s, BuiltinScope)]

    @cached_property
    def lazy_annotations(self) -> bool:
        """``from __future__ import annotations``: every annotation is stored as its source text."""
        for statement in self.all_of(cst.ImportFrom):
            module, names = statement.module, statement.names
            if not (isinstance(module, cst.Name) and module.value == "__future__") or isinstance(names, cst.ImportStar):
                continue
            if any(isinstance(alias.name, cst.Name) and alias.name.value == "annotations" for alias in names):
                return True
        return False

    @cached_property
    def annotations_evaluated(self) -> bool:
        """The program may turn annotations back into objects (or run code from strings)."""
        return self.dynamic.scope_by_string or any(n.value in ANNOTATION_EVALUATORS for n in self.all_of(cst.Name))

    @cached_property
    def annotations_read(self) -> bool:
        """The program may read annotation dicts, whose keys are the annotated names."""
        return self.annotations_evaluated or any(n.value == "__annotations__" for n in self.all_of(cst.Name))

    @cached_property
    def _annotation_nodes(self) -> frozenset[cst.CSTNode]:
        return frozenset(node for found in self.all_of(cst.Annotation) for node in _collect(found, cst.CSTNode))

    def in_annotation(self, node: cst.CSTNode) -> bool:
        """Inside a parameter, return or variable annotation."""
        return node in self._annotation_nodes

    def in_lazy_annotation(self, node: cst.CSTNode) -> bool:
        """Inside an annotation kept as source text: what it spells is text, not a use."""
        return self.lazy_annotations and self.in_annotation(node)

    @cached_property
    def patterns(self) -> MatchPatterns:
        """Captures and class-pattern keywords of the module's ``match`` statements, which
        libcst files as reads."""
        return MatchPatterns(self.all_of(cst.Match))

    @cached_property
    def _all_nodes(self) -> list[cst.CSTNode]:
        return _collect(self.module, cst.CSTNode)

    @cached_property
    def _walk_ranks(self) -> dict[cst.CSTNode, int]:
        # A walk is lexical: leaves (names, strings) rank in the order they are written, and a
        # node ranks before everything inside it.
        return {node: rank for rank, node in enumerate(self._all_nodes)}

    def all_of(self, kind: type | tuple[type, ...]) -> list:
        """Every node of ``kind`` in the module, in source order."""
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # Concrete node types have no subclasses, so the shared index by exact type answers alike.
        if self.indexed_nodes is not None and not any(k.__subclasses__() for k in kinds):
            return self.indexed_nodes(*kinds)
        return [node for node in self._all_nodes if isinstance(node, kind)]

    def names_in(self, node: cst.CSTNode) -> list[cst.Name]:
        return _collect(node, cst.Name)


def index_of_facts(facts) -> ScopeIndex:
    return ScopeIndex(facts.wrapper, facts.dynamic, facts.nodes, facts.parents, facts.rank)


class _Collector(cst.CSTVisitor):
    def __init__(self, kind: type):
        self.kind = kind
        self.found: list = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self.kind):
            self.found.append(node)
        return True


def _collect(root: cst.CSTNode, kind: type) -> list:
    """Nodes of ``kind`` under ``root`` (itself included), in source order."""
    collector = _Collector(kind)
    visit_read_only(root, collector)
    return collector.found
