"""Statement removal that keeps every block valid and its comments in place.

Passes decide what goes; this only takes it out: a block left empty gets ``pass``, an import keeps
the aliases that stay, and a comment above a dropped statement moves to the next one (it may be
the only trace a reader has of why the code was there).
"""

from __future__ import annotations

import libcst as cst


class StatementRemover(cst.CSTTransformer):
    """Drops statements, small statements and import aliases given by their original nodes.

    Blocks are filtered as a whole, so that the comments and blank lines above a dropped statement
    move to the next one, and a block left empty gets ``pass``.
    """

    def __init__(self, remove: set):
        super().__init__()
        self.remove = set(remove)
        self._emptied: set = set()  # statements and imports that lost every part
        # Statements standing for several others (an ``if`` reduced to its ``else`` body).
        self.expanded: dict[cst.CSTNode, list[cst.BaseStatement]] = {}

    def _gone(self, node: cst.CSTNode) -> bool:
        return node in self.remove or node in self._emptied

    def leave_Import(self, original, updated):
        return self._drop_aliases(original, updated)

    def leave_ImportFrom(self, original, updated):
        if isinstance(original.names, cst.ImportStar):
            return updated
        return self._drop_aliases(original, updated)

    def _drop_aliases(self, original, updated):
        names = [u for o, u in zip(original.names, updated.names) if o not in self.remove]
        if not names:
            self._emptied.add(original)
            return updated
        if len(names) == len(updated.names):
            return updated
        names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        changes = {"names": names}
        if isinstance(updated, cst.ImportFrom) and updated.lpar is not None and len(names) == 1:
            changes.update(lpar=None, rpar=None)
        return updated.with_changes(**changes)

    def leave_SimpleStatementLine(self, original, updated):
        kept = self._kept_small(original, updated)
        if not kept:
            self._emptied.add(original)
            return updated
        return updated if len(kept) == len(updated.body) else updated.with_changes(body=kept)

    def leave_SimpleStatementSuite(self, original, updated):
        kept = self._kept_small(original, updated)
        if len(kept) == len(updated.body):
            return updated
        return updated.with_changes(body=kept or [cst.Pass()])

    def _kept_small(self, original, updated) -> list:
        kept = [u for o, u in zip(original.body, updated.body) if not self._gone(o)]
        if kept and len(kept) != len(updated.body):
            kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return kept

    def leave_IndentedBlock(self, original, updated):
        body = self._kept_statements(original, updated)
        if not body:
            body = [cst.SimpleStatementLine(body=[cst.Pass()])]
        return updated.with_changes(body=body)

    def leave_Module(self, original, updated):
        return updated.with_changes(body=self._kept_statements(original, updated))

    def _kept_statements(self, original, updated) -> list:
        body, carried = [], []
        for old, new in zip(original.body, updated.body):
            if self._gone(old):  # keep its comments, drop its blank lines
                carried += [line for line in getattr(new, "leading_lines", ()) if line.comment is not None]
                continue
            if old in self.expanded:
                carried += list(new.leading_lines)
                replacements = list(self.expanded[old])
                if not replacements:
                    continue
                new, rest = replacements[0], replacements[1:]
            else:
                rest = []
            if not body and old is not original.body[0] and hasattr(new, "leading_lines"):
                # Now first in its block: blank lines above it no longer separate anything.
                new = new.with_changes(leading_lines=[line for line in new.leading_lines if line.comment])
            if carried and hasattr(new, "leading_lines"):
                new = new.with_changes(leading_lines=[*carried, *new.leading_lines])
                carried = []
            body += [new, *rest]
        return body
