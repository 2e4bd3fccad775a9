"""Syntax alone: parsing, printing a node, names, literals and the shape of blocks.

Nothing here looks at bindings or metadata; every answer follows from the tree's shape, so it holds
whatever the names mean. Where shape cannot tell (a name that might be rebound), the helpers say
no less than what is written: a literal is only what the grammar makes constant.
"""

from __future__ import annotations

from collections import defaultdict

import libcst as cst
from libcst.metadata import MetadataWrapper

from golfkit.analysis.children import visit_read_only

COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
BLOCKS = (cst.Module, cst.IndentedBlock)
LITERALS = (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)


def parse(source: str) -> MetadataWrapper | None:
    """The module with metadata support, or None when the source does not parse."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    # The tree was parsed here and nothing else holds it: the wrapper's defensive copy is waste.
    return MetadataWrapper(module, unsafe_skip_copy=True)


def code(node: cst.CSTNode) -> str:
    """The source text of ``node`` as libcst prints it."""
    return cst.Module(body=[]).code_for_node(node)


def is_dunder(name: str) -> bool:
    """``__x__``: a name Python gives a special meaning (``__`` and ``___`` alone are not)."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def dotted_name(node: cst.BaseExpression) -> str:
    """``a.b.c`` for a dotted name, "" for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return ""


def walk(node: cst.CSTNode):
    """``node`` and every node under it, parents first."""
    yield node
    for child in node.children:
        yield from walk(child)


class _Finder(cst.CSTVisitor):
    def __init__(self, kinds: tuple[type, ...], names: frozenset[str]):
        super().__init__()
        self.kinds = kinds
        self.names = names
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self.kinds) or (self.names and isinstance(node, cst.Name) and node.value in self.names):
            self.found.append(node)
        return True


def find_nodes(root: cst.CSTNode, *kinds: type, names: tuple[str, ...] = ()) -> list[cst.CSTNode]:
    """Every node at or under ``root``, parents first, that is of one of ``kinds`` or a ``Name``
    spelling one of ``names``: what ``libcst.matchers.findall`` finds for such a pattern, without
    importing the matchers module (half a second of every golfkit process's start-up)."""
    finder = _Finder(tuple(kinds), frozenset(names))
    visit_read_only(root, finder)
    return finder.found


def lambda_parameters(params: cst.Parameters, tight_defaults: bool = True) -> cst.Parameters:
    """A def's parameters as a lambda takes them: no annotations and nothing between them but
    the commas (``tight_defaults``: nor around a default's ``=``, else its spacing stays)."""
    tight = cst.SimpleWhitespace("")

    def comma(separator):
        return cst.Comma(whitespace_after=tight) if isinstance(separator, cst.Comma) else separator

    def tidy(param: cst.Param) -> cst.Param:
        equal = param.equal
        if tight_defaults:
            equal = cst.AssignEqual(whitespace_before=tight, whitespace_after=tight) if param.default is not None \
                else cst.MaybeSentinel.DEFAULT
        return param.with_changes(annotation=None, equal=equal, comma=comma(param.comma),
                                  whitespace_after_star=tight, whitespace_after_param=tight)

    star_arg = params.star_arg
    if isinstance(star_arg, cst.Param):
        star_arg = tidy(star_arg)
    elif isinstance(star_arg, cst.ParamStar):
        star_arg = cst.ParamStar(comma=comma(star_arg.comma))
    slash = params.posonly_ind
    if isinstance(slash, cst.ParamSlash):
        slash = cst.ParamSlash(comma=comma(slash.comma))
    return params.with_changes(
        posonly_params=[tidy(p) for p in params.posonly_params],
        params=[tidy(p) for p in params.params],
        kwonly_params=[tidy(p) for p in params.kwonly_params],
        star_arg=star_arg,
        star_kwarg=tidy(params.star_kwarg) if params.star_kwarg is not None else None,
        posonly_ind=slash,
    )


def binds_any(node: cst.CSTNode, names: frozenset[str]) -> bool:
    """Whether ``node`` (a def, class, assignment or import alias, at any level) binds one of
    ``names``: passes keep such definitions when code outside the text uses those names."""
    if not names:
        return False
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return node.name.value in names
    if isinstance(node, cst.ImportAlias):
        target = node.asname.name if node.asname else node.name
        return dotted_name(target).split(".")[0] in names if isinstance(target, (cst.Name, cst.Attribute)) else False
    if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        return any(name.value in names for target in targets for name in variable_names(target))
    return False


def binds_one_name(statement: cst.CSTNode, value_kind: type) -> bool:
    """``name = <value_kind>``: an assignment of one value of that node type to one plain name."""
    return (isinstance(statement, cst.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0].target, cst.Name) and isinstance(statement.value, value_kind))


