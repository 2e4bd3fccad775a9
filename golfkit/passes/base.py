"""What every golf pass shares: its identity, its safety class, and the site template.

A pass is a pure function from source text to source text, written as a template in three steps
that the base class drives (the shape of LibCST's codemods):

1. ``check(facts, context)`` may decline the whole text with ``raise Skip("why")``;
2. ``find_sites(facts, context)`` lists the pass's independent edits (``Site``) in a deterministic
   order, on the facts the analysis package computed once for this text;
3. ``rewrite(facts, sites, context)`` applies the enabled sites and returns the new text.

The base numbers the sites, so numbering is stable by construction: it never depends on which
sites are enabled. The pipeline bisects a failing pass over those numbers, remembers the sites it
found to break by their ``key``, and alone judges whether the result is shorter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Collection, Sequence

import libcst as cst

from golfkit.analysis import code, facts_for

if TYPE_CHECKING:
    from golfkit.analysis import ProgramFacts


class Safety(str, Enum):
    SAFE = "safe"  # preserves behaviour for every input
    CONTRACT = "contract"  # preserves the verified run only (e.g. drops a branch it never takes)


class Skip(Exception):
    """A pass declines a whole text; the reason reaches the report as ``skipped: <reason>``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, eq=False)
class Site:
    """One independent edit a pass can make.

    ``target`` is whatever ``rewrite`` needs (a node, a plan entry), compared by identity.
    ``key`` names the edit independently of the text around it, so that a site found to break is
    recognised in a later round or build. When the target is a node and the pass gives no key,
    the base takes the node's code; any other target needs a key from the pass. Equal keys are
    told apart by their rank.
    """

    target: Any
    key: str = ""


class Edits:
    """Numbers a pass's sites and says which of them to apply.

    ``allowed``: site numbers to apply (None: all). ``blocked``: site keys never to apply (sites
    known to break). ``keys`` lists every proposed site's key, in order.
    """

    def __init__(self, allowed: Collection[int] | None = None, blocked: Collection[str] = ()):
        self.allowed = None if allowed is None else frozenset(allowed)
        self.blocked = frozenset(blocked)
        self.keys: list[str] = []
        self.skipped_blocked = 0  # sites left out because their key is known to break

    @property
    def count(self) -> int:
        return len(self.keys)

    def propose(self, key: str | None = None) -> bool:
        """Register the next site; True when the pass should apply it."""
        index = self.count
        key = key if key is not None else f"#{index}"
        self.keys.append(key)
        if key in self.blocked:
            self.skipped_blocked += 1
            return False
        return self.allowed is None or index in self.allowed


@dataclass(frozen=True)
class PassContext:
    """Facts a pass may rely on besides its input text."""

    # Lines of the current source that the verified run executed (1-based), when traced.
    executed_lines: frozenset[int] | None = None
    # Allow rewrites that are valid only under the run contract.
    contract: bool = True
    # The shipped measure's target ("chars" or "bytes"), for passes whose choices depend on it.
    target: str = "chars"
    # The shipped size of a text for this build: its packed size for a packing build, its raw
    # length otherwise (None: the raw length). Passes whose choices the raw and the packed
    # measures disagree on (aliases, names) decide by it.
    shipped_size: Callable[[str], int] | None = None
    # Free-form knobs for individual passes (name -> value).
    settings: dict = field(default_factory=dict)
    # Module-level names code outside the text uses (a harness importing the golfed module): they
    # keep their spelling and their definitions.
    kept_names: frozenset[str] = frozenset()

    def size(self, text: str) -> int:
        """``text``'s shipped size, or its raw length in the target's unit without a packer."""
        if self.shipped_size is not None:
            return self.shipped_size(text)
        return len(text) if self.target == "chars" else len(text.encode("utf-8"))


class Pass:
    """One golf rewrite. Subclasses set the class attributes and implement ``find_sites`` and
    ``rewrite`` (and ``check`` when whole texts can be declined)."""

    name: ClassVar[str]
    description: ClassVar[str]
    safety: ClassVar[Safety] = Safety.SAFE
    # Why the rewrite preserves behaviour (or, for contract passes, which run facts it relies on).
    safety_statement: ClassVar[str]
    # libcst metadata providers the pass reads through ``facts.wrapper``; the base resolves them
    # after ``check`` and before ``find_sites``. Scopes, parents (``facts.parent``) and positions
    # (``facts.positions``, resolved when first asked) come with the facts: declaring them would
    # only make a text pay for libcst's own walks.
    metadata: ClassVar[tuple[type, ...]] = ()
    # A small (before, after) pair shown by `golfkit passes NAME`; the pass tests check it.
    example: ClassVar[tuple[str, str] | None] = None

    # -- the template ------------------------------------------------------------------------
    def prepare(self, context: PassContext) -> None:
        """Called once when a build starts, before any text: start what the pass will need later
        in the background (worker processes). Never changes what the pass does."""

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        """Raise ``Skip(reason)`` to decline the whole text."""

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> Sequence[Site]:
        raise NotImplementedError

    def rewrite(self, facts: ProgramFacts, sites: Sequence[Site], context: PassContext) -> str:
        raise NotImplementedError

    # -- driven by the base ------------------------------------------------------------------
    def facts(self, source: str) -> ProgramFacts:
        """The shared facts of ``source`` with this pass's metadata resolved (computed once per
        distinct text, whichever pass asks first)."""
        facts = self._parsed(source)
        self._resolve(facts)
        return facts

    def sites(self, source: str, context: PassContext) -> tuple[ProgramFacts, list[Site]]:
        """The facts of ``source`` and the pass's sites on it, keyed; raises ``Skip``."""
        facts = self._parsed(source)
        # A declined text pays for no metadata of its own.
        self.check(facts, context)
        self._resolve(facts)
        return facts, keyed(self.find_sites(facts, context))

    @staticmethod
    def _parsed(source: str) -> ProgramFacts:
        facts = facts_for(source)
        if facts is None:
            raise Skip("the text does not parse")
        return facts

    def _resolve(self, facts: ProgramFacts) -> None:
        if self.metadata:
            facts.wrapper.resolve_many(self.metadata)

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        """Apply the enabled sites; the text itself when none is enabled. Raises ``Skip``."""
        facts, sites = self.sites(source, context)
        enabled = [site for site in sites if edits.propose(site.key)]
        if not enabled:
            return source
        return self.rewrite(facts, enabled, context)

    def run(self, source: str, context: PassContext | None = None) -> str:
        """Apply every site; a declined text comes back unchanged (tests and one-off use)."""
        try:
            return self.apply(source, context or PassContext(), Edits())
        except Skip:
            return source

    def __repr__(self):
        return f"<pass {self.name} ({self.safety.value})>"


def keyed(sites: Sequence[Site]) -> list[Site]:
    """The sites with a unique key each: the pass's own key, else the target's code; a key seen
    before gets its rank appended, so equal keys stay apart and in order."""
    seen: dict[str, int] = {}
    result = []
    for site in sites:
        key = site.key
        if not key:
            if not isinstance(site.target, cst.CSTNode):
                raise TypeError(f"a site whose target is a {type(site.target).__name__} needs its own key")
            key = code(site.target)
        rank = seen.get(key, 0)
        seen[key] = rank + 1
        unique = key if rank == 0 else f"{key}#{rank}"
        result.append(site if unique == site.key else Site(site.target, unique))
    return result
