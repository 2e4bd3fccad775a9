"""main-guard (contract): a module-level ``if __name__ == "__main__":`` without ``else`` gives way
to its body.

Sites, in source order: one per such guard (either operand order, any quotes, parenthesised or
not) that is a statement of the module itself. Its body takes its place at module level; a
one-line guard (``if __name__ == "__main__": main()``) becomes that line.

An ``if`` opens no scope, so the body binds the same globals either way; the only difference is
when the module is imported under another name, which the verified run never does.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import ProgramFacts, code, is_literal
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip

# Modules that run or import the main module again under another name (multiprocessing's spawn
# imports it as ``__mp_main__``; runpy and importlib can import it by path): there the guard is
# what keeps the body from running twice.
REIMPORTING_MODULES = frozenset({"multiprocessing", "concurrent", "runpy", "importlib"})


class MainGuardPass(Pass):
    name = "main-guard"
    description = "Replace a module-level `if __name__ == '__main__':` by its body (run contract)."
    safety = Safety.CONTRACT
    safety_statement = (
        "Contract: the verified run runs the file as the main module, so `__name__` is "
        "'__main__' and the guard is true; an `if` opens no scope, so its body binds the same "
        "globals at module level. Left alone when the program could tell: it spells `__name__` "
        "anywhere else (it may rebind or read it), reaches names through strings, uses a module "
        "that may import the main module again (multiprocessing, concurrent, runpy, importlib), "
        "the guard has an `else`, or, when traced, its "
        "body never ran."
    )
    example = (
        "def main():\n"
        "    print('hello')\n"
        "if __name__ == '__main__':\n"
        "    main()\n",
        "def main():\n"
        "    print('hello')\n"
        "main()\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if not context.contract:
            raise Skip("contract rewrites are off")
        vocabulary = facts.vocabulary
        if vocabulary.reaches_anything:
            raise Skip("the program reaches names through strings")
        if vocabulary.modules & REIMPORTING_MODULES:
            raise Skip("the program uses a module that may import the main module again")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        guards = [
            statement
            for index, statement in enumerate(facts.module.body)
            if _is_guard(statement) and not _would_become_docstring(statement, index)
        ]
        if not guards or _reads_name_elsewhere(facts, guards):
            return []
        sites = []
        for guard in guards:
            if context.executed_lines is not None and not _body_ran(facts, guard, context.executed_lines):
                continue
            sites.append(Site(guard, f"main guard {code(guard.test)}"))
        return sites

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        chosen = {site.target for site in sites}
        body: list[cst.BaseStatement] = []
        for statement in facts.module.body:
            body.extend(_unguarded(statement) if statement in chosen else [statement])
        return facts.module.with_changes(body=body).code


def _is_guard(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.If) or statement.orelse is not None:
        return False
    test = statement.test
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comparison = test.comparisons[0]
    if not isinstance(comparison.operator, cst.Equal):
        return False
    operands = (test.left, comparison.comparator)
    return any(_is_name(a) and _is_main_string(b) for a, b in (operands, operands[::-1]))


def _is_name(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "__name__" and not expr.lpar


def _is_main_string(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.SimpleString) and expr.evaluated_value == "__main__"


def _would_become_docstring(guard: cst.If, index: int) -> bool:
    """The first statement of the module would then be a string literal: it would set __doc__."""
    if index != 0:
        return False
    first = _unguarded(guard)[0]
    return (
        isinstance(first, cst.SimpleStatementLine)
        and isinstance(first.body[0], cst.Expr)
        and is_literal(first.body[0].value)
        and isinstance(first.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _reads_name_elsewhere(facts: ProgramFacts, guards: list[cst.If]) -> bool:
    """``__name__`` as a variable (not an attribute's name) outside the guards' tests."""
    in_tests = {id(operand) for guard in guards for operand in (guard.test.left, guard.test.comparisons[0].comparator)}
    for name in facts.nodes(cst.Name):
        if name.value != "__name__" or id(name) in in_tests:
            continue
        parent = facts.parent(name)
        if isinstance(parent, cst.Attribute) and parent.attr is name:
            continue
        return True
    return False


def _body_ran(facts: ProgramFacts, guard: cst.If, executed_lines: frozenset[int]) -> bool:
    body = guard.body
    first = body.body[0]
    return facts.line(first) in executed_lines


def _unguarded(guard: cst.If) -> list[cst.BaseStatement]:
    """The guard's body as module statements; the guard's leading lines go to the first one."""
    body = guard.body
    if isinstance(body, cst.SimpleStatementSuite):
        last = body.body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        statements: list[cst.BaseStatement] = [
            cst.SimpleStatementLine(body=[*body.body[:-1], last], trailing_whitespace=body.trailing_whitespace)
        ]
    else:
        statements = list(body.body)
    first = statements[0]
    statements[0] = first.with_changes(leading_lines=[*guard.leading_lines, *first.leading_lines])
    return statements