class _TypeIndex(cst.CSTVisitor):
    def __init__(self):
        super().__init__()
        self.found: defaultdict[type, list] = defaultdict(list)

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.found[type(node)].append(node)
        return True


def nodes_by_type(module: cst.CSTNode) -> defaultdict[type, list]:
    """Every node under ``module`` by its exact type, in source order, from one walk."""
    index = _TypeIndex()
    visit_read_only(module, index)
    return index.found


def is_literal(node: cst.BaseExpression) -> bool:
    """A constant whose evaluation has no effect: numbers, strings, ``...``, None/True/False."""
    if isinstance(node, LITERALS):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return is_literal(node.left) and is_literal(node.right)
    return isinstance(node, cst.Name) and node.value in ("None", "True", "False")


def zero_statement() -> cst.Expr:
    """``0``: the shortest statement that does nothing, for blocks that must not be empty."""
    return cst.Expr(cst.Integer("0"))


def with_semicolons(statements: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    """The statements of one line, separated by ``;`` and without a trailing one."""
    last = len(statements) - 1
    return [
        statement.with_changes(semicolon=cst.Semicolon() if index < last else cst.MaybeSentinel.DEFAULT)
        for index, statement in enumerate(statements)
    ]


def block_lines(suite: cst.BaseSuite) -> list[list[cst.BaseSmallStatement]] | None:
    """The small statements of a block of simple statements, line by line; None when the block
    holds a compound statement."""
    if isinstance(suite, cst.SimpleStatementSuite):
        return [list(suite.body)]
    lines = []
    for statement in suite.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        lines.append(list(statement.body))
    return lines


def mentions_name(node: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` appears as a variable anywhere under ``node`` (attribute names after a dot
    and keyword-argument names are not variables)."""
    return any(True for _ in variable_names(node, name))


def variable_names(node: cst.CSTNode, name: str | None = None):
    """The Name nodes under ``node`` that spell variables (optionally only ``name``)."""
    finder = _VariableNames(name)
    node.visit(finder)
    return finder.found


class _VariableNames(cst.CSTVisitor):
    def __init__(self, name: str | None):
        self.name = name
        self.found: list[cst.Name] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if self.name is None or node.value == self.name:
            self.found.append(node)


def assigned_targets(statement: cst.CSTNode) -> list[cst.BaseAssignTargetExpression]:
    """The targets of an ``Assign`` or the name of a ``def``; nothing for other statements."""
    if isinstance(statement, cst.Assign):
        return [t.target for t in statement.targets]
    if isinstance(statement, cst.FunctionDef):
        return [statement.name]
    return []


def index_of(items, child) -> int:
    """The position of ``child`` itself (not an equal node) in ``items``."""
    for index, item in enumerate(items):
        if item is child:
            return index
    raise ValueError("child not found")


def exits_loop(body: cst.BaseSuite) -> bool:
    """A ``break`` or ``continue`` in ``body`` belongs to the loop whose body it is."""
    finder = _LoopExits()
    body.visit(finder)
    return finder.found


class _LoopExits(cst.CSTVisitor):
    def __init__(self):
        super().__init__()
        self.found = False

    def _inner_loop(self, node) -> bool:
        # An inner loop owns the exits of its body, but not those of its else clause.
        if node.orelse is not None:
            node.orelse.visit(self)
        return False

    def visit_For(self, node):
        return self._inner_loop(node)

    def visit_While(self, node):
        return self._inner_loop(node)

    def visit_FunctionDef(self, node):
        return False

    def visit_ClassDef(self, node):
        return False

    def visit_Lambda(self, node):
        return False

    def visit_Break(self, node):
        self.found = True

    def visit_Continue(self, node):
        self.found = True


class FlattenBlocks(cst.CSTTransformer):
    """Joins the simple statements of an indented block onto one line with ``;`` (saving the
    indentation of every line but the first) and moves a block of one such line onto its header
    (``if x:a;b``). Module-level lines stay apart: a newline costs the same as a semicolon."""

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.BaseSuite:
        body: list[cst.BaseStatement] = []
        for statement in updated_node.body:
            if isinstance(statement, cst.SimpleStatementLine) and body and isinstance(
                body[-1], cst.SimpleStatementLine
            ):
                joined = [*body[-1].body, *statement.body]
                body[-1] = body[-1].with_changes(body=with_semicolons(joined))
            else:
                body.append(statement)
        if len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine):
            return cst.SimpleStatementSuite(body=with_semicolons(list(body[0].body)))
        return updated_node.with_changes(body=body)
