"""Line shapes and order: two simple statement lines merged with ``;``, a ``;`` line split, two
adjacent independent-looking statements swapped.

None of these changes what a statement says. Merging saves the next line's indentation; merging,
splitting and swapping change which texts repeat, which the packed file's compressor feeds on, and
give later passes and mutations neighbours they could not see before (two assignments that now
meet, a statement that now ends a block). The run decides whether an order still holds.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ExpressionContext, ExpressionContextProvider

from golfkit.analysis import code
from golfkit.passes.base import Site
from golfkit.search.mutations.base import RUN_DECIDES, Mutation, Spot, on_one_line, statement_key


def _line_key(line: cst.SimpleStatementLine) -> str:
    return ";".join(statement_key(small) for small in line.body)


class MergeLines(Mutation):
    """Two consecutive simple statement lines of a block joined into one with ``;``.

    Inside an indented block it saves the second line's indentation; at module level a newline
    and a semicolon cost the same, and only the compressed size can tell them apart.
    """

    name = "merge-lines"
    description = "join two consecutive simple statement lines with ;"
    safety_statement = f"{RUN_DECIDES}: the statements and their order are unchanged; only the layout moves."
    example = ("def f():\n    a = 1\n    return a\nprint(f())\n",
               "def f():\n    a = 1;return a\nprint(f())\n")

    def candidates(self, facts, context):
        sites = []
        for block in facts.nodes(cst.Module, cst.IndentedBlock):
            body = block.body
            for index in range(len(body) - 1):
                first, second = body[index], body[index + 1]
                if isinstance(first, cst.SimpleStatementLine) and isinstance(second, cst.SimpleStatementLine):
                    key = f"{_line_key(first)} + {_line_key(second)}"
                    sites.append(Site(Spot(block, (first, second), index), key))
        return sites

    def rebuild(self, facts, original, updated, details):
        body = list(updated.body)
        for index in sorted(details, reverse=True):
            first, second = body[index], body[index + 1]
            merged = first.with_changes(body=on_one_line([*first.body, *second.body]),
                                        trailing_whitespace=second.trailing_whitespace)
            body[index:index + 2] = [merged]
        return updated.with_changes(body=body)


class SplitLine(Mutation):
    """A ``;`` line split in two at one of its semicolons (lines of a block, not the one-line
    bodies that follow a colon).

    It costs an indentation, but may let the compressor match the pieces elsewhere, and lets the
    statement-level mutations (swap, merge) see each piece as a line.
    """

    name = "split-line"
    description = "split a ; line in two"
    safety_statement = f"{RUN_DECIDES}: the statements and their order are unchanged; only the layout moves."
    example = ("a = 1; b = 2\nprint(a, b)\n", "a = 1\nb = 2\nprint(a, b)\n")

    def candidates(self, facts, context):
        sites = []
        for line in facts.nodes(cst.SimpleStatementLine):
            for index in range(len(line.body) - 1):
                first, second = line.body[index], line.body[index + 1]
                key = f"{statement_key(first)} / {statement_key(second)}"
                sites.append(Site(Spot(line, (first, second), index), key))
        return sites

    def rebuild(self, facts, original, updated, details):
        cuts = [0, *sorted(index + 1 for index in details), len(updated.body)]
        pieces = []
        for start, end in zip(cuts, cuts[1:]):
            piece = cst.SimpleStatementLine(body=on_one_line(list(updated.body[start:end])))
            pieces.append(piece)
        pieces[0] = pieces[0].with_changes(leading_lines=updated.leading_lines)
        pieces[-1] = pieces[-1].with_changes(trailing_whitespace=updated.trailing_whitespace)
        return cst.FlattenSentinel(pieces)


# Builtins whose calls show nothing and change nothing: two statements calling only these (or
# nothing) have no order between them but their names.
QUIET_BUILTINS = frozenset({
    "abs", "all", "any", "bool", "chr", "dict", "divmod", "enumerate", "filter", "float", "frozenset",
    "int", "isinstance", "iter", "len", "list", "map", "max", "min", "ord", "pow", "range", "repr",
    "reversed", "round", "set", "sorted", "str", "sum", "tuple", "type", "zip",
})
# Statements whose place is their meaning.
PLACED = (cst.Return, cst.Raise, cst.Break, cst.Continue, cst.Global, cst.Nonlocal, cst.Pass)


class _Footprint(cst.CSTVisitor):
    """What a statement writes and reads, by text (``x``, ``a.b``, ``d[k]``), and whether it calls
    anything that may show or change something."""

    def __init__(self, facts, contexts):
        super().__init__()
        self.facts, self.contexts = facts, contexts
        self.writes: set[str] = set()
        self.reads: set[str] = set()
        self.effects = False
        self.placed = False

    def visit_Name(self, node):
        context = self.contexts.get(node)
        (self.writes if context in (ExpressionContext.STORE, ExpressionContext.DEL) else self.reads).add(node.value)

    def visit_Attribute(self, node):
        self._reference(node)

    def visit_Subscript(self, node):
        self._reference(node)

    def _reference(self, node):
        if self.contexts.get(node) in (ExpressionContext.STORE, ExpressionContext.DEL):
            self.writes.add(code(node.with_changes(lpar=(), rpar=())))
        else:
            self.reads.add(code(node.with_changes(lpar=(), rpar=())))

    def leave_Attribute(self, node):
        if self.contexts.get(node) in (ExpressionContext.STORE, ExpressionContext.DEL):
            self._unread(node.value)

    def leave_Subscript(self, node):
        if self.contexts.get(node) in (ExpressionContext.STORE, ExpressionContext.DEL):
            self._unread(node.value)

    def _unread(self, owner):
        # The object whose attribute or item is set is only reached, not read.
        if isinstance(owner, cst.Name):
            self.reads.discard(owner.value)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, cst.Name) and func.value in QUIET_BUILTINS and self.facts.is_builtin_read(func):
            return
        self.effects = True
        if isinstance(func, cst.Attribute):
            self.writes.add(code(func.value))  # a method may change its object

    def visit_FunctionDef(self, node):
        # A def evaluates its decorators and defaults; its body runs only when called.
        self.writes.add(node.name.value)
        for decorator in node.decorators:
            decorator.visit(self)
        node.params.visit(self)
        return False

    def visit_ClassDef(self, node):
        self.writes.add(node.name.value)

    def visit_ImportAlias(self, node):
        alias = node.asname.name if node.asname is not None else node.name
        while isinstance(alias, cst.Attribute):
            alias = alias.value
        self.writes.add(alias.value)
        return False

    def visit_ImportFrom(self, node):
        self.effects = True
        if node.module is not None and code(node.module) == "__future__":
            self.placed = True

    def visit_Import(self, node):
        self.effects = True

    def visit_Yield(self, node):
        self.effects = True

    def visit_Await(self, node):
        self.effects = True

    def on_visit(self, node):
        if isinstance(node, PLACED):
            self.placed = True
        return super().on_visit(node)


def _footprint(facts, contexts, statement) -> _Footprint:
    footprint = _Footprint(facts, contexts)
    statement.visit(footprint)
    return footprint


def _touch(writes: set[str], reads: set[str]) -> bool:
    """A write meets a read of the same thing, of a part of it, or of what holds it."""
    for written in writes:
        for read in reads:
            if written == read or read.startswith((written + ".", written + "[")) \
                    or written.startswith((read + ".", read + "[")):
                return True
    return False


def independent_looking(first: _Footprint, second: _Footprint) -> bool:
    if first.placed or second.placed or (first.effects and second.effects):
        return False
    return not (_touch(first.writes, second.reads) or _touch(second.writes, first.reads)
                or _touch(first.writes, second.writes))


class SwapStatements(Mutation):
    """Two adjacent statements that look independent swapped: statements of a block, or small
    statements of a ``;`` line or a one-line body.

    Independent-looking: neither writes what the other reads or writes (names, ``a.b``,
    ``d[k]``, the object of a method call), not both call something that may show or change
    anything, and neither is a return, raise, break, continue, pass, global, nonlocal or
    ``__future__`` import. Reordering can bring statements together that later passes and
    mutations fold, or make the text repeat itself for the compressor.
    """

    name = "swap-statements"
    description = "swap two adjacent independent-looking statements"
    safety_statement = (
        f"{RUN_DECIDES}: independence is judged from the text (what is written and read by "
        "name), not proven; only the verified run tells."
    )
    metadata = (ExpressionContextProvider,)
    example = ("a = 1\nb = 2\nprint(a, b)\n", "b = 2\na = 1\nprint(a, b)\n")

    def candidates(self, facts, context):
        contexts = facts.wrapper.resolve(ExpressionContextProvider)
        sites = []
        owners = facts.nodes(cst.Module, cst.IndentedBlock, cst.SimpleStatementLine, cst.SimpleStatementSuite)
        for owner in owners:
            items = list(owner.body)
            prints = [_footprint(facts, contexts, item) for item in items]
            for index in range(len(items) - 1):
                if independent_looking(prints[index], prints[index + 1]):
                    first, second = items[index], items[index + 1]
                    key = f"{statement_key(first)} <-> {statement_key(second)}"
                    sites.append(Site(Spot(owner, (first, second), index), key))
        return sites

    def rebuild(self, facts, original, updated, details):
        items = list(updated.body)
        small = isinstance(updated, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
        for index in details:
            first, second = items[index], items[index + 1]
            # Separators and blank lines stay where they were; the statements move.
            attribute = "semicolon" if small else "leading_lines"
            items[index] = second.with_changes(**{attribute: getattr(first, attribute)})
            items[index + 1] = first.with_changes(**{attribute: getattr(second, attribute)})
        return updated.with_changes(body=items)
