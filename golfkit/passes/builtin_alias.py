"""builtin-alias: bind often used builtins and called module functions to one-letter globals.

Sites, in order of first use: one per builtin or module function whose alias pays with a
one-letter name, keyed by what it stands for (``range``, ``random.gauss``).
"""

from __future__ import annotations

from golfkit.analysis import ProgramFacts
from golfkit.passes.base import Pass, PassContext, Site, Safety, Skip
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
    example = (
        "for i in range(3):\n    for j in range(2):\n        for k in range(2):\n            print(range(i, j + k))\n",
        "a=range\nfor i in a(3):\n    for j in a(2):\n        for k in a(2):\n            print(a(i, j + k))\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        # From the facts' own census: declining costs no scope index.
        if facts.dynamic.scope_by_string:
            raise Skip("the program runs code from strings (eval, exec, compile)")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        return [Site(site, site.target) for site in facts.derived(_alias_sites)]

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        index = ScopeIndex.of(facts)
        enabled = [site.target for site in sites]
        # Where the build ships a packed file, an alias must shrink that file, not just the text.
        size = context.size if context.shipped_size is not None else None
        return apply_aliases(index, choose_aliases(index, facts.derived(_alias_sites), enabled, size))


def _alias_sites(facts: ProgramFacts) -> list:
    """Every alias that pays, found once per text: finding and rewriting share the objects."""
    return alias_sites(ScopeIndex.of(facts))
