"""open-fold (contract): ``with open(path) as f: data = f.read()`` becomes
``data = open(path).read()``.

Sites, in source order: one per ``with`` statement of exactly one item, ``open(...)`` of the
builtin in a reading mode bound with ``as NAME``, whose body is one simple statement that reads
NAME exactly once, as the first thing it evaluates (``NAME.read()``, ``NAME.read().split()``,
``x = NAME.readlines()[0]``), and NAME is read nowhere else.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import ProgramFacts, code
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import builtin_read

_WRITING_MODES = set("wax+")


class OpenFoldPass(Pass):
    name = "open-fold"
    description = "Fold `with open(p) as f: x = f.read()` into `x = open(p).read()` (run contract)."
    safety = Safety.CONTRACT
    safety_statement = (
        "Contract: the file is only read, and the run uses CPython's reference counting with the "
        "default warning filters, so the file object is closed as soon as the statement drops it "
        "and no ResourceWarning is shown. Otherwise the order is kept: open() runs first in both "
        "forms, the handle is read at the same point, and the name bound by `as` is read nowhere "
        "else, so nothing can tell that it is no longer bound."
    )

    example = (
        "import os\n"
        "with open(os.devnull) as f:\n"
        "    text = f.read()\n"
        "print(len(text))\n",
        "import os\n"
        "text = open(os.devnull).read()\n"
        "print(len(text))\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if not context.contract:
            raise Skip("contract rewrites are off")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        sites = []
        for node in facts.nodes(cst.With):
            read = _foldable_read(facts, node)
            if read is not None:
                item = node.items[0]
                key = f"with {code(item.item)} as {read.value}: {code(node.body.body[0].body[0])}"
                sites.append(Site((node, read), key))
        return sites

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        return facts.module.visit(_Rewriter(dict(site.target for site in sites))).code


def _foldable_read(facts: ProgramFacts, node: cst.With) -> cst.Name | None:
    """The single read of the handle in the body, when the whole ``with`` may be folded."""
    if node.asynchronous is not None or len(node.items) != 1:
        return None
    item = node.items[0]
    if not _reading_open(facts, item.item) or item.asname is None or not isinstance(item.asname.name, cst.Name):
        return None
    handle = item.asname.name
    if facts.name_untouchable(handle.value) or facts.dynamic.names_frozen:
        return None
    if not isinstance(node.body, cst.IndentedBlock) or len(node.body.body) != 1:
        return None
    line = node.body.body[0]
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    if not isinstance(facts.parent(node), (cst.Module, cst.IndentedBlock)):
        return None
    scope = facts.scopes.get(handle)
    bindings = [a for a in scope.assignments[handle.value]] if scope is not None else []
    if len(bindings) != 1 or getattr(bindings[0], "node", None) is not handle:
        return None
    references = list(bindings[0].references)
    if len(references) != 1 or facts.scopes.get(references[0].node) is not scope:
        return None
    read = references[0].node
    first = _first_evaluated(line.body[0])
    return read if first is read else None


def _reading_open(facts: ProgramFacts, expr: cst.BaseExpression) -> bool:
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "open"):
        return False
    if not builtin_read(facts, expr.func) or facts.touches_builtins:
        return False
    mode = None
    for index, argument in enumerate(expr.args):
        if argument.star:
            return False
        keyword = argument.keyword.value if argument.keyword is not None else None
        if keyword == "mode" or keyword is None and index == 1:
            mode = argument.value
    if mode is None:
        return True
    return isinstance(mode, cst.SimpleString) and not (_WRITING_MODES & set(mode.evaluated_value))


def _first_evaluated(statement: cst.BaseSmallStatement) -> cst.CSTNode | None:
    """The leftmost primary evaluated first by ``statement`` (targets of a plain ``=`` are stored
    after the value, so they do not count)."""
    if isinstance(statement, cst.Assign) and all(isinstance(t.target, cst.Name) for t in statement.targets):
        expr = statement.value
    elif isinstance(statement, (cst.Expr, cst.Return)) and statement.value is not None:
        expr = statement.value
    else:
        return None
    while True:
        if isinstance(expr, (cst.Attribute, cst.Subscript)):
            expr = expr.value
        elif isinstance(expr, cst.Call):
            expr = expr.func
        else:
            return expr


class _Rewriter(cst.CSTTransformer):
    def __init__(self, chosen: dict[cst.With, cst.Name]):
        super().__init__()
        self.chosen = chosen
        self.opened: dict[cst.Name, cst.BaseExpression] = {
            read: with_node.items[0].item for with_node, read in chosen.items()
        }

    def leave_Name(self, original: cst.Name, updated: cst.Name):
        return self.opened.get(original, updated)

    def leave_With(self, original: cst.With, updated: cst.With):
        if original not in self.chosen:
            return updated
        line = updated.body.body[0]
        return line.with_changes(leading_lines=updated.leading_lines)
