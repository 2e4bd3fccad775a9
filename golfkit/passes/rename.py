"""rename: give every name the program owns the shortest spelling that keeps its meaning.

Sites, in source order: one per renamable group (every spelling of one variable binding, or one
attribute name the program owns), keyed by its kind, scope and name as written, so a group found
to break keeps its key in later rounds, where the groups around it have new names.
"""

from __future__ import annotations

from libcst.metadata import GlobalScope

from golfkit.analysis import ProgramFacts
from golfkit.passes.base import Pass, PassContext, Safety, Site
from golfkit.rename import SearchSettings, analysis_of_facts, search_names, start_workers


class RenamePass(Pass):
    name = "rename"
    description = "Rename variables, parameters, imports and the program's own attributes, most used shortest."
    safety = Safety.SAFE
    safety_statement = (
        "Each group of spellings that resolve to one binding (libcst scopes) or one owned attribute "
        "name changes together, to a name free in every scope where it is read; names reached "
        "through strings, dunders, builtins and foreign objects' attributes are kept."
    )
    example = (
        "def average(values):\n    total = sum(values)\n    return total / len(values)\n\n\nprint(average([1, 2, 3]))\n",
        "def a(a):\n    b = sum(a)\n    return b / len(a)\n\n\nprint(a([1, 2, 3]))\n",
    )

    def prepare(self, context: PassContext) -> None:
        # The name search's worker processes take a moment to start: they start with the build,
        # on cores the build's first runs leave idle, so even a small program's search uses them.
        if self.searches(context):
            start_workers(SearchSettings.of(context.settings))

    @staticmethod
    def searches(context: PassContext) -> bool:
        return context.settings.get("name_search", context.shipped_size is not None)

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        # Module-level names code outside the text imports (a harness) keep their spelling.
        return [Site(group, f"{group.kind} {group.scope_label}.{group.name}")
                for group in analysis_of_facts(facts).sites
                if not (group.name in context.kept_names and isinstance(group.scope, GlobalScope))]

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        # Names are chosen over the enabled groups together: the most used get the shortest.
        analysis, enabled = analysis_of_facts(facts), [site.target for site in sites]
        # A packing build ships the compressed text: among equally short assignments, the one
        # that packs smallest. Without a packer (tests, --no-pack) the raw-shortest one, unless
        # a setting asks for the search (scored then by zopfli's deflate size).
        if not self.searches(context):
            return analysis.rewrite(enabled)
        measure = context.size if context.shipped_size is not None else None
        return search_names(analysis, enabled, measure, SearchSettings.of(context.settings)).text
