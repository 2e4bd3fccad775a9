"""strip: remove what never runs — comments, docstrings, literal statements, annotations, ``pass``.

Sites, in the order a libcst transformer meets them: every comment; every parameter, return or
variable annotation that can go; every literal or ``pass`` statement that can go. A block emptied by
the removals gets ``0`` (the shortest statement), except an ``else:`` block, which is dropped.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ClassScope, FunctionScope, ParentNodeProvider, ScopeProvider

from golfkit.analysis import (
    Vocabulary,
    code,
    is_literal,
    never_longer,
    variable_names,
    zero_statement,
)
from golfkit.passes.base import Edits, Pass, PassContext, Safety


class StripPass(Pass):
    name = "strip"
    description = "remove comments, docstrings, literal statements, annotations and needless pass"
    safety = Safety.SAFE
    safety_statement = (
        "Comments and literal statements have no effect. Docstrings stay when the program can read "
        "__doc__ (or reaches names by string). Annotations go only where nothing can read them "
        "(no __annotations__, inspect, dataclass, NamedTuple, singledispatch...; no decorator or "
        "base class on the owner) and where evaluating them has no effect: local-variable "
        "annotations are never evaluated, others must be names, attributes, subscripts, literals "
        "or | unions (or live under `from __future__ import annotations`). A bare `x: T` in a "
        "function stays (as `x:0`) when it alone makes x local."
    )

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        module = cst.parse_module(source)
        facts = Vocabulary.of(module)
        stripped = cst.MetadataWrapper(module).visit(_Strip(facts, edits))
        return never_longer(source, stripped.code)


class _Strip(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (ParentNodeProvider, ScopeProvider)

    def __init__(self, facts: Vocabulary, edits: Edits):
        super().__init__()
        self.facts = facts
        self.edits = edits
        self.keep_docstrings = facts.reads_docstrings
        # Blocks this pass emptied and filled with ``0``: an ``else:`` holding one is dropped.
        self.filled: set[int] = set()

    # --- comments ------------------------------------------------------------------------------

    def leave_EmptyLine(self, original_node: cst.EmptyLine, updated_node: cst.EmptyLine):
        if updated_node.comment is not None and self.edits.propose():
            return cst.RemoveFromParent()
        return updated_node

    def leave_TrailingWhitespace(
        self, original_node: cst.TrailingWhitespace, updated_node: cst.TrailingWhitespace
    ) -> cst.TrailingWhitespace:
        if updated_node.comment is not None and self.edits.propose():
            return updated_node.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
        return updated_node

    # --- annotations ---------------------------------------------------------------------------

    def leave_Param(self, original_node: cst.Param, updated_node: cst.Param) -> cst.Param:
        if updated_node.annotation is None:
            return updated_node
        function = self._owner_function(original_node)
        if function is None or not self._signature_annotation_removable(function, original_node.annotation):
            return updated_node
        if self.edits.propose():
            return updated_node.with_changes(annotation=None)
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        returns = original_node.returns
        if returns is not None and self._signature_annotation_removable(original_node, returns):
            if self.edits.propose():
                return updated_node.with_changes(returns=None)
        return updated_node

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign):
        scope = self.get_metadata(ScopeProvider, original_node, None)
        if isinstance(scope, FunctionScope):
            return self._local_annotation(original_node, updated_node, scope)
        if not self._annotation_unobserved(scope) or not self._inert(original_node.annotation):
            return updated_node
        if updated_node.value is not None:
            if self.edits.propose():
                return _as_assign(updated_node)
            return updated_node
        # A bare module or class annotation only records the name; a complex target is evaluated.
        # With docstrings kept, a removed first statement could promote a string to docstring.
        if isinstance(original_node.target, cst.Name) and not self.keep_docstrings and self.edits.propose():
            return cst.RemoveFromParent()
        return updated_node

    def _local_annotation(self, original_node, updated_node, scope: FunctionScope):
        """Local-variable annotations are never evaluated, but a bare ``x: T`` makes x local."""
        if updated_node.value is not None:
            return _as_assign(updated_node) if self.edits.propose() else updated_node
        target = original_node.target
        if not isinstance(target, cst.Name) or self.keep_docstrings:
            return updated_node  # a complex target is evaluated; see leave_AnnAssign for docstrings
        other_bindings = [a for a in scope.assignments[target.value] if a.node is not target]
        used = len(variable_names(scope.node, target.value)) > 1
        if other_bindings or not used:
            return cst.RemoveFromParent() if self.edits.propose() else updated_node
        if len(code(original_node.annotation.annotation)) > 1 and self.edits.propose():
            zero = updated_node.annotation.with_changes(annotation=cst.Integer("0"))
            return updated_node.with_changes(annotation=zero)
        return updated_node

    def _owner_function(self, param: cst.Param) -> cst.FunctionDef | None:
        parent = self.get_metadata(ParentNodeProvider, param, None)
        while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda)):
            parent = self.get_metadata(ParentNodeProvider, parent, None)
        return parent if isinstance(parent, cst.FunctionDef) else None

    def _signature_annotation_removable(self, function: cst.FunctionDef, annotation: cst.Annotation) -> bool:
        # A decorator may read the annotations (singledispatch, validators, registries).
        return (
            not function.decorators
            and not self.facts.reads_annotations
            and self._inert(annotation)
        )

    def _annotation_unobserved(self, scope) -> bool:
        if self.facts.reads_annotations:
            return False
        if isinstance(scope, ClassScope):
            # Bases, metaclasses and decorators (dataclass, NamedTuple...) may turn them into fields.
            owner = scope.node
            return not (owner.decorators or owner.bases or owner.keywords)
        return True

    def _inert(self, annotation: cst.Annotation) -> bool:
        """Evaluating the annotation cannot have an effect (or it is never evaluated)."""
        return self.facts.future_annotations or _inert_expression(annotation.annotation)

    # --- literal statements and pass -----------------------------------------------------------

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = self._strip_lines(updated_node.body, docstring_owner=True)
        return updated_node.with_changes(body=body)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body = self._strip_lines(updated_node.body, self._owns_docstring(original_node))
        if body:
            return updated_node.with_changes(body=body)
        filled = updated_node.with_changes(body=[cst.SimpleStatementLine([zero_statement()])])
        self.filled.add(id(filled))
        return filled

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        line = cst.SimpleStatementLine(body=updated_node.body)
        body = self._strip_lines([line], self._owns_docstring(original_node))
        if body:
            return updated_node.with_changes(body=body[0].body)
        filled = updated_node.with_changes(body=[zero_statement()])
        self.filled.add(id(filled))
        return filled

    def _owns_docstring(self, block: cst.BaseSuite) -> bool:
        parent = self.get_metadata(ParentNodeProvider, block, None)
        return isinstance(parent, (cst.FunctionDef, cst.ClassDef))

    def _strip_lines(self, lines, docstring_owner: bool) -> list[cst.BaseStatement]:
        smalls = [s for line in lines if isinstance(line, cst.SimpleStatementLine) for s in line.body]
        # A block that is exactly ``0`` already has the shortest filler.
        already_minimal = len(lines) == 1 and len(smalls) == 1 and _is_zero(smalls[0])
        kept_lines = []
        first = True
        for line in lines:
            if not isinstance(line, cst.SimpleStatementLine):
                kept_lines.append(line)
                first = False
                continue
            kept = []
            for small in line.body:
                protected = first and docstring_owner and self.keep_docstrings
                first = False
                if not protected and not already_minimal and _does_nothing(small) and self.edits.propose():
                    continue
                kept.append(small)
            if not kept:
                continue
            if len(kept) == len(line.body):
                kept_lines.append(line)
            else:
                last = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                kept_lines.append(line.with_changes(body=[*kept[:-1], last]))
        return kept_lines

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
