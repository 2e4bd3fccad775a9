"""Renaming for golfkit: bind every name of a program to a group, decide which groups may change
spelling, and give the most used ones the shortest names; and short aliases for builtins.

Layout:
  scopes      the parse, libcst metadata, scope lookup paths, where annotations are text
  model       Group: every spelling of one name, where it must stay unique, why it is kept
  variables   bindings and reads per scope (libcst ScopeProvider, with comprehension and capture fixes;
              match captures from golfkit.analysis.patterns)
  classes     which classes are the program's own; self/cls parameters
  receivers   what an attribute is read on: own object, module, library object, unknown
  attributes  program-wide attribute groups (class bodies, self.x, __slots__)
  keywords    parameters as keyword names: call sites, **kwargs, exposure to library code
  strings     identifiers spelled in string literals
  foreign     attribute names of builtin types
  names       candidate names, shortest first
  assign      choosing names by frequency over the enabled groups
  search      among equally short assignments, the one that packs smallest (seeded, all cores)
  rewrite     applying them
  analysis    all of the above for one module
  aliases     the builtin-alias pass's analysis and rewrite (R=range, G=random.gauss)
"""

from golfkit.rename.analysis import Analysis, analyse, analyse_index, analysis_of_facts
from golfkit.rename.model import ATTRIBUTE, CLASS_MEMBER, VARIABLE, Group
from golfkit.rename.search import SearchResult, SearchSettings, search_names, start_workers

__all__ = ["Analysis", "analyse", "analyse_index", "analysis_of_facts", "Group", "ATTRIBUTE", "CLASS_MEMBER", "VARIABLE",
           "SearchResult", "SearchSettings", "search_names", "start_workers"]
