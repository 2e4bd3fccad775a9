"""Branch deletions: an ``if``/``elif`` whose test is dropped, a branch dropped, an ``else`` dropped.

A test the run always answers the same way, and the branch it never takes, are text the packed
file carries for nothing. Contract pruning drops bodies the traced run never entered; these
mutations go further (a test evaluated but always true, an ``else`` that changes nothing) and
let the run decide.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import code
from golfkit.passes.base import Site
from golfkit.search.mutations.base import RUN_DECIDES, Mutation, Spot, on_one_line

KEEP_BODY, DROP_BRANCH, DROP_ELSE = "keep body", "drop branch", "drop else"


def statements_of(suite: cst.BaseSuite) -> list[cst.BaseStatement]:
    """The statements of a body, ready to stand in the enclosing block."""
    if isinstance(suite, cst.SimpleStatementSuite):
        line = cst.SimpleStatementLine(body=on_one_line(list(suite.body)),
                                       trailing_whitespace=suite.trailing_whitespace)
        return [line]
    return list(suite.body)


def in_place_of(statements: list[cst.BaseStatement], leading_lines) -> cst.FlattenSentinel:
    """``statements`` standing where one statement stood, under that statement's leading lines."""
    first, *rest = statements
    first = first.with_changes(leading_lines=[*leading_lines, *first.leading_lines])
    return cst.FlattenSentinel([first, *rest])


class DeleteBranch(Mutation):
    """Drop an ``if``/``elif`` test and keep its body, drop its branch and keep what follows
    (the ``elif`` or the ``else`` body), or drop an ``else`` (of ``if``, ``for``, ``while`` or
    ``try``).

    Sites per ``if`` or ``elif``: "keep body" (the test always held), "drop branch" (it never
    held; a lone ``if`` with no ``else`` is left to delete-statement); per ``else``: "drop else".
    """

    name = "delete-branch"
    description = "drop an if/elif test (keeping its body) or a branch or an else"
    safety_statement = (
        f"{RUN_DECIDES}: the test may not always go the same way, and evaluating it may have had "
        "an effect; only the verified run tells."
    )
    example = ("x = 3\nif x > 2:\n    print(x)\n", "x = 3\nprint(x)\n")

    def candidates(self, facts, context):
        sites = []
        for node in facts.nodes(cst.If, cst.Else):
            if isinstance(node, cst.Else):
                owner = type(facts.parent(node)).__name__.lower()
                sites.append(Site(Spot(node, (node,), DROP_ELSE), f"{owner}: drop {code(node).strip()}"))
                continue
            header = f"{'elif' if self._is_elif(facts, node) else 'if'} {code(node.test)}"
            sites.append(Site(Spot(node, (node,), KEEP_BODY), f"{header}: {KEEP_BODY}"))
            if node.orelse is not None or self._is_elif(facts, node):
                sites.append(Site(Spot(node, (node,), DROP_BRANCH), f"{header}: {DROP_BRANCH}"))
        return sites

    @staticmethod
    def _is_elif(facts, node: cst.If) -> bool:
        return isinstance(facts.parent(node), cst.If)

    def rebuild(self, facts, original, updated, details):
        (detail,) = details
        if detail == DROP_ELSE:
            return cst.RemovalSentinel.REMOVE
        if self._is_elif(facts, original):
            if detail == KEEP_BODY:
                return cst.Else(body=updated.body, leading_lines=updated.leading_lines,
                                whitespace_before_colon=updated.whitespace_after_test)
            return updated.orelse if updated.orelse is not None else cst.RemovalSentinel.REMOVE
        if detail == KEEP_BODY:
            return in_place_of(statements_of(updated.body), updated.leading_lines)
        follower = updated.orelse
        if isinstance(follower, cst.If):
            return follower.with_changes(leading_lines=[*updated.leading_lines, *follower.leading_lines])
        return in_place_of(statements_of(follower.body), updated.leading_lines)
