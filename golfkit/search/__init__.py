"""golfkit's search stage: small mutations of the golfed text, each kept only when a run agrees.

Passes come with a proof (or a contract the trace backs); mutations come with none. The stage
tries them on the golfed text, keeps those that compile and shrink the packed file, and verifies
them by runs, batched and bisected like a pass's sites. ``catalogue()`` lists the kinds in the order
the stage tries them: deletions first (they only shrink), then replacements and golf forms, then
layout and order, then blind character edits (many, sampled).
"""

from __future__ import annotations

from golfkit.passes.base import Pass
from golfkit.search.mutations.branches import DeleteBranch
from golfkit.search.mutations.characters import DeleteCharacter, SubstituteCharacter
from golfkit.search.mutations.deletions import (
    DeleteArgument,
    DeleteDefault,
    DeleteKeyword,
    DeleteStatement,
    DropParentheses,
)
from golfkit.search.mutations.lambdas import FunctionLambda, MethodLambda
from golfkit.search.mutations.lines import MergeLines, SplitLine, SwapStatements
from golfkit.search.mutations.operators import (
    AugmentedAssign,
    ChainComparison,
    ConditionalIndex,
    Increment,
    NegateComparison,
)
from golfkit.search.mutations.spellings import AppendAsAdd, ShorterNumber, UnpackBuiltin
from golfkit.search.mutations.strings import RenameString
from golfkit.search.mutations.subexpressions import ReplaceBySubexpression

KINDS: tuple[type[Pass], ...] = (
    DeleteStatement,
    DeleteBranch,
    DeleteArgument,
    DeleteKeyword,
    DeleteDefault,
    DropParentheses,
    ReplaceBySubexpression,
    AugmentedAssign,
    AppendAsAdd,
    UnpackBuiltin,
    RenameString,
    NegateComparison,
    ShorterNumber,
    Increment,
    ChainComparison,
    ConditionalIndex,
    FunctionLambda,
    MethodLambda,
    MergeLines,
    SplitLine,
    SwapStatements,
    DeleteCharacter,
    SubstituteCharacter,
)


def catalogue() -> list[Pass]:
    """One instance of every mutation kind, in the order the search stage tries them."""
    return [kind() for kind in KINDS]
