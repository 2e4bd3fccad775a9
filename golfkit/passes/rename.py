"""rename: give every name the program owns the shortest spelling that keeps its meaning."""

from __future__ import annotations

import libcst as cst

from golfkit.passes.base import Edits, Pass, PassContext, Safety
from golfkit.rename import analyse


class RenamePass(Pass):
    name = "rename"
    description = "Rename variables, parameters, imports and the program's own attributes, most used shortest."
    safety = Safety.SAFE
    safety_statement = (
        "Each group of spellings that resolve to one binding (libcst scopes) or one owned attribute "
        "name changes together, to a name free in every scope where it is read; names reached "
        "through strings, dunders, builtins and foreign objects' attributes are kept."
    )

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        try:
            analysis = analyse(source)
        except cst.ParserSyntaxError:
            return source
        # One site per renamable group, in source order; names are chosen over the enabled ones.
        enabled = [group for group in analysis.sites if edits.propose()]
        result = analysis.rewrite(enabled)
        return result if len(result) < len(source) else source
