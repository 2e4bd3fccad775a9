"""What every golf pass shares: its identity, its safety class and how its edits are selected.

A pass is a pure function from source text to source text. It finds *sites* (independent edits)
in a deterministic order on its input and applies those the pipeline allows; when a whole pass
fails verification the pipeline bisects over site indices, so a pass must number its sites the
same way whatever subset is enabled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar, Collection


class Safety(str, Enum):
    SAFE = "safe"  # preserves behaviour for every input
    CONTRACT = "contract"  # preserves the verified run only (e.g. drops a branch it never takes)


class Edits:
    """Numbers a pass's candidate edits and says which of them to apply."""

    def __init__(self, allowed: Collection[int] | None = None):
        self.allowed = None if allowed is None else frozenset(allowed)
        self.count = 0

    def propose(self) -> bool:
        """Register the next site; True when the pass should apply it."""
        index = self.count
        self.count += 1
        return self.allowed is None or index in self.allowed


@dataclass(frozen=True)
class PassContext:
    """Facts a pass may rely on besides its input text."""

    # Lines of the current source that the verified run executed (1-based), when traced.
    executed_lines: frozenset[int] | None = None
    # Allow rewrites that are valid only under the run contract.
    contract: bool = True
    # Free-form knobs for individual passes (name -> value).
    settings: dict = field(default_factory=dict)


class Pass:
    """One golf rewrite. Subclasses set the three class attributes and implement ``apply``."""

    name: ClassVar[str]
    description: ClassVar[str]
    safety: ClassVar[Safety] = Safety.SAFE
    # Why the rewrite preserves behaviour (or, for contract passes, which run facts it relies on).
    safety_statement: ClassVar[str]

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        raise NotImplementedError

    def run(self, source: str, context: PassContext | None = None) -> str:
        """Apply every site: the convenience entry point for tests and one-off use."""
        return self.apply(source, context or PassContext(), Edits())

    def __repr__(self):
        return f"<pass {self.name} ({self.safety.value})>"
