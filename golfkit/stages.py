"""Stage records: one typed row of the build report per pass application and for the pack stage.

A record is frozen and made only by its named constructors (``for_pass``, ``for_pack``), so every
field is known when it is made: nothing is patched in afterwards. report.json keeps the field
names and verdict strings it always had.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING

from golfkit.sizes import byte_count, char_count, deflate_size

if TYPE_CHECKING:
    from golfkit.pack import PackCandidate
    from golfkit.runner import RunResult
    from golfkit.verify import Verdict


class StageVerdict(StrEnum):
    """How a stage ended; the value is what report.json and the table show."""

    VERIFIED = "verified"  # applied whole and verified
    PARTIAL = "partial"  # a failing pass, bisected: the largest set of edits that verifies
    REJECTED = "rejected"  # failed, and no set of its edits verifies
    NO_CHANGE = "no change"
    NOT_SHORTER = "not shorter"
    SKIPPED = "skipped"  # the pass declined the whole text (``Skip``), with a reason
    ERROR = "error"  # the pass raised, or its output does not compile

    @property
    def kept(self) -> bool:
        """Whether the stage's text became the build's current text."""
        return self in (StageVerdict.VERIFIED, StageVerdict.PARTIAL)

    @property
    def ran(self) -> bool:
        """Whether a candidate was run for this stage (so it has a text worth a file)."""
        return self in (StageVerdict.VERIFIED, StageVerdict.PARTIAL, StageVerdict.REJECTED)


@dataclass(frozen=True)
class RunFacts:
    """What the run that judged a stage measured, relative to the reference run."""

    run_seconds: float | None = None
    runtime_ratio: float | None = None
    memory_ratio: float | None = None
    cached: bool = False
    prechecked: bool = False

    @classmethod
    def of(cls, verdict: Verdict, reference: RunResult) -> RunFacts:
        result = verdict.result
        seconds = round(result.elapsed, 3)
        if verdict.prechecked:  # another interpreter's timings say nothing of the target's
            return cls(seconds, cached=verdict.cached, prechecked=True)
        runtime = round(result.elapsed / reference.elapsed, 3) if reference.elapsed else None
        memory = round(result.peak_memory_kb / reference.peak_memory_kb, 3) if reference.peak_memory_kb else None
        return cls(seconds, runtime, memory, cached=verdict.cached)


NO_RUN = RunFacts()


@dataclass(frozen=True)
class StageRecord:
    """One row of the build report. Make it with ``for_pass`` or ``for_pack``."""

    step: int
    round: int
    name: str
    safety: str
    verdict: StageVerdict
    chars: int
    bytes: int
    deflate: int
    # The build's objective measure: the size of the packed file the packer would make from the
    # stage's text (characters or bytes, as the target), or the raw size without packing.
    shipped: int | None
    delta_chars: int
    delta_bytes: int
    reason: str
    edits_total: int
    edits_kept: int
    known_broken_skipped: int  # sites left out because an earlier bisection found them to break
    pass_seconds: float
    run: RunFacts
    # The stage's text: the new text when kept, the failed candidate when rejected (for `golfkit
    # diff`), else None. The pack stage has its packed file instead, as bytes.
    text: str | None = field(default=None, repr=False)
    packed: bytes | None = field(default=None, repr=False)
    input_text: str | None = field(default=None, repr=False)

    @classmethod
    def for_pass(cls, step: int, round_number: int, name: str, safety: str, verdict: StageVerdict, *,
                 input_text: str, text: str | None = None, reason: str = "", edits_total: int = 0,
                 edits_kept: int = 0, known_broken_skipped: int = 0, pass_seconds: float = 0.0,
                 run: RunFacts = NO_RUN, shipped: int | None = None) -> StageRecord:
        """A pass's row. Sizes are those of the text the build goes on from: ``text`` when the
        verdict keeps it, else ``input_text``; ``shipped`` is that text's shipped size."""
        if verdict.kept and text is None:
            raise ValueError(f"a {verdict} stage needs its text")
        after = text if verdict.kept else input_text
        return cls(
            step=step, round=round_number, name=name, safety=safety, verdict=verdict,
            chars=char_count(after), bytes=byte_count(after), deflate=deflate_size(after), shipped=shipped,
            delta_chars=char_count(after) - char_count(input_text),
            delta_bytes=byte_count(after) - byte_count(input_text),
            reason=reason, edits_total=edits_total, edits_kept=edits_kept,
            known_broken_skipped=known_broken_skipped, pass_seconds=round(pass_seconds, 3), run=run,
            text=text if verdict.ran else None, input_text=input_text,
        )

    @classmethod
    def for_pack(cls, step: int, golfed: str, candidate: PackCandidate, *, pass_seconds: float,
                 run: RunFacts, target: str) -> StageRecord:
        """The verified packed file's row: its own sizes (the target's is the shipped one), the
        deflate size of what it packs."""
        return cls(
            step=step, round=0, name="pack", safety="safe", verdict=StageVerdict.VERIFIED,
            chars=candidate.chars, bytes=candidate.size_bytes, deflate=deflate_size(golfed),
            shipped=candidate.chars if target == "chars" else candidate.size_bytes,
            delta_chars=candidate.chars - char_count(golfed), delta_bytes=candidate.size_bytes - byte_count(golfed),
            reason=candidate.scheme, edits_total=0, edits_kept=0, known_broken_skipped=0,
            pass_seconds=round(pass_seconds, 3), run=run, packed=candidate.data, input_text=golfed,
        )

    def file_name(self) -> str | None:
        """The name the stage is written under in the build folder; None when it has no file."""
        if not self.verdict.ran or self.content() is None:
            return None
        suffix = ".rejected.py" if self.verdict is StageVerdict.REJECTED else ".py"
        return f"{self.step:02d}-{self.name}{suffix}"

    def content(self) -> bytes | None:
        """The bytes of the stage's file."""
        if self.packed is not None:
            return self.packed
        return None if self.text is None else self.text.encode("utf-8")

    def to_json(self) -> dict:
        data = {}
        for item in fields(self):
            if item.name in ("text", "packed", "input_text", "run"):
                continue
            data[item.name] = getattr(self, item.name)
        data["verdict"] = self.verdict.value
        for item in fields(RunFacts):
            data[item.name] = getattr(self.run, item.name)
        data["file"] = self.file_name()
        return data
