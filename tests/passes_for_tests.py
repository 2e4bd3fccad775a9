"""Passes that exist only to exercise the pipeline's safety net."""

import libcst as cst

from golfkit.passes.base import Edits, Pass, PassContext, Safety, Skip


class SwapStatementsPass(Pass):
    """Deliberately unsafe: swaps module-level statements pairwise (0-1, 2-3, ...) and drops their
    leading comments, so every edit is shorter and some edits change behaviour."""

    name = "swap-statements"
    description = "test only: swap adjacent statements"
    safety = Safety.SAFE
    safety_statement = "none: this pass is broken on purpose"

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        module = cst.parse_module(source)
        body = list(module.body)
        for start in range(0, len(body) - 1, 2):
            if edits.propose():
                first, second = body[start], body[start + 1]
                body[start] = second.with_changes(leading_lines=())
                body[start + 1] = first.with_changes(leading_lines=())
        return module.with_changes(body=body).code


class DropCommentsPass(Pass):
    """A correct pass: removes comment-only lines before module-level statements."""

    name = "drop-comments"
    description = "test only: drop leading comments"
    safety = Safety.SAFE
    safety_statement = "comments do not run"

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        module = cst.parse_module(source)
        body = [
            statement.with_changes(leading_lines=()) if statement.leading_lines and edits.propose() else statement
            for statement in module.body
        ]
        return module.with_changes(body=body).code


class DropFirstCommentPass(Pass):
    """A correct pass that needs one round per comment: drops only the first commented statement's
    comments, so each round finds work for the next."""

    name = "drop-first-comment"
    description = "test only: drop the first leading comment"
    safety = Safety.SAFE
    safety_statement = "comments do not run"

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        module = cst.parse_module(source)
        body = list(module.body)
        for index, statement in enumerate(body):
            if statement.leading_lines:
                if edits.propose():
                    body[index] = statement.with_changes(leading_lines=())
                break
        return module.with_changes(body=body).code


class DropFirstPrintPass(Pass):
    """Broken in its only edit: drops the first module-level ``print(...)`` statement, so the log
    differs from its first printed line on."""

    name = "drop-first-print"
    description = "test only: drop the first print"
    safety = Safety.SAFE
    safety_statement = "none: this pass is broken on purpose"

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        module = cst.parse_module(source)
        body = list(module.body)
        for index, statement in enumerate(body):
            if (isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Expr)
                    and isinstance(statement.body[0].value, cst.Call)
                    and isinstance(statement.body[0].value.func, cst.Name)
                    and statement.body[0].value.func.value == "print"):
                if edits.propose():
                    del body[index]
                break
        return module.with_changes(body=body).code


class DropStatementsPass(Pass):
    """Broken in some edits: drops module-level statements, each a site keyed by its own code, so
    a site keeps its key whatever else the text holds. Dropping an unused assignment is harmless;
    dropping a print or a used binding changes the log."""

    name = "drop-statements"
    description = "test only: drop module-level statements"
    safety = Safety.SAFE
    safety_statement = "none: this pass is broken on purpose"

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        module = cst.parse_module(source)
        body = [statement for statement in module.body
                if not edits.propose(module.code_for_node(statement.with_changes(leading_lines=())).strip())]
        return module.with_changes(body=body).code


class DecliningPass(Pass):
    """Declines every text that prints, with a reason."""

    name = "declining"
    description = "test only: declines printing programs"
    safety = Safety.SAFE
    safety_statement = "changes nothing"

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        if "print" in source:
            raise Skip("the program prints")
        return source
