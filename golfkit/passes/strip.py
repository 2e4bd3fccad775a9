"""strip: remove what never runs — comments, docstrings, literal statements, annotations, ``pass``.

Sites, in the order a libcst transformer meets them: every comment; every parameter, return or
variable annotation that can go; every literal or ``pass`` statement that can go. A block emptied by
the removals gets ``0`` (the shortest statement), except an ``else:`` block, which is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import ClassScope, FunctionScope, GlobalScope, ImportAssignment

from golfkit.analysis import (
    ProgramFacts,
    code,
    is_literal,
    reaches_values_without_names,
    variable_names,
    zero_statement,
)
from golfkit.passes.base import Pass, PassContext, Safety, Site

# What an enabled site does to its node.
DROP = "drop"  # a comment, a literal or ``pass`` statement, a bare annotation
UNANNOTATE = "unannotate"  # a parameter or return annotation goes; ``x: T = v`` becomes ``x = v``
ZERO = "zero"  # a bare local ``x: T`` that alone makes x local becomes ``x: 0``

# Decorators (qualified names) that never read the annotations of what they wrap.
ANNOTATION_BLIND_DECORATORS = frozenset({"functools.cache", "functools.lru_cache"})
# Builtin decorators that only wrap a method, never reading its annotations.
ANNOTATION_BLIND_BUILTINS = frozenset({"staticmethod", "classmethod", "property"})


@dataclass(frozen=True, eq=False)
class _Edit:
    node: cst.CSTNode
    action: str
    key: str


class StripPass(Pass):
    name = "strip"
    description = "remove comments, docstrings, literal statements, annotations and needless pass"
    safety = Safety.SAFE
    safety_statement = (
        "Comments and literal statements have no effect. Docstrings stay when the program can read "
        "__doc__ (or reaches names by string). Annotations go only where nothing can read them "
        "(no __annotations__, inspect, dataclass, NamedTuple, singledispatch...; no decorator or "
        "base class on the owner), or, for a parameter or return annotation, where no reader can "
        "get hold of the function: a plain function (no method) bound once and only ever called "
        "by name, undecorated or under functools.cache/lru_cache, in a program that reaches no "
        "value without its name (no frames, gc, inspect, its own module object, strings); and "
        "where evaluating them has no effect: local-variable "
        "annotations are never evaluated, others must be names, attributes, subscripts, literals "
        "or | unions (or live under `from __future__ import annotations`). A bare `x: T` in a "
        "function stays (as `x:0`) when it alone makes x local."
    )
    example = (
        '"""Squares."""\n'
        "def square(n: int) -> int:\n"
        "    return n * n  # the area\n"
        "print(square(4))\n",
        "def square(n):\n"
        "    return n * n\n"
        "print(square(4))\n",
    )

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        finder = _SiteFinder(facts)
        facts.walk(finder)
        return [Site(edit, edit.key) for edit in finder.edits]

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        return facts.module.visit(_Strip({site.target.node: site.target.action for site in sites})).code


class _SiteFinder(cst.CSTVisitor):
    """Lists the edits in the order a transformer leaves their nodes (comments and annotations
    where they stand, a block's statements when the block is left)."""

    def __init__(self, facts: ProgramFacts):
        super().__init__()
        self.facts = facts
        self.vocabulary = facts.vocabulary
        self.keep_docstrings = self.vocabulary.reads_docstrings
        self.edits: list[_Edit] = []
        self.out_of_readers_reach: dict[cst.FunctionDef, bool] = {}

    def add(self, node: cst.CSTNode, action: str, key: str) -> None:
        self.edits.append(_Edit(node, action, key))

    # --- comments ------------------------------------------------------------------------------

    def leave_EmptyLine(self, node: cst.EmptyLine) -> None:
        if node.comment is not None:
            self.add(node, DROP, f"comment {node.comment.value}")

    def leave_TrailingWhitespace(self, node: cst.TrailingWhitespace) -> None:
        if node.comment is not None:
            self.add(node, DROP, f"comment {node.comment.value}")

    # --- annotations ---------------------------------------------------------------------------

    def leave_Param(self, node: cst.Param) -> None:
        if node.annotation is None:
            return
        function = self._owner_function(node)
        if function is not None and self._signature_annotation_removable(function, node.annotation):
            annotation = code(node.annotation.annotation)
            self.add(node, UNANNOTATE, f"annotation {function.name.value}({node.name.value}: {annotation})")

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        returns = node.returns
        if returns is not None and self._signature_annotation_removable(node, returns):
            self.add(node, UNANNOTATE, f"annotation {node.name.value}() -> {code(returns.annotation)}")

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        scope = self.facts.scopes.get(node)
        if isinstance(scope, FunctionScope):
            action = self._local_annotation(node, scope)
        elif not self._annotation_unobserved(scope) or not self._inert(node.annotation):
            action = None
        elif node.value is not None:
            action = UNANNOTATE
        # A bare module or class annotation only records the name; a complex target is evaluated.
        # With docstrings kept, a removed first statement could promote a string to docstring.
        elif isinstance(node.target, cst.Name) and not self.keep_docstrings:
            action = DROP
        else:
            action = None
        if action is not None:
            self.add(node, action, f"{action} {code(node.target)}: {code(node.annotation.annotation)}")

    def _local_annotation(self, node: cst.AnnAssign, scope: FunctionScope) -> str | None:
        """Local-variable annotations are never evaluated, but a bare ``x: T`` makes x local."""
        if node.value is not None:
            return UNANNOTATE
        target = node.target
        if not isinstance(target, cst.Name) or self.keep_docstrings:
            return None  # a complex target is evaluated; see leave_AnnAssign for docstrings
        other_bindings = [a for a in scope.assignments[target.value] if a.node is not target]
        used = len(variable_names(scope.node, target.value)) > 1
        if other_bindings or not used:
            return DROP
        if len(code(node.annotation.annotation)) > 1:
            return ZERO
        return None

    def _owner_function(self, param: cst.Param) -> cst.FunctionDef | None:
        for parent in self.facts.ancestors(param):
            if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
                return parent if isinstance(parent, cst.FunctionDef) else None
        return None

    def _signature_annotation_removable(self, function: cst.FunctionDef, annotation: cst.Annotation) -> bool:
        if not self._inert(annotation):
            return False
        # A decorator may read the annotations (singledispatch, validators, registries); the
        # builtin method wrappers never do.
        if not self.vocabulary.reads_annotations and all(
            self._builtin_wrapper(decorator.decorator) for decorator in function.decorators
        ):
            return True
        if function not in self.out_of_readers_reach:
            self.out_of_readers_reach[function] = self._out_of_readers_reach(function)
        return self.out_of_readers_reach[function]

    def _out_of_readers_reach(self, function: cst.FunctionDef) -> bool:
        """No annotation reader can get hold of ``function``: it is a plain function (not a
        method), bound once, only ever called by its name, and nothing reaches values without
        their names (frames, gc, its module object, strings). Readers need the function object
        (``f.__annotations__``, ``inspect.signature(f)``, ``get_type_hints(f)``, a decorator, a
        ``register(f)``), and a call hands it to none of them."""
        vocabulary = self.vocabulary
        if vocabulary.reaches_anything or reaches_values_without_names(
            vocabulary.names, vocabulary.attributes, vocabulary.modules
        ):
            return False
        if not all(self._annotation_blind(decorator.decorator) for decorator in function.decorators):
            return False
        name = function.name.value
        facts = self.facts
        scope = facts.scopes.get(function)
        if isinstance(scope, GlobalScope) and facts.module_reachable:
            return False
        if not isinstance(scope, (GlobalScope, FunctionScope)) or facts.name_untouchable(name):
            return False
        if name in facts.declared_names:
            return False
        bindings = list(scope.assignments[name])
        if len(bindings) != 1 or getattr(bindings[0], "node", None) is not function:
            return False
        for reference in bindings[0].references:
            call = facts.parent(reference.node)
            if not (isinstance(call, cst.Call) and call.func is reference.node):
                return False
        return True

    def _builtin_wrapper(self, decorator: cst.BaseExpression) -> bool:
        """``@staticmethod``, ``@classmethod`` or ``@property``, the builtins themselves."""
        return (isinstance(decorator, cst.Name) and decorator.value in ANNOTATION_BLIND_BUILTINS
                and self.facts.is_builtin_read(decorator))

    def _annotation_blind(self, decorator: cst.BaseExpression) -> bool:
        """A decorator known not to read annotations (the cache wrappers copy them unread)."""
        target = decorator.func if isinstance(decorator, cst.Call) else decorator
        if not isinstance(target, (cst.Name, cst.Attribute)):
            return False
        head = target
        while isinstance(head, cst.Attribute):
            head = head.value
        referents = self.facts.referents(head) if isinstance(head, cst.Name) else None
        if not referents or not all(isinstance(a, ImportAssignment) for a in referents):
            return False
        qualified = self.facts.qualified_names(target)
        return bool(qualified) and qualified <= ANNOTATION_BLIND_DECORATORS

    def _annotation_unobserved(self, scope) -> bool:
        if self.vocabulary.reads_annotations:
            return False
        if isinstance(scope, ClassScope):
            # Bases, metaclasses and decorators (dataclass, NamedTuple...) may turn them into fields.
            owner = scope.node
            return not (owner.decorators or owner.bases or owner.keywords)
        return True

    def _inert(self, annotation: cst.Annotation) -> bool:
        """Evaluating the annotation cannot have an effect (or it is never evaluated)."""
        return self.vocabulary.future_annotations or _inert_expression(annotation.annotation)

    # --- literal statements and pass -----------------------------------------------------------

    def leave_Module(self, node: cst.Module) -> None:
        self._statements(node.body, docstring_owner=True)

    def leave_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._statements(node.body, self._owns_docstring(node))

    def leave_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._statements([cst.SimpleStatementLine(body=node.body)], self._owns_docstring(node))

    def _owns_docstring(self, block: cst.BaseSuite) -> bool:
        return isinstance(self.facts.parent(block), (cst.FunctionDef, cst.ClassDef))

    def _statements(self, lines, docstring_owner: bool) -> None:
        smalls = [s for line in lines if isinstance(line, cst.SimpleStatementLine) for s in line.body]
        # A block that is exactly ``0`` already has the shortest filler.
        if len(lines) == 1 and len(smalls) == 1 and _is_zero(smalls[0]):
            return
        first = True
        for line in lines:
            if not isinstance(line, cst.SimpleStatementLine):
                first = False
                continue
            for small in line.body:
                protected = first and docstring_owner and self.keep_docstrings
                first = False
                if not protected and _does_nothing(small):
                    self.add(small, DROP, f"statement {code(small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT))}")


class _Strip(cst.CSTTransformer):
    """Applies the enabled edits (original node -> action); a block they empty gets ``0``, an
    ``else:`` block they empty goes."""

    def __init__(self, actions: dict[cst.CSTNode, str]):
        super().__init__()
        self.actions = actions
        # Blocks this pass emptied and filled with ``0``: an ``else:`` holding one is dropped.
        self.filled: set[int] = set()

    def leave_EmptyLine(self, original_node, updated_node):
        return cst.RemoveFromParent() if original_node in self.actions else updated_node

    def leave_TrailingWhitespace(self, original_node, updated_node):
        if original_node in self.actions:
            return updated_node.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
        return updated_node

    def leave_Param(self, original_node, updated_node):
        return updated_node.with_changes(annotation=None) if original_node in self.actions else updated_node

    def leave_FunctionDef(self, original_node, updated_node):
        return updated_node.with_changes(returns=None) if original_node in self.actions else updated_node

    def leave_AnnAssign(self, original_node, updated_node):
        action = self.actions.get(original_node)
        if action == DROP:
            return cst.RemoveFromParent()
        if action == UNANNOTATE:
            return _as_assign(updated_node)
        if action == ZERO:
            return updated_node.with_changes(annotation=updated_node.annotation.with_changes(annotation=cst.Integer("0")))
        return updated_node

    def leave_Expr(self, original_node, updated_node):
        return cst.RemoveFromParent() if original_node in self.actions else updated_node

    def leave_Pass(self, original_node, updated_node):
        return cst.RemoveFromParent() if original_node in self.actions else updated_node

    def leave_SimpleStatementLine(self, original_node, updated_node):
        return _without_trailing_semicolon(original_node, updated_node)

    def leave_IndentedBlock(self, original_node, updated_node):
        if updated_node.body:
            return updated_node
        filled = updated_node.with_changes(body=[cst.SimpleStatementLine([zero_statement()])])
        self.filled.add(id(filled))
        return filled

    def leave_SimpleStatementSuite(self, original_node, updated_node):
        if updated_node.body:
            return _without_trailing_semicolon(original_node, updated_node)
        filled = updated_node.with_changes(body=[zero_statement()])
        self.filled.add(id(filled))
        return filled

    # --- else: blocks that became empty --------------------------------------------------------

    def _drop_filled_else(self, updated_node):
        orelse = updated_node.orelse
        if isinstance(orelse, cst.Else) and id(orelse.body) in self.filled:
            return updated_node.with_changes(orelse=None)
        return updated_node

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.If:
        return self._drop_filled_else(updated_node)

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        return self._drop_filled_else(updated_node)

    def leave_While(self, original_node: cst.While, updated_node: cst.While) -> cst.While:
        return self._drop_filled_else(updated_node)

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> cst.Try:
        return self._drop_filled_else(updated_node)


def _without_trailing_semicolon(original_node, updated_node):
    """A line that lost its last statement keeps no ``;`` at its end."""
    if not updated_node.body or len(updated_node.body) == len(original_node.body):
        return updated_node
    last = updated_node.body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return updated_node.with_changes(body=[*updated_node.body[:-1], last])


def _does_nothing(small: cst.BaseSmallStatement) -> bool:
    return isinstance(small, cst.Pass) or (isinstance(small, cst.Expr) and is_literal(small.value))


def _is_zero(small: cst.BaseSmallStatement) -> bool:
    return isinstance(small, cst.Expr) and isinstance(small.value, cst.Integer) and small.value.value == "0"


def _as_assign(node: cst.AnnAssign) -> cst.Assign:
    """``x: T = v`` → ``x = v``."""
    equal = node.equal if isinstance(node.equal, cst.AssignEqual) else cst.AssignEqual()
    return cst.Assign(
        targets=[
            cst.AssignTarget(
                target=node.target,
                whitespace_before_equal=equal.whitespace_before,
                whitespace_after_equal=equal.whitespace_after,
            )
        ],
        value=node.value,
        semicolon=node.semicolon,
    )


def _inert_expression(node: cst.BaseExpression) -> bool:
    """Names, attributes, subscripts, literals and ``|`` unions: the usual annotation forms."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Ellipsis)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return is_literal(node)
    if isinstance(node, cst.Attribute):
        return _inert_expression(node.value)
    if isinstance(node, cst.Subscript):
        return _inert_expression(node.value) and all(_inert_slice(e.slice) for e in node.slice)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        return _inert_expression(node.left) and _inert_expression(node.right)
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(
            not isinstance(e, cst.StarredElement) and _inert_expression(e.value) for e in node.elements
        )
    return False


def _inert_slice(node: cst.BaseSlice) -> bool:
    return isinstance(node, cst.Index) and node.star is None and _inert_expression(node.value)
