"""builtin-alias: bind often used builtins and called module functions to one-letter globals."""

from __future__ import annotations

import libcst as cst

from golfkit.passes.base import Edits, Pass, PassContext, Safety
from golfkit.rename.aliases import alias_sites, apply_aliases, choose_aliases
from golfkit.rename.scopes import ScopeIndex


class BuiltinAliasPass(Pass):
    name = "builtin-alias"
    description = "Alias builtins and module functions used often enough (R=range) with fresh short names."
    safety = Safety.SAFE
    safety_statement = (
        "The alias is a fresh global bound before any use to the same object; only builtins never "
        "bound by the program and attributes of top-level imports that are only ever called (never "
        "assigned, the module never passed around) are aliased, and not when code runs from strings."
    )

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        try:
            index = ScopeIndex(source)
        except cst.ParserSyntaxError:
            return source
        sites = alias_sites(index)
        # One site per aliased builtin or module function, in order of first use.
        enabled = [site for site in sites if edits.propose()]
        result = apply_aliases(index, choose_aliases(index, sites, enabled))
        return result if len(result) < len(source) else source
